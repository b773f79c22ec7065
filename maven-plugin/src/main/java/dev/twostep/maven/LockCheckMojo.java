package dev.twostep.maven;

import dev.twostep.MigrationCatalog;
import java.io.IOException;
import java.net.URLClassLoader;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn twostep:lock-check}, bound to {@code verify} when listed in the plugin's executions:
 * fails the build when the lock file and the compiled catalog disagree. The compiler checks the
 * lock file only when it compiles; this goal also catches a lock file edited or damaged while
 * nothing was recompiled.
 */
@Mojo(name = "lock-check", defaultPhase = LifecyclePhase.VERIFY, requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public final class LockCheckMojo extends TwostepMojo {
  /** Created by Maven. */
  public LockCheckMojo() {}

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    LockFiles.Read lock = LockFiles.read(lockFile.toPath(), true);
    if (lock.missing()) {
      getLog().info("twostep: no lock file at " + lockFile + ": no release has shipped yet");
      return;
    }
    try (URLClassLoader loader = projectLoader()) {
      MigrationCatalog catalog = loadCatalog(loader);
      List<String> problems = LockComparison.problems(lock.file(), catalog);
      if (!problems.isEmpty()) {
        problems.forEach(p -> getLog().error(p));
        throw new MojoFailureException("twostep: the lock file " + lockFile + " and the compiled catalog " + catalog.name()
            + " disagree (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ", see above)");
      }
      getLog().info("twostep: lock file " + lockFile.getName() + " agrees with catalog " + catalog.name() + " ("
          + lock.file().entries().size() + " shipped migrations)");
    } catch (IOException e) {
      throw new MojoExecutionException("twostep: " + e.getMessage(), e);
    }
  }
}
