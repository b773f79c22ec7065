package dev.twostep.runtime;

import dev.twostep.Migration;
import dev.twostep.Phase;
import dev.twostep.runtime.internal.Printable;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of {@link StatusReport}: a migration of the catalog, a history row, or both. Its
 * {@link #state()} is applied, pending or drift; for drift, {@link #drift()} says which kind, in
 * the words {@link Twostep#verify()} uses ({@link Drift.Kind}). Immutable.
 */
public final class StatusEntry {
  /** How a catalog migration and the history relate. */
  public enum State {
    /** In the catalog and in the history with the same checksum. */
    APPLIED,
    /** In the catalog, not yet in the history, and free to run in order. */
    PENDING,
    /** Out of order: {@link StatusEntry#drift()} says how. */
    DRIFT
  }

  private final String release;
  private final Phase phase;
  private final int step;
  private final String description;
  private final Optional<Drift.Kind> drift;
  private final Optional<Migration> migration;
  private final Optional<HistoryEntry> history;

  private StatusEntry(String release, Phase phase, int step, String description, Optional<Drift.Kind> drift,
      Optional<Migration> migration, Optional<HistoryEntry> history) {
    this.release = release;
    this.phase = phase;
    this.step = step;
    this.description = description;
    this.drift = drift;
    this.migration = migration;
    this.history = history;
  }

  private static StatusEntry ofMigration(Migration m, Optional<Drift.Kind> drift, Optional<HistoryEntry> row) {
    return new StatusEntry(m.release().text(), m.phase(), m.step(), m.description(), drift, Optional.of(m), row);
  }

  /** A catalog migration whose history row has its checksum. */
  public static StatusEntry applied(Migration migration, HistoryEntry row) {
    return ofMigration(Objects.requireNonNull(migration, "migration"), Optional.empty(),
        Optional.of(Objects.requireNonNull(row, "row")));
  }

  /** A catalog migration without history row that may run in order. */
  public static StatusEntry pending(Migration migration) {
    return ofMigration(Objects.requireNonNull(migration, "migration"), Optional.empty(), Optional.empty());
  }

  /** A catalog migration whose history row has another checksum: {@link Drift.Kind#CHECKSUM_MISMATCH}. */
  public static StatusEntry checksumMismatch(Migration migration, HistoryEntry row) {
    return ofMigration(Objects.requireNonNull(migration, "migration"), Optional.of(Drift.Kind.CHECKSUM_MISMATCH),
        Optional.of(Objects.requireNonNull(row, "row")));
  }

  /**
   * A catalog migration without history row that sorts before an applied one:
   * {@link Drift.Kind#ADDED_TO_APPLIED_RELEASE}.
   */
  public static StatusEntry addedToAppliedRelease(Migration migration) {
    return ofMigration(Objects.requireNonNull(migration, "migration"), Optional.of(Drift.Kind.ADDED_TO_APPLIED_RELEASE),
        Optional.empty());
  }

  /**
   * A history row the catalog does not have.
   *
   * @param kind {@link Drift.Kind#UNKNOWN_MIGRATION} (its release is in the catalog, or it is a
   *     {@code next} row) or {@link Drift.Kind#UNKNOWN_RELEASE}
   * @throws IllegalArgumentException for another kind
   */
  public static StatusEntry unknown(Drift.Kind kind, HistoryEntry row) {
    if (kind != Drift.Kind.UNKNOWN_MIGRATION && kind != Drift.Kind.UNKNOWN_RELEASE) {
      throw new IllegalArgumentException("a history row the catalog lacks is an unknown migration or release, not " + kind);
    }
    return new StatusEntry(row.release(), row.phase(), row.step(), row.description(), Optional.of(kind), Optional.empty(),
        Optional.of(row));
  }

  /** The release, as the catalog spells it (as the history does for an unknown row). */
  public String release() {
    return release;
  }

  /** Pre or post. */
  public Phase phase() {
    return phase;
  }

  /** The step within (release, phase). */
  public int step() {
    return step;
  }

  /** The catalog's description, or the history's for an unknown row. */
  public String description() {
    return description;
  }

  /** Applied, pending, or drift. */
  public State state() {
    return drift.isPresent() ? State.DRIFT : history.isPresent() ? State.APPLIED : State.PENDING;
  }

  /** Why the entry is out of order, for {@link State#DRIFT} only; empty otherwise. */
  public Optional<Drift.Kind> drift() {
    return drift;
  }

  /** The catalog's migration; empty for a history row the catalog does not have. */
  public Optional<Migration> migration() {
    return migration;
  }

  /** The history row; empty for a migration not applied. */
  public Optional<HistoryEntry> history() {
    return history;
  }

  /**
   * The state as {@code status} prints it: {@code applied}, {@code pending}, {@code checksum
   * mismatch}, {@code unknown} (a history row the catalog lacks, migration or release) or
   * {@code added to applied release}.
   */
  public String label() {
    return drift.map(k -> k == Drift.Kind.UNKNOWN_MIGRATION || k == Drift.Kind.UNKNOWN_RELEASE ? "unknown" : k.label())
        .orElseGet(() -> state().name().toLowerCase(java.util.Locale.ROOT));
  }

  /** {@code "2.0.0:pre #1 add priority"}. */
  public String displayName() {
    return release + ":" + phase.label() + " #" + step + " " + Printable.escape(description);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatusEntry e && release.equals(e.release) && phase == e.phase && step == e.step
        && description.equals(e.description) && drift.equals(e.drift) && migration.equals(e.migration)
        && history.equals(e.history);
  }

  @Override
  public int hashCode() {
    return Objects.hash(release, phase, step, description, drift, migration, history);
  }

  /** {@code 2.0.0:pre #1 add priority (checksum mismatch)}. */
  @Override
  public String toString() {
    return displayName() + " (" + label() + ")";
  }
}
