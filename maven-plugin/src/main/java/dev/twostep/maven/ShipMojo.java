package dev.twostep.maven;

import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.Release;
import dev.twostep.processor.internal.model.LockFile;
import java.io.File;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn twostep:ship -Dtwostep.release=R}: ships release R. When the catalog has
 * {@code release = "next"} migrations, R must be newer than every numbered release: their source
 * files get {@code release = "R"} instead (nothing else in them changes). Then every migration of
 * the releases up to R is recorded in the lock file, with the checksums of the compiled catalog
 * (they do not cover the release, so they hold for the rewritten sources). It works on an
 * up-to-date build (nothing needs recompiling) and refuses when the lock file already disagrees
 * with the catalog.
 */
@Mojo(name = "ship", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public final class ShipMojo extends TwostepMojo {
  /** Created by Maven. */
  public ShipMojo() {}

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (release == null || release.isBlank() || !Release.isValid(release.strip()) || Release.parse(release.strip()).isNext()) {
      throw new MojoFailureException("[twostep:lock-file] ship needs the release that ships, 1 to 4 dot-separated numbers: "
          + "-Dtwostep.release=2.0.0" + (release == null || release.isBlank() ? "" : " (got '" + release + "')"));
    }
    Release shipped = Release.parse(release.strip());
    LockFiles.Read lock = LockFiles.read(lockFile.toPath(), true);
    try (URLClassLoader loader = projectLoader()) {
      MigrationCatalog catalog = loadCatalog(loader);
      List<Migration> next = catalog.migrations().stream().filter(m -> m.release().isNext()).toList();
      Optional<String> refusal = refusal(catalog, shipped);
      if (refusal.isPresent()) {
        throw new MojoFailureException(refusal.get());
      }
      List<String> problems = LockComparison.problems(lock.file(), catalog);
      if (!problems.isEmpty()) {
        problems.forEach(p -> getLog().error(p));
        throw new MojoFailureException("twostep: not shipping " + shipped.text() + ": the lock file " + lockFile
            + " already disagrees with the compiled catalog (see above)");
      }
      if (!next.isEmpty()) {
        NextSources sources = new NextSources(roots());
        List<NextSources.Edit> edits = sources.rewrite(next, shipped);
        for (NextSources.Edit edit : edits) {
          Files.writeString(edit.file(), edit.rewritten().source());
        }
        for (NextSources.Edit edit : edits) {
          for (NextRewriter.Change change : edit.rewritten().changes()) {
            getLog().info("twostep: " + project.getBasedir().toPath().relativize(edit.file()) + ":" + change.line() + ": "
                + change.before() + " -> " + change.after());
          }
        }
      }
      LockFile updated = LockComparison.ship(lock.file(), catalog, shipped);
      int added = updated.entries().size() - lock.file().entries().size();
      Files.writeString(lockFile.toPath(), updated.format());
      getLog().info("twostep: recorded release " + shipped.text() + " as shipped in " + lockFile + " (" + added
          + " migration" + (added == 1 ? "" : "s") + " added); commit it"
          + (next.isEmpty() ? "" : " together with the rewritten sources"));
    } catch (IOException e) {
      throw new MojoExecutionException("twostep: cannot write the lock file or a migration's source: " + e.getMessage(), e);
    }
  }

  /**
   * Why {@code catalog} cannot ship as {@code shipped}: with {@code next} migrations, {@code shipped}
   * must be newer than every numbered release; without, the catalog must have {@code shipped}.
   */
  static Optional<String> refusal(MigrationCatalog catalog, Release shipped) {
    long next = catalog.migrations().stream().filter(m -> m.release().isNext()).count();
    Optional<Release> newestNumbered = catalog.migrations().stream().map(Migration::release)
        .filter(r -> !r.isNext()).max(Release::compareTo);
    if (next > 0 && newestNumbered.isPresent() && shipped.compareTo(newestNumbered.get()) <= 0) {
      return Optional.of("[twostep:lock-file] cannot ship the " + next + " \"next\" migration" + (next == 1 ? "" : "s")
          + " of catalog " + catalog.name() + " as release " + shipped.text() + ": it has release "
          + newestNumbered.get().text() + " already, and \"next\" ships as a release newer than every numbered one. "
          + "Choose a newer release, e.g. -Dtwostep.release=" + after(newestNumbered.get()));
    }
    if (next == 0 && catalog.migrations().stream().noneMatch(m -> m.release().equals(shipped))) {
      return Optional.of("[twostep:lock-file] catalog " + catalog.name() + " has no \"next\" migration and no migration of "
          + "release " + shipped.text() + ": nothing to ship. Check -Dtwostep.release"
          + newestNumbered.map(r -> " (its newest release is " + r.text() + ")").orElse(""));
    }
    return Optional.empty();
  }

  /** The project's compile source roots that exist. */
  private List<Path> roots() {
    List<Path> roots = new ArrayList<>();
    for (String root : project.getCompileSourceRoots()) {
      Path path = new File(root).toPath().toAbsolutePath();
      if (Files.isDirectory(path)) {
        roots.add(path);
      }
    }
    return roots;
  }

  /** A release after {@code release}: its last part plus one. */
  private static String after(Release release) {
    int[] parts = release.parts();
    parts[parts.length - 1]++;
    StringBuilder out = new StringBuilder();
    for (int part : parts) {
      out.append(out.length() == 0 ? "" : ".").append(part);
    }
    return out.toString();
  }
}
