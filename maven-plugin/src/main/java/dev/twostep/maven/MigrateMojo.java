package dev.twostep.maven;

import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** {@code mvn twostep:migrate}: applies up to {@code twostep.to} ({@code 2.0.0:pre}, {@code 2.0.0:post}, {@code 2.0.0}). */
@Mojo(name = "migrate", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public final class MigrateMojo extends CommandMojo {
  /** Created by Maven. */
  public MigrateMojo() {}

  @Override
  List<String> command() throws MojoExecutionException {
    return List.of("migrate", "--to", required(to, "twostep.to", "migrate needs a target"));
  }
}
