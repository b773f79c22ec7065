package dev.twostep.runtime.internal;

import dev.twostep.runtime.TwostepException;
import dev.twostep.runtime.TwostepException.Reason;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.postgresql.PGConnection;

/**
 * Proves, before a run takes the deployer lock or sets anything, that its connections have
 * session semantics: each connection owns its PostgreSQL backend for as long as it is open. A
 * pooler in transaction (or statement) pooling mode, such as PgBouncer with
 * {@code pool_mode=transaction}, lends a backend per transaction, so a session-level advisory lock
 * or a plain {@code SET} would stay on a pooled backend that other clients then get.
 *
 * <p>The probe: connection A ends a transaction that read its backend pid X; a second connection
 * B then reads its own backend pid. With session semantics A still owns X, so B can never see
 * X; a transaction pooler hands B the backend A just released (PgBouncer gives out the most
 * recently released one). A's own pid must also stay X between its transactions. Several rounds
 * are made; a backend taken by another client in between only postpones the proof to a later
 * round, and every migration transaction checks the pid again ({@link #pidCheck}) as a second
 * line. The probe uses only simple one-shot queries in autocommit: no {@code SET}, no
 * server-side prepared statement, nothing left on a pooled backend.
 */
public final class SessionSemantics {
  /** The SQLSTATE {@link #pidCheck} raises when a transaction runs on another backend. */
  public static final String SESSION_CHANGED = "TS001";

  private static final int ROUNDS = 8;
  private static final int QUERY_TIMEOUT_SECONDS = 10;

  private SessionSemantics() {}

  /**
   * Two connections proved to own their backends, handed to the run (the deployer lock's and the
   * work's) instead of opening two more: each connection costs a round of authentication.
   */
  public record Proven(Connection first, Connection second) {}

  /**
   * Refuses a connection without session semantics.
   *
   * @param source where the run connects
   * @return the two connections of the probe, in autocommit; the caller closes them
   * @throws TwostepException with one line saying what was detected and how to connect instead
   */
  public static Proven require(ConnectionSource source) {
    Connection a = null;
    Connection b = null;
    // the second connection is opened while the first is: on a server each one starts a process
    CompletableFuture<Connection> second = CompletableFuture.supplyAsync(source::open, OPENER);
    try {
      try {
        a = source.open();
      } catch (RuntimeException e) {
        second.thenAccept(ConnectionSource::closeQuietly);
        throw e;
      }
      b = join(second);
      a.setAutoCommit(true);
      b.setAutoCommit(true);
      int thresholdA = prepareThreshold(a);
      int thresholdB = prepareThreshold(b);
      // one-shot queries only while proving: no named server-side statement on a pooled backend
      setPrepareThreshold(a, 0);
      setPrepareThreshold(b, 0);
      int first = pid(a);
      for (int round = 0; round < ROUNDS; round++) {
        int other = pid(b);
        if (other == first) {
          throw refusal(source, "two of its connections were served by the same PostgreSQL backend (pid " + first + ")");
        }
        int own = pid(a);
        if (own != first) {
          throw refusal(source, "one connection moved from PostgreSQL backend pid " + first + " to " + own
              + " between two transactions");
        }
      }
      // proved: the run may prepare server-side statements on its own backends again
      setPrepareThreshold(a, thresholdA);
      setPrepareThreshold(b, thresholdB);
      return new Proven(a, b);
    } catch (SQLException e) {
      ConnectionSource.closeQuietly(a, b);
      throw new TwostepException(Reason.DATABASE_UNAVAILABLE, "cannot check the connection to " + source + ": SQLSTATE " + e.getSQLState() + ": "
          + source.mask(SqlFailures.message(e)), e.getSQLState(), e);
    } catch (RuntimeException e) {
      ConnectionSource.closeQuietly(a, b);
      throw e;
    }
  }

  /** Opens the probe's second connection; a daemon thread, so that it never holds the JVM. */
  private static final Executor OPENER = task -> {
    Thread t = new Thread(task, "twostep-connect");
    t.setDaemon(true);
    t.start();
  };

  /** The connection {@code opening} gives, or its failure as it was thrown. */
  private static Connection join(CompletableFuture<Connection> opening) {
    try {
      return opening.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  private static int prepareThreshold(Connection connection) throws SQLException {
    return connection.isWrapperFor(PGConnection.class) ? connection.unwrap(PGConnection.class).getPrepareThreshold() : 0;
  }

  private static void setPrepareThreshold(Connection connection, int threshold) throws SQLException {
    if (connection.isWrapperFor(PGConnection.class)) {
      connection.unwrap(PGConnection.class).setPrepareThreshold(threshold);
    }
  }

  /**
   * The message for a run whose connection turned out to lack session semantics in the middle.
   *
   * @param what what diverged, with the pids
   */
  public static TwostepException changed(String what, SQLException cause) {
    return new TwostepException(Reason.REFUSED, "stopped: the connection lost session semantics (" + what + "), as through a pooler "
        + "in transaction pooling mode; the current migration was rolled back and nothing more was applied. "
        + howToConnect(), SESSION_CHANGED, cause);
  }

  /**
   * A statement that fails with {@link #SESSION_CHANGED} unless the transaction runs on backend
   * {@code pid}; put it first in a migration's transaction.
   */
  public static String pidCheck(int pid) {
    return "DO $twostep$ BEGIN IF pg_backend_pid() <> " + pid + " THEN RAISE EXCEPTION USING ERRCODE = '"
        + SESSION_CHANGED + "', MESSAGE = 'twostep: this transaction runs on backend ' || pg_backend_pid() || ', not on "
        + pid + " where the run started'; END IF; END $twostep$;\n";
  }

  private static TwostepException refusal(ConnectionSource source, String detected) {
    return new TwostepException(Reason.REFUSED, "refusing to run: the connection to " + source + " has no session semantics: "
        + detected + ", as a pooler in transaction pooling mode (PgBouncer pool_mode=transaction) does. "
        + howToConnect() + " Nothing was locked, set or applied.", SESSION_CHANGED, null);
  }

  private static String howToConnect() {
    return "Twostep needs a session of its own (deployer lock, SET LOCAL, autocommit statements): "
        + "connect directly to PostgreSQL, or through PgBouncer with pool_mode=session.";
  }

  /** Reads the backend pid in an autocommit query (one-shot while the prepare threshold is 0). */
  private static int pid(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
      try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
