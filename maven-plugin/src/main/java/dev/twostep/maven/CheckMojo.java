package dev.twostep.maven;

import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** {@code mvn twostep:check}: fails unless code of release {@code twostep.release} may run on the database's schema state. */
@Mojo(name = "check", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public final class CheckMojo extends CommandMojo {
  /** Created by Maven. */
  public CheckMojo() {}

  @Override
  List<String> command() throws MojoExecutionException {
    return List.of("check", "--release", required(release, "twostep.release", "check needs the release whose code would run"));
  }
}
