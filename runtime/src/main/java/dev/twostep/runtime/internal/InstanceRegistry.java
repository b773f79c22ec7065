package dev.twostep.runtime.internal;

import dev.twostep.runtime.LiveInstance;
import dev.twostep.runtime.TwostepException;
import dev.twostep.runtime.TwostepException.Reason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered application instance: its row in the {@link InstanceTable}, renewed every third
 * of its lease by a daemon thread that borrows a connection for one autocommit statement and
 * returns it at once. The row disappears on {@link #close()} or on normal JVM exit (shutdown
 * hook); after a crash, SIGKILL or network loss it stops counting as live once its lease ends,
 * at most one lease after the last heartbeat that reached the database.
 */
public final class InstanceRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceRegistry.class);

  private final ConnectionSource source;
  private final InstanceTable table;
  private final String instanceId;
  private final String release;
  private final String host;
  private final long pid;
  private final Duration lease;
  private final ScheduledExecutorService heartbeats;
  private final Thread shutdownHook;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean failing;

  private InstanceRegistry(ConnectionSource source, InstanceTable table, String release, Duration lease) {
    this.source = source;
    this.table = table;
    this.instanceId = UUID.randomUUID().toString();
    this.release = release;
    this.host = hostName();
    this.pid = ProcessHandle.current().pid();
    this.lease = lease;
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "twostep-instance-heartbeat");
      t.setDaemon(true);
      return t;
    });
    this.shutdownHook = new Thread(this::deregister, "twostep-instance-deregister");
  }

  /**
   * Registers an instance of {@code release} and starts its heartbeat.
   *
   * @throws TwostepException when the row cannot be written: no table and no right to create it,
   *     a read-only server (replica), or no database
   */
  public static InstanceRegistry start(ConnectionSource source, InstanceTable table, String release, Duration lease) {
    InstanceRegistry registry = new InstanceRegistry(source, table, release, lease);
    registry.insert(true);
    long every = Math.max(1, lease.toMillis() / 3);
    // instances started together (a deploy) would otherwise beat in step and borrow connections at once
    long first = every / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(every / 2 + 1);
    registry.heartbeats.scheduleWithFixedDelay(registry::beat, first, every, TimeUnit.MILLISECONDS);
    Runtime.getRuntime().addShutdownHook(registry.shutdownHook);
    LOG.info("Registered instance {} of release {} ({} pid {}) in {}; heartbeat every {} ms, lease {} ms",
        registry.instanceId, release, registry.host, registry.pid, table.displayName(), every, lease.toMillis());
    return registry;
  }

  /** The random id of this instance. */
  public String instanceId() {
    return instanceId;
  }

  /** The host name reported for this instance. */
  public String host() {
    return host;
  }

  /** The process id reported for this instance. */
  public long pid() {
    return pid;
  }

  private void insert(boolean createTable) {
    try (Connection connection = source.open()) {
      try {
        inAutocommit(connection, () -> table.register(connection, instanceId, release, host, pid, lease));
      } catch (SQLException e) {
        if (!"42P01".equals(e.getSQLState()) || !createTable) {
          throw e;
        }
        inAutocommit(connection, () -> table.ensure(connection));
        insert(false);
      }
    } catch (SQLException e) {
      throw failure("cannot register instance of release " + release + " in " + table.displayName(), e);
    }
  }

  private void beat() {
    try (Connection connection = source.open()) {
      inAutocommit(connection, () -> {
        if (!table.heartbeat(connection, instanceId)) {
          table.register(connection, instanceId, release, host, pid, lease);
          LOG.warn("Instance {} of release {} was no longer registered in {}; registered it again",
              instanceId, release, table.displayName());
        }
      });
      if (failing) {
        failing = false;
        LOG.info("Heartbeat of instance {} reaches {} again", instanceId, table.displayName());
      }
    } catch (SQLException | RuntimeException e) {
      // the next tick retries; until one succeeds the lease runs out and deployers stop waiting for us
      if (!failing) {
        failing = true;
        LOG.warn("Heartbeat of instance {} failed, retrying every {} ms: {}", instanceId,
            lease.toMillis() / 3, source.mask(e instanceof SQLException ? SqlFailures.message((SQLException) e)
                : String.valueOf(e.getMessage())));
      }
    }
  }

  /** Work on a borrowed connection. */
  private interface SqlWork {
    void run() throws SQLException;
  }

  /**
   * Runs {@code work} in autocommit and gives the connection its mode back. A pool that hands out
   * connections with auto-commit off gets no COMMIT from us: pgjdbc would prepare that as a named
   * server-side statement, session state that PgBouncer in transaction mode does not keep.
   * Switching before any statement sends nothing to the server.
   */
  private static void inAutocommit(Connection connection, SqlWork work) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    if (!autoCommit) {
      connection.setAutoCommit(true);
    }
    try {
      work.run();
    } finally {
      if (!autoCommit) {
        connection.setAutoCommit(false);
      }
    }
  }

  private TwostepException failure(String what, SQLException e) {
    StringBuilder message = new StringBuilder(what).append(" at ").append(source).append(": SQLSTATE ")
        .append(e.getSQLState()).append(": ").append(source.mask(SqlFailures.message(e)));
    if ("42501".equals(e.getSQLState())) {
      message.append(". The application's role needs SELECT, INSERT, UPDATE, DELETE on ").append(table.displayName())
          .append(" (the deployer creates the table when it runs pre or migrate; or grant CREATE on the schema)");
    } else if ("25006".equals(e.getSQLState())) {
      message.append(". The server is read-only (a replica?): register through a DataSource on the primary, ")
          .append("e.g. a URL with targetServerType=primary");
    }
    return new TwostepException(Reason.DATABASE_UNAVAILABLE, message.toString(), e.getSQLState(), e);
  }

  /** Stops the heartbeat and deletes the row: the instance no longer counts as live. Idempotent. */
  @Override
  public void close() {
    if (closed.get()) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs (or ran) anyway
    }
    deregister();
  }

  private void deregister() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    heartbeats.shutdownNow();
    try {
      heartbeats.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Connection connection = source.open()) {
      inAutocommit(connection, () -> table.deregister(connection, instanceId));
      LOG.info("Deregistered instance {} of release {}", instanceId, release);
    } catch (SQLException | RuntimeException e) {
      LOG.warn("Could not deregister instance {} of release {}; it stops counting as live when its lease of {} ms "
          + "ends: {}", instanceId, release, lease.toMillis(), e.getMessage());
    }
  }

  /** The live instances in {@code table}. */
  public static List<LiveInstance> live(ConnectionSource source, InstanceTable table) throws SQLException {
    try (Connection connection = source.open()) {
      return table.live(connection);
    }
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
