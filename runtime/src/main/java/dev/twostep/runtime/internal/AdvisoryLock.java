package dev.twostep.runtime.internal;

import dev.twostep.runtime.TwostepException;
import dev.twostep.runtime.TwostepException.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployer lock: a session-level {@code pg_advisory_lock} held on a connection of its own for
 * the whole run, so that only one deployer migrates a database at a time. A second deployer polls
 * with {@code pg_try_advisory_lock}, says who holds the lock, and gives up after a bounded wait.
 */
public final class AdvisoryLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLock.class);
  private static final Duration REPORT_EVERY = Duration.ofSeconds(10);

  private final Connection connection;
  private final long key;
  /** The backend that took the lock: a session-level lock lives on it and nowhere else. */
  private final int pid;
  /** When the session was last proved alive; {@link #verifyHeld} asks again after {@link #verifyEveryNanos}. */
  private long lastVerified;
  private final long verifyEveryNanos;

  private AdvisoryLock(Connection connection, long key, int pid, Duration verifyEvery) {
    this.connection = connection;
    this.key = key;
    this.pid = pid;
    this.verifyEveryNanos = verifyEvery.toNanos();
    this.lastVerified = System.nanoTime();
  }

  /**
   * Takes the lock {@code key}, waiting at most {@code maxWait}.
   *
   * @param connection the lock's own connection, from now on owned by the lock: closed when the
   *     lock is released or not taken
   * @param key the lock key
   * @param maxWait how long to wait for another holder
   * @param what what the lock protects, for messages
   * @param verifyEvery how long {@link #verifyHeld} trusts the last proof that the session lives
   * @param onWait told who holds the lock and how long this session waited so far, when the wait
   *     starts and every 10 s
   * @throws TwostepException when another session still holds the lock after {@code maxWait}
   */
  public static AdvisoryLock acquire(Connection connection, long key, Duration maxWait, String what,
      Duration verifyEvery, BiConsumer<String, Duration> onWait) {
    try {
      connection.setAutoCommit(true);
      Instant started = Instant.now();
      Instant deadline = started.plus(maxWait);
      Instant nextReport = Instant.MIN;
      long pollMs = 50;
      int pid;
      while ((pid = tryLock(connection, key)) == 0) {
        Instant now = Instant.now();
        Optional<String> holder = holder(connection, key);
        if (!now.isBefore(deadline)) {
          throw new TwostepException(Reason.LOCK_BUSY, "another deployer holds the lock on " + what
              + holder.map(h -> " (" + h + ")").orElse("") + "; gave up after waiting " + maxWait.toMillis()
              + " ms. Wait for it to finish, or raise the deployer lock wait.");
        }
        if (!now.isBefore(nextReport)) {
          LOG.debug("Waiting for the deployer lock on {}: held by {}", what, holder.orElse("a session that just ended"));
          onWait.accept(holder.orElse("a session that just ended"), Duration.between(started, now));
          nextReport = now.plus(REPORT_EVERY);
        }
        long left = Duration.between(now, deadline).toMillis();
        Thread.sleep(Math.max(1, Math.min(pollMs, left)));
        pollMs = Math.min(1000, pollMs * 2);
      }
      keepAlive(connection);
      return new AdvisoryLock(connection, key, pid, verifyEvery);
    } catch (SQLException e) {
      ConnectionSource.closeQuietly(connection);
      throw new TwostepException(Reason.DATABASE_UNAVAILABLE, "cannot take the deployer lock on " + what + ": SQLSTATE " + e.getSQLState() + ": "
          + SqlFailures.message(e), e.getSQLState(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ConnectionSource.closeQuietly(connection);
      throw new TwostepException(Reason.INTERRUPTED, "interrupted while waiting for the deployer lock on " + what, e);
    } catch (RuntimeException e) {
      ConnectionSource.closeQuietly(connection);
      throw e;
    }
  }

  /** The backend pid that took the lock, or 0 when another session holds it. */
  private static int tryLock(Connection connection, long key) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(?), pg_backend_pid()")) {
      s.setLong(1, key);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBoolean(1) ? rs.getInt(2) : 0;
      }
    }
  }

  /** Who holds advisory lock {@code key} in the current database, for messages. */
  static Optional<String> holder(Connection connection, long key) throws SQLException {
    // a bigint advisory key is stored as classid = high 32 bits, objid = low 32 bits, objsubid = 1
    try (PreparedStatement s = connection.prepareStatement(
        "SELECT l.pid, a.backend_start, a.application_name, a.client_addr::text, a.usename "
            + "FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
            + "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
            + "AND l.classid::bigint = ? AND l.objid::bigint = ? "
            + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
      s.setLong(1, key >>> 32);
      s.setLong(2, key & 0xffffffffL);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        StringBuilder out = new StringBuilder("pid ").append(rs.getInt(1));
        if (rs.getTimestamp(2) != null) {
          out.append(", backend started ").append(rs.getTimestamp(2).toInstant());
        }
        if (rs.getString(3) != null && !rs.getString(3).isEmpty()) {
          out.append(", application '").append(rs.getString(3)).append('\'');
        }
        if (rs.getString(5) != null) {
          out.append(", user ").append(rs.getString(5));
        }
        if (rs.getString(4) != null) {
          out.append(", from ").append(rs.getString(4));
        }
        return Optional.of(out.toString());
      }
    }
  }

  /**
   * The lock's session sits idle for the whole run: a server-side idle timeout must not end it
   * (and the lock with it) in the middle of a long migration. Best effort: the setting exists
   * from PostgreSQL 14 on, and a server without it has no such timeout.
   */
  private static void keepAlive(Connection connection) {
    try (Statement s = connection.createStatement()) {
      s.execute("SELECT set_config('idle_session_timeout', '0', false) "
          + "WHERE current_setting('server_version_num')::int >= 140000");
    } catch (SQLException e) {
      LOG.debug("Could not switch off idle_session_timeout on the deployer lock's session: {}", e.getMessage());
    }
  }

  /**
   * Proves the lock is still held before more work is done under it: a session-level lock lives
   * exactly as long as its session, so a live session on the backend that took it means a held
   * lock. Asks the server at most every 200 ms.
   *
   * @throws TwostepException when the lock's session is gone, so another deployer may be running,
   *     or the connection now runs on another backend (no session semantics)
   */
  public void verifyHeld() {
    long now = System.nanoTime();
    if (now - lastVerified < verifyEveryNanos) {
      // a round trip per migration would cost a catalog of small migrations a tenth of its time;
      // a lost session is noticed within this interval instead
      return;
    }
    int current;
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      current = rs.getInt(1);
    } catch (SQLException e) {
      throw new TwostepException(Reason.DATABASE_UNAVAILABLE, "lost the deployer lock: its session ended (SQLSTATE " + e.getSQLState() + ": "
          + SqlFailures.message(e) + "), so another deployer may be running. Nothing more was applied; "
          + "run again to finish.", e.getSQLState(), e);
    }
    if (current != pid) {
      throw SessionSemantics.changed("the deployer lock was taken on backend pid " + pid + ", its connection now runs on "
          + current + "; end that backend to release the lock: SELECT pg_terminate_backend(" + pid + ")", null);
    }
    lastVerified = System.nanoTime();
  }

  /** The lock key, for logs. */
  @Override
  public String toString() {
    return "advisory lock " + key;
  }

  /** Releases the lock and closes its connection. */
  @Override
  public void close() {
    // unlocks only on the backend that took the lock: elsewhere it could release another run's lock
    try (PreparedStatement s = connection.prepareStatement(
        "SELECT CASE WHEN pg_backend_pid() = ? THEN pg_advisory_unlock(?) END, pg_backend_pid()")) {
      s.setInt(1, pid);
      s.setLong(2, key);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        if (rs.getInt(2) != pid) {
          LOG.error("Could not release the deployer lock: it was taken on backend pid {}, and its connection now runs on "
              + "{} (no session semantics). End that backend to release it: SELECT pg_terminate_backend({})",
              pid, rs.getInt(2), pid);
        }
      }
    } catch (SQLException e) {
      if (SqlFailures.isConnectionLost(e)) {
        LOG.debug("The deployer lock's session is gone, and with it the lock: {}", e.getMessage());
      } else {
        LOG.warn("Could not release the deployer lock explicitly; closing its connection releases it: {}",
            SqlFailures.message(e));
      }
    } finally {
      ConnectionSource.closeQuietly(connection);
    }
  }

}
