package dev.twostep.processor.internal.check;

import dev.twostep.Rule;
import static dev.twostep.processor.internal.model.Diagnostic.Anchor.CLASS;
import static dev.twostep.processor.internal.model.Diagnostic.Anchor.SQL;

import dev.twostep.Release;
import dev.twostep.processor.internal.model.Checksums;
import dev.twostep.processor.internal.model.Diagnostic;
import dev.twostep.processor.internal.model.LockFile;
import dev.twostep.processor.internal.model.MigrationModel;
import dev.twostep.processor.internal.model.MigrationSetModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Shipped releases are frozen: compares the sources with the lock file ({@code shipped-changed},
 * {@code shipped-added}, {@code shipped-removed}) and records newly shipped releases.
 */
public final class ShippedRules {
  private ShippedRules() {}

  /** The differences between {@code set} and the releases {@code lock} records as shipped. */
  public static List<Diagnostic> check(MigrationSetModel set, LockFile lock) {
    List<Diagnostic> out = new ArrayList<>();
    Optional<Release> newest = lock.newestRelease();
    if (newest.isEmpty()) {
      return out;
    }
    for (MigrationModel m : set.migrations()) {
      if (!Release.isValid(m.release())) {
        continue;
      }
      Optional<LockFile.Entry> entry = lock.entryAt(m);
      if (entry.isPresent()) {
        if (!entry.get().checksum().equals(Checksums.of(m))) {
          out.add(Diagnostic.error(Rule.SHIPPED_CHANGED, m, m.hasSql() ? SQL : CLASS, Messages.shippedChanged(m, newest.get())));
        }
      } else if (Release.parse(m.release()).compareTo(newest.get()) <= 0) {
        out.add(Diagnostic.error(Rule.SHIPPED_ADDED, m, Diagnostic.Anchor.RELEASE, Messages.shippedAdded(m, newest.get())));
      }
    }
    for (LockFile.Entry e : lock.entries()) {
      if (set.migrations().stream().noneMatch(e::isAt)) {
        out.add(new Diagnostic(Diagnostic.Severity.ERROR, Rule.SHIPPED_REMOVED, null, CLASS, Messages.shippedRemoved(e)));
      }
    }
    return out;
  }

  /**
   * The lock file after shipping {@code release}: {@code lock}'s entries, kept as they are, plus
   * every migration of every release up to and including {@code release} not yet listed.
   */
  public static LockFile ship(MigrationSetModel set, LockFile lock, Release release) {
    List<LockFile.Entry> entries = new ArrayList<>(lock.entries());
    for (MigrationModel m : set.migrations()) {
      if (Release.isValid(m.release()) && Release.parse(m.release()).compareTo(release) <= 0 && lock.entryAt(m).isEmpty()) {
        entries.add(new LockFile.Entry(m.release(), m.phase(), m.step(), Checksums.of(m), m.description(), 0));
      }
    }
    return new LockFile(entries);
  }
}
