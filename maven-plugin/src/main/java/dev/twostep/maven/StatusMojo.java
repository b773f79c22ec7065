package dev.twostep.maven;

import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** {@code mvn twostep:status}: the database's schema state, applied and pending migrations, drift. */
@Mojo(name = "status", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public final class StatusMojo extends CommandMojo {
  /** Created by Maven. */
  public StatusMojo() {}

  @Override
  List<String> command() throws MojoExecutionException {
    return List.of("status");
  }
}
