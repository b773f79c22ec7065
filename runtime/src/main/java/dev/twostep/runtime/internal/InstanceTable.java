package dev.twostep.runtime.internal;

import dev.twostep.runtime.LiveInstance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.postgresql.PGStatement;

/**
 * The table of live application instances, next to the history table ({@code twostep_instances}
 * for {@code twostep_history}): one row per registered instance with its release, host, pid and
 * last heartbeat. An instance is live while {@code heartbeat_at + lease_ms} is in the future by
 * the database's clock, so the clocks of application hosts do not matter.
 *
 * <p>Every statement is a single autocommit statement without session state and without named
 * server-side prepared statements, so it works through PgBouncer in transaction mode and through
 * any connection pool.
 */
public final class InstanceTable {
  /** The table comment marking the format. */
  static final String MARKER = "twostep instances v1";

  private static final Set<String> CREATE_RACE_STATES = Set.of("42P07", "42P06", "23505");

  private final String schema;
  private final String table;
  private final String qualified;

  /** The instance table belonging to {@code history}. */
  public InstanceTable(HistoryTable history) {
    this.schema = history.schema();
    String name = history.table();
    this.table = name.endsWith("_history") ? name.substring(0, name.length() - "_history".length()) + "_instances"
        : name + "_instances";
    this.qualified = Identifiers.quote(schema) + "." + Identifiers.quote(table);
  }

  /** {@code schema.table}, for people. */
  public String displayName() {
    return schema + "." + table;
  }

  /** True when the table exists. */
  public boolean exists(Connection connection) throws SQLException {
    try (PreparedStatement s = prepare(connection, "SELECT to_regclass(?) IS NOT NULL")) {
      s.setString(1, qualified);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /**
   * Creates the table when missing (the schema must exist). Safe when two processes race.
   *
   * @param connection a connection in autocommit
   */
  public void ensure(Connection connection) throws SQLException {
    if (exists(connection)) {
      return;
    }
    try {
      Transactions.inTransaction(connection, () -> {
        try (Statement s = connection.createStatement()) {
          s.execute("CREATE TABLE IF NOT EXISTS " + qualified + " ("
              + "instance_id text PRIMARY KEY, "
              + "release text NOT NULL, "
              + "host text NOT NULL, "
              + "pid bigint NOT NULL, "
              + "started_at timestamptz NOT NULL DEFAULT clock_timestamp(), "
              + "heartbeat_at timestamptz NOT NULL DEFAULT clock_timestamp(), "
              + "lease_ms bigint NOT NULL CHECK (lease_ms > 0), "
              + "registered_by text NOT NULL DEFAULT current_user)");
          s.execute("COMMENT ON TABLE " + qualified + " IS '" + MARKER + "'");
        }
        return null;
      });
    } catch (SQLException e) {
      if (!CREATE_RACE_STATES.contains(e.getSQLState()) || !exists(connection)) {
        throw e;
      }
    }
  }

  /**
   * Inserts the row of a starting instance and deletes rows whose lease ended more than a day
   * ago, so crashed instances do not pile up.
   */
  public void register(Connection connection, String instanceId, String release, String host, long pid,
      Duration lease) throws SQLException {
    try (PreparedStatement s = prepare(connection, "INSERT INTO " + qualified
        + " (instance_id, release, host, pid, lease_ms) VALUES (?, ?, ?, ?, ?)")) {
      s.setString(1, instanceId);
      s.setString(2, release);
      s.setString(3, host);
      s.setLong(4, pid);
      s.setLong(5, lease.toMillis());
      s.executeUpdate();
    }
    try (PreparedStatement s = prepare(connection, "DELETE FROM " + qualified
        + " WHERE heartbeat_at + lease_ms * interval '1 millisecond' < clock_timestamp() - interval '1 day'")) {
      s.executeUpdate();
    }
  }

  /** Renews the lease of {@code instanceId}; false when its row is gone (deleted by someone). */
  public boolean heartbeat(Connection connection, String instanceId) throws SQLException {
    try (PreparedStatement s = prepare(connection, "UPDATE " + qualified
        + " SET heartbeat_at = clock_timestamp() WHERE instance_id = ?")) {
      s.setString(1, instanceId);
      return s.executeUpdate() == 1;
    }
  }

  /** Deletes the row of {@code instanceId}. */
  public void deregister(Connection connection, String instanceId) throws SQLException {
    try (PreparedStatement s = prepare(connection, "DELETE FROM " + qualified + " WHERE instance_id = ?")) {
      s.setString(1, instanceId);
      s.executeUpdate();
    }
  }

  /** The live instances, oldest release first, then by start; none when the table does not exist. */
  public List<LiveInstance> live(Connection connection) throws SQLException {
    List<LiveInstance> live = new ArrayList<>();
    if (!exists(connection)) {
      return live;
    }
    try (PreparedStatement s = prepare(connection, "SELECT instance_id, release, host, pid, started_at, heartbeat_at,"
        + " lease_ms FROM " + qualified + " WHERE heartbeat_at + lease_ms * interval '1 millisecond' > clock_timestamp()"
        + " ORDER BY started_at, instance_id");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        live.add(new LiveInstance(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
            rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), Duration.ofMillis(rs.getLong(7))));
      }
    }
    return live;
  }

  /**
   * A statement that pgjdbc never turns into a named server-side prepared statement: those live
   * in one server session, which PgBouncer in transaction mode does not keep for the client.
   */
  private static PreparedStatement prepare(Connection connection, String sql) throws SQLException {
    PreparedStatement s = connection.prepareStatement(sql);
    if (s.isWrapperFor(PGStatement.class)) {
      s.unwrap(PGStatement.class).setPrepareThreshold(0);
    }
    s.setQueryTimeout(30);
    return s;
  }
}
