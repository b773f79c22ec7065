package dev.twostep.runtime.internal;

import dev.twostep.JavaMigration;
import dev.twostep.Migration;
import dev.twostep.MigrationContext;
import dev.twostep.SqlStatement;
import dev.twostep.runtime.AppliedMigration;
import dev.twostep.runtime.BlockingSession;
import dev.twostep.runtime.MigrationListener;
import dev.twostep.runtime.RetryPolicy;
import dev.twostep.runtime.TwostepException;
import dev.twostep.runtime.TwostepException.Reason;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one migration on a connection: a transactional migration in one transaction together
 * with its history row, a non-transactional one alone in autocommit with its history row written
 * after it succeeded. Both run under a short {@code lock_timeout}; lock timeouts and deadlocks
 * (decided by SQLSTATE) are retried per the {@link RetryPolicy}, and the final failure names the
 * sessions that held the lock.
 */
public final class MigrationExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(MigrationExecutor.class);

  /** {@code lock_not_available} and {@code deadlock_detected}. */
  private static final Set<String> RETRYABLE = Set.of("55P03", "40P01");

  private final HistoryTable history;
  private final Duration lockTimeout;
  private final RetryPolicy retryPolicy;
  private final BlockerWatch watch;
  private final MigrationListener listener;
  /** The session the backend pid was read from; an executor serves one migrating connection. */
  private Connection pidOf;
  private int pid;
  private SessionBaseline baseline;

  /**
   * An executor writing to {@code history}.
   *
   * @param history the history table
   * @param lockTimeout the {@code lock_timeout} of every attempt
   * @param retryPolicy how lock timeouts and deadlocks are retried
   * @param watch the watch that finds blocking sessions
   * @param listener hears each attempt, lock wait, retry, success and failure
   */
  public MigrationExecutor(HistoryTable history, Duration lockTimeout, RetryPolicy retryPolicy, BlockerWatch watch,
      MigrationListener listener) {
    this.history = history;
    this.lockTimeout = lockTimeout;
    this.retryPolicy = retryPolicy;
    this.watch = watch;
    this.listener = listener;
  }

  /** Which statement of a migration is running, for error messages. */
  private static final class Progress {
    int statement = -1;
    String cleanup = "";
  }

  /**
   * Applies {@code migration} on {@code connection} and records it in the history.
   *
   * @throws TwostepException when it fails after all attempts
   */
  public AppliedMigration apply(Connection connection, Migration migration) {
    int pid = cachedBackendPid(connection);
    long first = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      Progress progress = new Progress();
      listener.migrationStarting(migration, attempt, retryPolicy.maxAttempts());
      long start = System.nanoTime();
      int current = attempt;
      Consumer<List<BlockingSession>> onBlocked = blockers ->
          listener.lockWaiting(migration, current, Duration.ofNanos(System.nanoTime() - start), blockers);
      try {
        long ms = migration.transactional()
            ? applyInTransaction(connection, migration, progress, pid, onBlocked)
            : applyInAutocommit(connection, migration, progress, pid, onBlocked);
        AppliedMigration applied = new AppliedMigration(migration, ms, attempt);
        listener.migrationApplied(applied, Duration.ofNanos(System.nanoTime() - first));
        return applied;
      } catch (Exception e) {
        SQLException sql = sqlException(e);
        if (sql != null && SessionSemantics.SESSION_CHANGED.equals(sql.getSQLState())) {
          throw failed(migration, first, SessionSemantics.changed(migration.displayName() + ": " + sql.getMessage(), sql));
        }
        List<BlockingSession> blockers = watch.blockers();
        boolean retryable = sql != null && RETRYABLE.contains(sql.getSQLState()) && isRetrySafe(migration);
        if (retryable && attempt < retryPolicy.maxAttempts()) {
          Duration wait = retryPolicy.backoff(attempt, ThreadLocalRandom.current());
          listener.retrying(migration, attempt, retryPolicy.maxAttempts(),
              "40P01".equals(sql.getSQLState()) ? "deadlock" : "lock_timeout of " + lockTimeout.toMillis() + " ms reached",
              wait, blockers);
          sleep(wait);
          continue;
        }
        throw failed(migration, first, new TwostepException(sql != null && RETRYABLE.contains(sql.getSQLState())
                ? Reason.LOCK_BUSY
                : sql != null && SqlFailures.isConnectionLost(sql) ? Reason.DATABASE_UNAVAILABLE : Reason.MIGRATION_FAILED,
            failureMessage(migration, progress, e, sql, sql != null && RETRYABLE.contains(sql.getSQLState()) ? attempt : 0,
                blockers),
            sql == null ? null : sql.getSQLState(), e));
      }
    }
  }

  private TwostepException failed(Migration migration, long first, TwostepException failure) {
    listener.migrationFailed(migration, failure, Duration.ofNanos(System.nanoTime() - first));
    return failure;
  }

  private long applyInTransaction(Connection connection, Migration migration, Progress progress, int pid,
      Consumer<List<BlockingSession>> onBlocked) throws Exception {
    connection.setAutoCommit(false);
    try {
      // an SQL migration's first statement carries SET LOCAL lock_timeout in its round trip
      if (migration.isJava()) {
        try (Statement s = connection.createStatement()) {
          s.execute(baseline.restoreSql());
        }
        setLockTimeout(connection, true, pid);
      }
      long start = System.nanoTime();
      watch.watch(pid, onBlocked);
      runBody(connection, migration, progress, null, pid);
      watch.stop();
      long ms = (System.nanoTime() - start) / 1_000_000;
      progress.statement = -1;
      history.insert(connection, migration, ms, false);
      connection.commit();
      return ms;
    } catch (Exception e) {
      Transactions.rollbackAfter(connection, e);
      throw e;
    } finally {
      watch.stop();
      // on a lost connection this fails too; it must not hide the failure that ended the migration
      restoreAutoCommit(connection);
    }
  }

  private long applyInAutocommit(Connection connection, Migration migration, Progress progress, int pid,
      Consumer<List<BlockingSession>> onBlocked) throws Exception {
    connection.setAutoCommit(true);
    try (Statement s = connection.createStatement()) {
      // one implicit transaction: the pid check stops the reset on another backend
      s.execute(SessionSemantics.pidCheck(pid) + baseline.restoreSql());
    }
    setLockTimeout(connection, false, pid);
    try {
      long start = System.nanoTime();
      watch.watch(pid, onBlocked);
      runBody(connection, migration, progress, progress, pid);
      watch.stop();
      long ms = (System.nanoTime() - start) / 1_000_000;
      progress.statement = -1;
      history.insert(connection, migration, ms, false);
      return ms;
    } finally {
      watch.stop();
      resetLockTimeout(connection);
    }
  }

  /** Runs the statements or the Java migration; {@code cleanup} is set for autocommit runs. */
  private void runBody(Connection connection, Migration migration, Progress progress, Progress cleanup, int pid)
      throws Exception {
    if (migration.isJava()) {
      JavaMigration java = migration.javaFactory().get();
      java.migrate(new Context(
          migration.transactional() ? TransactionBoundConnection.wrap(connection, migration) : connection, migration));
      return;
    }
    List<SqlStatement> statements = migration.statements();
    for (int i = 0; i < statements.size(); i++) {
      progress.statement = i;
      SqlStatement statement = statements.get(i);
      Optional<ConcurrentIndex> index = cleanup == null ? Optional.empty() : ConcurrentIndex.of(statement);
      List<String> invalidBefore = List.of();
      if (index.isPresent()) {
        Optional<String> leftover = index.get().leftover(connection);
        if (leftover.isPresent()) {
          LOG.warn("{}: dropping INVALID index {} left by an earlier failed run before building it again",
              migration.displayName(), leftover.get());
          ConcurrentIndex.drop(connection, leftover.get());
        }
        Optional<ConcurrentIndex.Twin> twin = index.get().validTwin(connection);
        if (twin.isPresent() && twin.get().same()) {
          LOG.warn("{}: index {} already exists, VALID and exactly as this statement builds it ({}): an earlier run "
              + "built it but stopped before recording the migration; recording the migration as applied without "
              + "building the index again", migration.displayName(), twin.get().name(), twin.get().existing());
          continue;
        }
        if (twin.isPresent()) {
          throw new IndexMismatch(twin.get());
        }
        invalidBefore = index.get().invalidIndexes(connection);
      }
      try (Statement s = connection.createStatement()) {
        // the driver sends both statements in one round trip; SET LOCAL ends with the transaction
        s.execute(i == 0 && cleanup == null
            ? SessionSemantics.pidCheck(pid) + baseline.restoreSql() + setLocalLockTimeout() + statement.sql()
            : statement.sql());
      } catch (SQLException e) {
        if (index.isPresent()) {
          cleanup.cleanup = dropNewInvalid(connection, migration, index.get(), invalidBefore);
        }
        throw e;
      }
    }
  }

  private static String dropNewInvalid(
      Connection connection, Migration migration, ConcurrentIndex index, List<String> before) {
    StringBuilder note = new StringBuilder();
    try {
      for (String invalid : index.invalidIndexes(connection)) {
        if (before.contains(invalid)) {
          continue;
        }
        try {
          ConcurrentIndex.drop(connection, invalid);
          LOG.info("{}: dropped the INVALID index {} the failed CREATE INDEX CONCURRENTLY left", migration.displayName(), invalid);
          note.append("\nThe INVALID index ").append(invalid).append(" it left behind was dropped.");
        } catch (SQLException e) {
          note.append("\nThe INVALID index ").append(invalid).append(" it left behind could not be dropped (SQLSTATE ")
              .append(e.getSQLState()).append(": ").append(e.getMessage()).append("); drop it with DROP INDEX CONCURRENTLY ")
              .append(invalid).append(';');
        }
      }
    } catch (SQLException e) {
      note.append("\nCould not look for an INVALID index it may have left: ").append(e.getMessage());
    }
    return note.toString();
  }

  /** Transactional migrations roll back completely; non-transactional SQL only when it is one statement. */
  private static boolean isRetrySafe(Migration migration) {
    return migration.transactional() || (!migration.isJava() && migration.statements().size() == 1);
  }

  /** Sets {@code lock_timeout} only on backend {@code pid}: elsewhere it would stay on a pooled backend. */
  private void setLockTimeout(Connection connection, boolean local, int pid) throws SQLException {
    try (var s = connection.prepareStatement(
        "SELECT set_config('lock_timeout', ?, ?) WHERE pg_backend_pid() = ?")) {
      s.setString(1, lockTimeout.toMillis() + "ms");
      s.setBoolean(2, local);
      s.setInt(3, pid);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("twostep: this transaction runs on another backend than " + pid
              + " where the run started", SessionSemantics.SESSION_CHANGED);
        }
      }
    }
  }

  /** {@code SET LOCAL lock_timeout = <ms>;}: a number of milliseconds, never text from outside. */
  private String setLocalLockTimeout() {
    return "SET LOCAL lock_timeout = " + lockTimeout.toMillis() + ";\n";
  }

  private static void resetLockTimeout(Connection connection) {
    try (Statement s = connection.createStatement()) {
      s.execute("RESET lock_timeout");
    } catch (SQLException e) {
      LOG.debug("RESET lock_timeout failed", e);
    }
  }

  private int cachedBackendPid(Connection connection) {
    if (pidOf != connection) {
      pid = backendPid(connection);
      try {
        baseline = SessionBaseline.capture(connection);
      } catch (SQLException e) {
        throw new TwostepException(Reason.DATABASE_UNAVAILABLE, "cannot read the session's settings: " + SqlFailures.message(e), e.getSQLState(), e);
      }
      pidOf = connection;
    }
    return pid;
  }

  /**
   * Brings {@code connection} back to the session state it had before the first migration, so
   * that nothing a migration set with a plain {@code SET} or {@code SET ROLE} outlives the run.
   * Call it once the run is over, in autocommit; best effort.
   */
  public void restoreSession(Connection connection) {
    if (pidOf != connection) {
      return;
    }
    try (Statement s = connection.createStatement()) {
      s.execute(SessionSemantics.pidCheck(pid) + baseline.restoreSql());
    } catch (SQLException e) {
      if (SqlFailures.isConnectionLost(e)) {
        LOG.debug("The migrating session is gone, and its settings with it: {}", e.getMessage());
      } else {
        LOG.warn("Could not restore the migrating session's settings: {}", SqlFailures.message(e));
      }
    }
  }

  private static int backendPid(Connection connection) {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new TwostepException(Reason.DATABASE_UNAVAILABLE, "cannot read the session's backend pid: " + e.getMessage(), e.getSQLState(), e);
    }
  }

  private static void restoreAutoCommit(Connection connection) {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      LOG.debug("restoring autocommit failed", e);
    }
  }

  /**
   * Prepares the session that runs migrations: PostgreSQL checks every second whether the client
   * is still there ({@code client_connection_check_interval}, PostgreSQL 14 and later), so that a
   * deployer killed in the middle of a long statement does not leave its transaction running,
   * holding locks, until the statement ends: PostgreSQL ends the session and rolls it back, and a
   * {@code CREATE INDEX CONCURRENTLY} stops, leaving at most an INVALID index for the next run to
   * drop. Best effort: older servers and platforms without the check keep the default.
   *
   * @param connection the migrating connection, in autocommit
   */
  public static void prepareSession(Connection connection) {
    try (var s = connection.prepareStatement("SELECT set_config('client_connection_check_interval', ?, false)")) {
      s.setString(1, "1000");
      s.execute();
    } catch (SQLException e) {
      LOG.debug("client_connection_check_interval is not available: {}", e.getMessage());
    }
  }

  private static void sleep(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TwostepException(Reason.INTERRUPTED, "interrupted while waiting to retry", e);
    }
  }

  private static SQLException sqlException(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        return (SQLException) t;
      }
    }
    return null;
  }

  private String failureMessage(
      Migration migration, Progress progress, Exception e, SQLException sql, int lockAttempts,
      List<BlockingSession> blockers) {
    StringBuilder out = new StringBuilder("migration ").append(Printable.escape(migration.displayName())).append(" (release ")
        .append(migration.release()).append(", phase ").append(migration.phase().label()).append(", step ")
        .append(migration.step()).append(") failed");
    SqlStatement statement = null;
    if (migration.isJava()) {
      out.append(" in Java class ").append(migration.className());
    } else if (progress.statement >= 0) {
      statement = migration.statements().get(progress.statement);
      out.append(" at statement ").append(progress.statement + 1).append(" of ").append(migration.statements().size())
          .append(" (line ").append(statement.line()).append(" of its SQL)");
    } else {
      out.append(" while recording it in the history table ").append(history.displayName());
    }
    out.append(": ");
    if (sql != null) {
      out.append("SQLSTATE ").append(sql.getSQLState()).append(": ").append(SqlFailures.message(sql));
    } else {
      out.append(e.getClass().getSimpleName()).append(e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    if (statement != null) {
      String text = statement.sql().strip();
      out.append("\n  statement: ").append(text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }
    if (sql instanceof PSQLException && ((PSQLException) sql).getServerErrorMessage() != null) {
      ServerErrorMessage server = ((PSQLException) sql).getServerErrorMessage();
      if (server.getDetail() != null) {
        out.append("\n  detail: ").append(server.getDetail());
      }
      if (server.getHint() != null) {
        out.append("\n  hint: ").append(server.getHint());
      }
    }
    if (lockAttempts > 0) {
      out.append("\nGave up after ").append(lockAttempts).append(lockAttempts == 1 ? " attempt" : " attempts");
      if ("40P01".equals(sql.getSQLState())) {
        out.append(", the last one chosen as a deadlock victim. ");
      } else {
        out.append(", each waiting at most lock_timeout ").append(lockTimeout.toMillis()).append(" ms for a lock. ");
      }
      if (blockers.isEmpty()) {
        out.append("The sessions holding the lock could not be identified (they were not seen waiting).");
      } else {
        out.append("Blocked by:");
        for (BlockingSession b : blockers) {
          out.append("\n  ").append(b.describe());
        }
        out.append("\nLet those transactions finish, or end them (SELECT pg_terminate_backend(")
            .append(blockers.get(0).pid()).append(")), then run again.");
      }
    }
    boolean lost = sql != null && SqlFailures.isConnectionLost(sql);
    if (lost) {
      out.append("\nThe connection to the database was lost (the server restarted or shut down, the session was "
          + "terminated, or the network failed).");
    }
    if (migration.transactional()) {
      out.append("\nThe migration was rolled back: none of its changes and no history row were kept.");
      if (lost) {
        out.append(" Run again once the database is reachable.");
      }
    } else {
      out.append("\nThe migration ran in autocommit and was not recorded in the history.").append(progress.cleanup);
      if (lost) {
        out.append("\nRun again once the database is reachable; an INVALID index a CREATE INDEX CONCURRENTLY left "
            + "is dropped by the next run before it builds the index again.");
      }
      if (sql != null && "42P07".equals(sql.getSQLState()) && !(sql instanceof IndexMismatch)) {
        out.append("\nIf an earlier run created the object but stopped before recording the migration, drop it "
            + "and run again (a shipped migration must not be edited).");
      }
    }
    return out.toString();
  }

  /** A VALID index of the statement's name exists, but it is not the one the statement builds. */
  private static final class IndexMismatch extends SQLException {
    private static final long serialVersionUID = 1L;

    IndexMismatch(ConcurrentIndex.Twin twin) {
      super("index " + twin.name() + " already exists but is not the index this statement builds: the existing "
          + "one is [" + twin.existing() + "], the statement builds [" + twin.built() + "]. If the existing index is left over from an earlier "
          + "run, drop it (DROP INDEX CONCURRENTLY " + twin.name() + ";) and run again; if something else needs it, "
          + "rename it first (a shipped migration must not be edited)", "42P07");
    }
  }

  /** What a Java migration sees. */
  private static final class Context implements MigrationContext {
    private final Connection connection;
    private final Migration migration;
    private final System.Logger logger;

    Context(Connection connection, Migration migration) {
      this.connection = connection;
      this.migration = migration;
      this.logger = new Slf4jSystemLogger(migration.className());
    }

    @Override
    public Connection connection() {
      return connection;
    }

    @Override
    public Migration migration() {
      return migration;
    }

    @Override
    public System.Logger logger() {
      return logger;
    }

    @Override
    public long inBatches(String batchSql) throws SQLException {
      long total = 0;
      int batches = 0;
      try (Statement s = connection.createStatement()) {
        while (true) {
          // in autocommit (non-transactional migrations) every batch commits on its own
          int count = s.executeUpdate(batchSql);
          if (count <= 0) {
            break;
          }
          total += count;
          batches++;
          LOG.debug("{}: batch {} updated {} rows", migration.displayName(), batches, count);
        }
      }
      LOG.info("{}: {} rows in {} batches", migration.displayName(), total, batches);
      return total;
    }
  }
}
