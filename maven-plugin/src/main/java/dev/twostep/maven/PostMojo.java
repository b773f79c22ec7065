package dev.twostep.maven;

import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** {@code mvn twostep:post}: applies post of the newest release, subject to the deploy guard. */
@Mojo(name = "post", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public final class PostMojo extends CommandMojo {
  /** Created by Maven. */
  public PostMojo() {}

  @Override
  List<String> command() throws MojoExecutionException {
    return List.of("post");
  }
}
