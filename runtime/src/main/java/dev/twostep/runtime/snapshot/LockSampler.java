package dev.twostep.runtime.snapshot;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples, from a connection of its own, the locks other sessions of the same database hold or
 * wait for on user relations (tables, indexes, sequences, views), every {@code interval} on a
 * background thread, between {@link #start()} and {@link #stop()}. A migration that finishes
 * within one interval may leave no sample: the sampler sees what is held long enough to matter.
 * Relations created by a transaction that has not committed yet are invisible to it, which is
 * what we want: nobody else can be waiting for them.
 */
final class LockSampler {
  /**
   * One lock seen.
   *
   * @param nanos {@link System#nanoTime()} when the sampling query was sent
   * @param endNanos {@link System#nanoTime()} when its answer was read: the server looked at
   *     {@code pg_locks} somewhere between the two
   * @param relation the relation as {@code schema.name}
   * @param relationKind table, index, sequence, view...
   * @param mode PostgreSQL's lock mode, e.g. {@code AccessExclusiveLock}
   * @param granted false while the session waits for it
   */
  record Sample(long nanos, long endNanos, String relation, String relationKind, String mode, boolean granted) {}

  private static final String QUERY = "SELECT n.nspname, c.relname, c.relkind, l.mode, l.granted "
      + "FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace "
      + "LEFT JOIN pg_index x ON x.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = x.indrelid "
      + "WHERE l.locktype = 'relation' AND l.pid <> pg_backend_pid() "
      + "AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database()) "
      + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
      + "AND NOT (n.nspname = ? AND coalesce(t.relname, c.relname) = ?)";

  private final Connection connection;
  private final long intervalNanos;
  private final String ignoredSchema;
  private final String ignoredTable;
  private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean running;
  private volatile SQLException failure;
  private Thread thread;

  /**
   * A sampler on {@code connection} (which it does not close) that leaves out the table
   * {@code ignoredSchema.ignoredTable} (the history table) and its indexes.
   */
  LockSampler(Connection connection, Duration interval, String ignoredSchema, String ignoredTable) {
    this.connection = connection;
    this.intervalNanos = interval.toNanos();
    this.ignoredSchema = ignoredSchema;
    this.ignoredTable = ignoredTable;
  }

  /** Starts sampling on a daemon thread. */
  void start() {
    running = true;
    thread = new Thread(this::run, "twostep-lock-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops sampling and returns every sample taken, in order. */
  List<Sample> stop() {
    running = false;
    if (thread != null) {
      LockSupport.unpark(thread);
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** The error that stopped sampling early, or {@code null}. */
  SQLException failure() {
    return failure;
  }

  private void run() {
    try (PreparedStatement s = connection.prepareStatement(QUERY)) {
      s.setString(1, ignoredSchema);
      s.setString(2, ignoredTable);
      while (running) {
        long started = System.nanoTime();
        List<String[]> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            rows.add(new String[] {rs.getString(1) + "." + rs.getString(2), relationKind(rs.getString(3)),
                rs.getString(4), Boolean.toString(rs.getBoolean(5))});
          }
        }
        long ended = System.nanoTime();
        for (String[] row : rows) {
          samples.add(new Sample(started, ended, row[0], row[1], row[2], Boolean.parseBoolean(row[3])));
        }
        long rest = intervalNanos - (System.nanoTime() - started);
        if (rest > 0 && running) {
          LockSupport.parkNanos(rest);
        }
      }
    } catch (SQLException e) {
      failure = e;
    }
  }

  private static String relationKind(String relkind) {
    switch (relkind) {
      case "r":
        return "table";
      case "p":
        return "partitioned table";
      case "i":
      case "I":
        return "index";
      case "S":
        return "sequence";
      case "v":
        return "view";
      case "m":
        return "materialized view";
      case "f":
        return "foreign table";
      default:
        return "relation";
    }
  }
}
