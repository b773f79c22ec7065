package dev.twostep.runtime.internal;

import dev.twostep.runtime.BlockingSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out who blocks a migration. Once a migration's session has been busy for a while, a
 * background thread asks PostgreSQL, on a connection of its own, for {@code pg_blocking_pids()} of
 * that session and remembers the blockers, so that a lock timeout can be reported with the pids
 * and queries that held the lock (after the timeout the waiting stops, and with it the evidence).
 * The connection is opened only when a migration actually waits.
 */
public final class BlockerWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BlockerWatch.class);

  private final ConnectionSource source;
  private final long intervalMs;
  private final ScheduledExecutorService executor;
  private Connection connection;
  private ScheduledFuture<?> task;
  private volatile List<BlockingSession> seen = List.of();
  /** The pids last reported to the watch's callback, so a wait is reported once, not at every sample. */
  private Set<Integer> reported = Set.of();

  /**
   * A watch that samples every {@code interval} while a session is watched.
   *
   * @param source where to open the watch's own connection
   * @param interval how often to sample
   */
  public BlockerWatch(ConnectionSource source, Duration interval) {
    this.source = source;
    this.intervalMs = Math.max(10, interval.toMillis());
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "twostep-blocker-watch");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts watching backend {@code pid}; forgets blockers seen before. */
  public synchronized void watch(int pid) {
    watch(pid, blockers -> { });
  }

  /**
   * Starts watching backend {@code pid}, forgetting blockers seen before, and tells
   * {@code onBlocked} (on the watch's thread) as soon as a sample finds the session waiting for a
   * lock, and again whenever the set of blocking sessions changes.
   */
  public synchronized void watch(int pid, Consumer<List<BlockingSession>> onBlocked) {
    stop();
    seen = List.of();
    reported = Set.of();
    task = executor.scheduleWithFixedDelay(() -> sample(pid, onBlocked), intervalMs, intervalMs, TimeUnit.MILLISECONDS);
  }

  /** Stops watching; the blockers seen stay available. */
  public synchronized void stop() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  /** The blockers of the last sample that found any, since {@link #watch}. */
  public List<BlockingSession> blockers() {
    return seen;
  }

  private void sample(int pid, Consumer<List<BlockingSession>> onBlocked) {
    try {
      if (connection == null) {
        connection = source.open();
        connection.setAutoCommit(true);
      }
      List<BlockingSession> found = new ArrayList<>();
      try (PreparedStatement s = connection.prepareStatement(
          "SELECT a.pid, a.application_name, a.usename, a.state, "
              + "coalesce((extract(epoch FROM clock_timestamp() - a.xact_start) * 1000)::bigint, -1), a.query "
              + "FROM pg_stat_activity a WHERE a.pid = ANY (pg_blocking_pids(?)) ORDER BY a.pid")) {
        s.setInt(1, pid);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            found.add(new BlockingSession(rs.getInt(1), text(rs, 2), text(rs, 3), text(rs, 4), rs.getLong(5), text(rs, 6)));
          }
        }
      }
      if (!found.isEmpty()) {
        seen = List.copyOf(found);
      }
      Set<Integer> pids = found.stream().map(BlockingSession::pid).collect(Collectors.toSet());
      boolean news = !found.isEmpty() && !pids.equals(reported);
      reported = pids;
      if (news) {
        onBlocked.accept(seen);
      }
    } catch (SQLException | RuntimeException e) {
      // a listener's exception lands here too: it must not stop the watch
      LOG.debug("Could not sample the sessions blocking pid {}: {}", pid, e.getMessage());
    }
  }

  /** Stops the thread and closes the watch's connection. */
  @Override
  public void close() {
    stop();
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("Closing the blocker watch connection failed", e);
      }
    }
  }

  /** A text column; PostgreSQL's NULL (a value it does not show) as empty. */
  private static String text(ResultSet rs, int column) throws SQLException {
    String value = rs.getString(column);
    return value == null ? "" : value;
  }
}
