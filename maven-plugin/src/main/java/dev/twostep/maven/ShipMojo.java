package dev.twostep.maven;

import dev.twostep.MigrationCatalog;
import dev.twostep.Release;
import dev.twostep.processor.internal.model.LockFile;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn twostep:ship -Dtwostep.release=R}: records every migration of the releases up to R
 * in the lock file, with the checksums of the compiled catalog. It works on an up-to-date build
 * (nothing needs recompiling) and refuses when the lock file already disagrees with the catalog.
 */
@Mojo(name = "ship", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public final class ShipMojo extends TwostepMojo {
  /** Created by Maven. */
  public ShipMojo() {}

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (release == null || release.isBlank() || !Release.isValid(release.strip())) {
      throw new MojoFailureException("[twostep:lock-file] ship needs the release that ships, 1 to 4 dot-separated numbers: "
          + "-Dtwostep.release=2.0.0" + (release == null || release.isBlank() ? "" : " (got '" + release + "')"));
    }
    Release shipped = Release.parse(release.strip());
    LockFiles.Read lock = LockFiles.read(lockFile.toPath(), true);
    try (URLClassLoader loader = projectLoader()) {
      MigrationCatalog catalog = loadCatalog(loader);
      if (catalog.migrations().stream().noneMatch(m -> m.release().equals(shipped))) {
        throw new MojoFailureException("[twostep:lock-file] catalog " + catalog.name() + " has no migration of release "
            + shipped.text() + ": check -Dtwostep.release");
      }
      List<String> problems = LockComparison.problems(lock.file(), catalog);
      if (!problems.isEmpty()) {
        problems.forEach(p -> getLog().error(p));
        throw new MojoFailureException("twostep: not shipping " + shipped.text() + ": the lock file " + lockFile
            + " already disagrees with the compiled catalog (see above)");
      }
      LockFile updated = LockComparison.ship(lock.file(), catalog, shipped);
      int added = updated.entries().size() - lock.file().entries().size();
      Files.writeString(lockFile.toPath(), updated.format());
      getLog().info("twostep: recorded release " + shipped.text() + " as shipped in " + lockFile + " (" + added
          + " migration" + (added == 1 ? "" : "s") + " added); commit it");
    } catch (IOException e) {
      throw new MojoExecutionException("twostep: cannot write the lock file " + lockFile + ": " + e.getMessage(), e);
    }
  }
}
