package dev.twostep.runtime;

import java.util.List;

/**
 * What {@link Twostep#migrate(Target)} did.
 *
 * @param before the schema state before
 * @param after the schema state after
 * @param applied the migrations applied, in order; empty when everything was applied already
 * @param notes what else the run changed, one line each for people: history rows of
 *     {@code release = "next"} migrations re-keyed to the release they shipped in
 *     ({@code history row next:pre #2 is now 3.1.0:pre #2 (shipped)})
 */
public record MigrateResult(SchemaState before, SchemaState after, List<AppliedMigration> applied, List<String> notes) {
  /** Copies the lists. */
  public MigrateResult {
    applied = List.copyOf(applied);
    notes = List.copyOf(notes);
  }

  /** A result without notes. */
  public MigrateResult(SchemaState before, SchemaState after, List<AppliedMigration> applied) {
    this(before, after, applied, List.of());
  }
}
