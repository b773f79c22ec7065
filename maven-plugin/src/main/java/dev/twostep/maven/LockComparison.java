package dev.twostep.maven;

import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.Release;
import dev.twostep.processor.internal.model.LockFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lock file of shipped releases against a compiled catalog, with the compiler's rule names:
 * what {@code lock-check} reports and {@code ship} refuses to build on.
 */
final class LockComparison {
  private LockComparison() {}

  /** Every disagreement, one line each; empty when they agree. */
  static List<String> problems(LockFile lock, MigrationCatalog catalog) {
    List<String> out = new ArrayList<>();
    Optional<Release> newest = lock.newestRelease();
    if (newest.isEmpty()) {
      return out;
    }
    for (LockFile.Entry entry : lock.entries()) {
      Optional<Migration> migration = at(catalog, entry);
      if (migration.isEmpty()) {
        out.add("[twostep:shipped-removed] " + entry.label() + " (line " + entry.line() + " of the lock file) shipped, but the "
            + "compiled catalog " + catalog.name() + " has no such migration. Restore it; shipped migrations are never deleted.");
      } else if (!migration.get().checksum().equals(entry.checksum())) {
        out.add("[twostep:shipped-changed] " + entry.label() + " (line " + entry.line() + " of the lock file): the lock file has "
            + "checksum " + entry.checksum() + ", the compiled migration " + migration.get().className() + " has "
            + migration.get().checksum() + ". Either the migration changed after it shipped (restore it and make the change "
            + "in a new migration) or the lock file was edited (restore it from version control).");
      }
    }
    for (Migration m : catalog.migrations()) {
      if (m.release().compareTo(newest.get()) <= 0 && lock.entries().stream().noneMatch(e -> isAt(e, m))) {
        out.add("[twostep:shipped-added] " + m.phase().label() + "-migration " + m.release().text() + " step " + m.step()
            + " (" + m.description() + ") belongs to release " + m.release().text() + ", but releases up "
            + "to " + newest.get().text() + " have shipped and the lock file does not list it: databases that already ran "
            + m.release().text() + " would never run it. Move it to a release after " + newest.get().text() + ".");
      }
    }
    return out;
  }

  /**
   * The lock file with every migration of releases up to {@code release} that it lacks, at the
   * catalog's checksum; {@code next} migrations are recorded as {@code release} (ship rewrites their sources).
   */
  static LockFile ship(LockFile lock, MigrationCatalog catalog, Release release) {
    List<LockFile.Entry> entries = new ArrayList<>(lock.entries());
    for (Migration m : catalog.migrations()) {
      Release shipped = m.release().isNext() ? release : m.release();
      if (shipped.compareTo(release) <= 0 && lock.entries().stream().noneMatch(e -> isAt(e, shipped, m))) {
        entries.add(new LockFile.Entry(shipped.text(), m.phase(), m.step(), m.checksum(), m.description(), 0));
      }
    }
    return new LockFile(entries);
  }

  private static Optional<Migration> at(MigrationCatalog catalog, LockFile.Entry entry) {
    return catalog.migrations().stream().filter(m -> isAt(entry, m)).findFirst();
  }

  private static boolean isAt(LockFile.Entry e, Migration m) {
    return isAt(e, m.release(), m);
  }

  private static boolean isAt(LockFile.Entry e, Release release, Migration m) {
    return m.phase() == e.phase() && m.step() == e.step() && Release.isValid(e.release())
        && release.equals(Release.parse(e.release()));
  }
}
