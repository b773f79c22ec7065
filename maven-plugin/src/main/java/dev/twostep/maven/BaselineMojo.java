package dev.twostep.maven;

import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** {@code mvn twostep:baseline}: adopts an existing database that already has the schema of {@code twostep.release}. */
@Mojo(name = "baseline", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public final class BaselineMojo extends CommandMojo {
  /** Created by Maven. */
  public BaselineMojo() {}

  @Override
  List<String> command() throws MojoExecutionException {
    return List.of("baseline", "--release", required(release, "twostep.release", "baseline needs the release the database already has"));
  }
}
