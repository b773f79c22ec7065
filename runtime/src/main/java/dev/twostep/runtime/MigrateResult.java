package dev.twostep.runtime;

import java.util.List;

/**
 * What {@link Twostep#migrate(Target)} did.
 *
 * @param before the schema state before
 * @param after the schema state after
 * @param applied the migrations applied, in order; empty when everything was applied already
 */
public record MigrateResult(SchemaState before, SchemaState after, List<AppliedMigration> applied) {
  /** Copies the list. */
  public MigrateResult {
    applied = List.copyOf(applied);
  }
}
