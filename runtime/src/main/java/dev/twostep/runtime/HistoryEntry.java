package dev.twostep.runtime;

import dev.twostep.Phase;
import dev.twostep.runtime.internal.Printable;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the history table: a migration applied (or, for a baseline, recorded as applied) on
 * this database.
 *
 * @param release the release as the catalog spelled it when the row was written
 * @param phase pre or post
 * @param step the step within (release, phase)
 * @param description the migration's description
 * @param checksum the migration's checksum when it was applied
 * @param kind {@code sql} or {@code java}
 * @param appliedAt when it was applied
 * @param executionMs how long it ran, 0 for a baseline
 * @param appliedBy the database user that applied it
 * @param waivers the waived rules with their reasons, one {@code rule: reason} per line; the
 *     empty string when none
 * @param baseline true when recorded by {@code baseline} without running
 */
public record HistoryEntry(
    String release,
    Phase phase,
    int step,
    String description,
    String checksum,
    String kind,
    Instant appliedAt,
    long executionMs,
    String appliedBy,
    String waivers,
    boolean baseline) {
  /**
   * Checks that no value is missing.
   *
   * @throws NullPointerException when a value is {@code null} (no waivers is {@code ""})
   */
  public HistoryEntry {
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(checksum, "checksum");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(appliedAt, "appliedAt");
    Objects.requireNonNull(appliedBy, "appliedBy");
    Objects.requireNonNull(waivers, "waivers");
  }

  /** {@code "2.0.0:pre #1 add priority"}, like {@link dev.twostep.Migration#displayName()}. */
  public String displayName() {
    return release + ":" + phase.label() + " #" + step + " " + Printable.escape(description);
  }
}
