package dev.twostep.maven;

import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** {@code mvn twostep:verify}: fails when the checksums applied to the database differ from the catalog's, or the history has failed or unknown entries. */
@Mojo(name = "verify", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public final class VerifyMojo extends CommandMojo {
  /** Created by Maven. */
  public VerifyMojo() {}

  @Override
  List<String> command() throws MojoExecutionException {
    return List.of("verify");
  }
}
