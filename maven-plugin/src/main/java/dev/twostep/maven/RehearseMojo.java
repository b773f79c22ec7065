package dev.twostep.maven;

import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** {@code mvn twostep:rehearse}: applies the catalog to scratch databases of the server and proves every pre-migration only expands. */
@Mojo(name = "rehearse", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public final class RehearseMojo extends CommandMojo {
  /** Created by Maven. */
  public RehearseMojo() {}

  @Override
  List<String> command() throws MojoExecutionException {
    return List.of("rehearse");
  }
}
