package dev.twostep.maven;

import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** {@code mvn twostep:baseline}: adopts an existing database that already has the schema of {@code twostep.release}. */
@Mojo(name = "baseline", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public final class BaselineMojo extends CommandMojo {
  /** Skip the proof that the database has the release's schema ({@code --trust-schema}); recorded in the history. */
  @Parameter(property = "twostep.trustSchema", defaultValue = "false")
  boolean trustSchema;

  /** Created by Maven. */
  public BaselineMojo() {}

  @Override
  List<String> command() throws MojoExecutionException {
    String r = required(release, "twostep.release", "baseline needs the release the database already has");
    return trustSchema ? List.of("baseline", "--release", r, "--trust-schema") : List.of("baseline", "--release", r);
  }
}
