package dev.twostep.runtime;

import dev.twostep.Migration;

/**
 * A migration {@link Twostep#migrate(Target)} applied.
 *
 * @param migration the migration
 * @param executionMs how long its successful attempt ran, as recorded in the history
 * @param attempts how many attempts it took (more than 1 after lock timeouts or deadlocks)
 */
public record AppliedMigration(Migration migration, long executionMs, int attempts) {}
