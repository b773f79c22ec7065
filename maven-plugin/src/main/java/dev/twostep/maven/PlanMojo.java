package dev.twostep.maven;

import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** {@code mvn twostep:plan}: what would run, in order, with its SQL (up to {@code twostep.to} if set); changes nothing. */
@Mojo(name = "plan", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public final class PlanMojo extends CommandMojo {
  /** Created by Maven. */
  public PlanMojo() {}

  @Override
  List<String> command() throws MojoExecutionException {
    return to == null || to.isBlank() ? List.of("plan") : List.of("plan", "--to", to.strip());
  }
}
