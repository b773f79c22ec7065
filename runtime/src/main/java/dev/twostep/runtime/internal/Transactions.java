package dev.twostep.runtime.internal;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The one way Twostep runs work in a transaction of its own: begin, work, commit; on failure a
 * rollback; autocommit restored in every case. When the connection itself is lost, the rollback
 * and the restore fail too: their failures are attached to the failure that ended the work as
 * suppressed exceptions, never thrown in its place, so the error a user reads names what really
 * went wrong (the migration's statement, the lost connection), not "connection closed".
 */
public final class Transactions {
  private Transactions() {}

  /** Work that runs on a connection and may fail with an SQL error. */
  @FunctionalInterface
  public interface SqlWork<T> {
    /** Does the work. */
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on {@code connection} and returns its result; commits
   * when it succeeds, rolls back when it throws, and leaves the connection in the autocommit mode
   * it found.
   *
   * @throws SQLException the work's failure (or the commit's), with any failure of the rollback or
   *     of restoring autocommit attached as suppressed
   */
  public static <T> T inTransaction(Connection connection, SqlWork<T> work) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    Throwable failure = null;
    try {
      T result = work.run();
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      failure = e;
      rollbackAfter(connection, e);
      throw e;
    } finally {
      restoreAutoCommit(connection, autoCommit, failure);
    }
  }

  /**
   * Rolls back after {@code failure} ended a transaction's work; a failing rollback (on a lost
   * connection) is attached to {@code failure} instead of replacing it.
   */
  public static void rollbackAfter(Connection connection, Throwable failure) {
    try {
      connection.rollback();
    } catch (SQLException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Sets autocommit back to {@code autoCommit}. With a {@code failure} already on its way, a failure
   * here is attached to it; without one it is thrown, as the connection is then unusable.
   *
   * @throws SQLException when restoring fails and no other failure is on its way
   */
  public static void restoreAutoCommit(Connection connection, boolean autoCommit, Throwable failure)
      throws SQLException {
    try {
      connection.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      if (failure == null) {
        throw e;
      }
      failure.addSuppressed(e);
    }
  }
}
