package dev.twostep;

import java.sql.Connection;
import java.sql.SQLException;

/** What a {@link JavaMigration} gets from the runner. */
public interface MigrationContext {
  /**
   * The connection to migrate with. For a transactional migration it is inside the migration's
   * transaction: do not commit, roll back or close it. For a {@link NonTransactional} one it is in
   * autocommit.
   */
  Connection connection();

  /** The migration being applied. */
  Migration migration();

  /** A logger named after the migration; output goes wherever the runtime's logging goes. */
  System.Logger logger();

  /**
   * Runs {@code batchSql}, a statement that handles at most one batch of rows and returns its
   * update count, until it affects no row, for example
   * {@code UPDATE shop_jobs SET priority = 0 WHERE id IN (SELECT id FROM shop_jobs WHERE priority
   * IS NULL LIMIT 1000)}. In a {@link NonTransactional} migration every batch is committed on its
   * own, so rows are never locked for long; otherwise the batches share the migration's
   * transaction.
   *
   * @return the total number of rows affected
   * @throws SQLException when a batch fails; batches committed before stay committed, so the
   *     statement must be written to resume where it stopped
   */
  long inBatches(String batchSql) throws SQLException;
}
