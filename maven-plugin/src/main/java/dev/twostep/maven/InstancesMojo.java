package dev.twostep.maven;

import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** {@code mvn twostep:instances}: the application instances that are live now, by release. */
@Mojo(name = "instances", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public final class InstancesMojo extends CommandMojo {
  /** Created by Maven. */
  public InstancesMojo() {}

  @Override
  List<String> command() throws MojoExecutionException {
    return List.of("instances");
  }
}
