package dev.twostep;

/**
 * Marker for a {@link JavaMigration} that must not run in one transaction: a long batched
 * backfill that should commit between batches so it never holds row locks for long. The runner
 * applies it in autocommit and records its history row only after it returns.
 */
public interface NonTransactional {}
