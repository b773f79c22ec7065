package dev.twostep;

/**
 * A migration written in Java, for work SQL cannot express well (batched backfills, data
 * conversions). Annotate the class with {@link PreMigration} or {@link PostMigration} and leave
 * {@code sql} blank; give it a no-argument constructor the generated catalog can call (public when
 * the class lives in another package than the generated catalog).
 *
 * <p>By default the migration runs in one transaction together with its history row. A class
 * that also implements {@link NonTransactional} runs in autocommit, and
 * {@link MigrationContext#inBatches} then commits after each batch.
 */
public interface JavaMigration {
  /**
   * Applies the migration.
   *
   * @param context the connection and helpers for this migration
   * @throws Exception any failure: a transactional migration is then rolled back with its history
   *     row; the runner reports the exception with the migration's release, phase and step
   */
  void migrate(MigrationContext context) throws Exception;
}
