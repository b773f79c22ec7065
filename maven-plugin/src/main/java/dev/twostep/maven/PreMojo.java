package dev.twostep.maven;

import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** {@code mvn twostep:pre}: applies everything up to and including pre of the catalog's newest release. */
@Mojo(name = "pre", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public final class PreMojo extends CommandMojo {
  /** Created by Maven. */
  public PreMojo() {}

  @Override
  List<String> command() throws MojoExecutionException {
    return List.of("pre");
  }
}
