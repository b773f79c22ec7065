package dev.twostep.runtime.snapshot;

import dev.twostep.runtime.internal.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sees every lock a transactional migration held, however briefly it held it. A migration's
 * transaction keeps each table lock it took until it commits, and the last thing it does before
 * committing is to insert its history row. The probe holds a SHARE lock on the history table, so
 * that insert waits; while it waits the probe reads from {@code pg_locks} every relation lock the
 * migrating session holds, then lets it go on and takes the SHARE lock again (granted once the
 * migration committed, and before the next migration can reach its insert, since the waiting
 * request queues ahead of it). A non-transactional migration's insert waits too, but by then it
 * holds no lock: what it locked is left to the {@link LockSampler}.
 *
 * <p>The waits are bounded by the migration's {@code lock_timeout}; the probe reacts within
 * milliseconds.
 */
final class LockProbe {
  /** Weakest to strongest, as PostgreSQL's conflict table orders them. */
  static final List<String> MODES = List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock",
      "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");

  /**
   * The relation locks one migrating session held just before it committed.
   *
   * @param strongest for each relation oid, the strongest granted mode
   */
  record Capture(Map<Long, String> strongest) {}

  private final Connection probe;
  private final Connection observer;
  private final String history;
  private final long historyOid;
  private final BlockingQueue<Capture> captures = new LinkedBlockingQueue<>();
  private volatile boolean running;
  private volatile SQLException failure;
  private Thread thread;

  private LockProbe(Connection probe, Connection observer, String history, long historyOid) {
    this.probe = probe;
    this.observer = observer;
    this.history = history;
    this.historyOid = historyOid;
  }

  /**
   * A probe on the history table {@code schema.table} through the two connections (which it does
   * not close), or {@code null} when that table does not exist yet.
   */
  static LockProbe on(Connection probe, Connection observer, String schema, String table) throws SQLException {
    String qualified = Identifiers.quote(schema) + "." + Identifiers.quote(table);
    try (PreparedStatement s = observer.prepareStatement("SELECT to_regclass(?)::oid")) {
      s.setString(1, qualified);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        long oid = rs.getLong(1);
        return rs.wasNull() ? null : new LockProbe(probe, observer, qualified, oid);
      }
    }
  }

  /** Takes the SHARE lock and starts watching on a daemon thread. */
  void start() throws SQLException {
    probe.setAutoCommit(false);
    lockHistory();
    running = true;
    thread = new Thread(this::run, "twostep-lock-probe");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The capture of the migration that just committed, or {@code null} when none was taken. An
   * attempt that timed out on its history insert after it was captured, and was retried, leaves
   * an earlier capture: the last one is the attempt that committed.
   */
  Capture next() {
    Capture last = null;
    for (Capture c = captures.poll(); c != null; c = captures.poll()) {
      last = c;
    }
    return last;
  }

  /** Stops watching and releases the history table. */
  void stop() {
    running = false;
    if (thread != null) {
      LockSupport.unpark(thread);
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      probe.rollback();
      probe.setAutoCommit(true);
    } catch (SQLException e) {
      failure = failure == null ? e : failure;
    }
  }

  /** The error that stopped the probe early, or {@code null}. */
  SQLException failure() {
    return failure;
  }

  private void run() {
    try (PreparedStatement waiters = observer.prepareStatement(
            "SELECT pid FROM pg_locks WHERE locktype = 'relation' AND relation = ? AND NOT granted AND pid <> ? "
                + "AND mode = 'RowExclusiveLock'"); // the history row's INSERT
        PreparedStatement held = observer.prepareStatement(
            "SELECT relation, mode FROM pg_locks WHERE locktype = 'relation' AND pid = ? AND granted "
                + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
      waiters.setLong(1, historyOid);
      waiters.setInt(2, backendPid(probe));
      while (running) {
        Integer migrating = null;
        try (ResultSet rs = waiters.executeQuery()) {
          if (rs.next()) {
            migrating = rs.getInt(1);
          }
        }
        if (migrating == null) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
          continue;
        }
        Map<Long, String> strongest = new HashMap<>();
        held.setInt(1, migrating);
        try (ResultSet rs = held.executeQuery()) {
          while (rs.next()) {
            strongest.merge(rs.getLong(1), rs.getString(2), (a, b) -> MODES.indexOf(a) >= MODES.indexOf(b) ? a : b);
          }
        }
        captures.add(new Capture(strongest));
        probe.commit();
        if (running) {
          lockHistory(); // waits until the migration committed its history row
        }
      }
    } catch (SQLException e) {
      failure = e;
      try {
        probe.rollback();
      } catch (SQLException ignored) {
        // the failure above is what counts
      }
    }
  }

  private void lockHistory() throws SQLException {
    try (Statement s = probe.createStatement()) {
      s.execute("LOCK TABLE " + history + " IN SHARE MODE");
    }
  }

  private static int backendPid(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

}
