package dev.twostep.examples.expand;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What the expand/contract traffic tests observe on the server: who waits for a lock, what rows hold. */
final class Sessions {
  private Sessions() {}

  /** Opens a connection to the test's database ({@code StateDatabase::connect}, {@code TestDatabase::connect}). */
  @FunctionalInterface
  interface Database {
    Connection connect() throws SQLException;
  }

  /** The pids of this database's sessions that wait for a lock now. */
  static List<Integer> waitingPids(Database db) throws SQLException {
    List<Integer> pids = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT DISTINCT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            + " WHERE NOT l.granted AND a.datname = current_database() ORDER BY 1")) {
      while (rs.next()) {
        pids.add(rs.getInt(1));
      }
    }
    return pids;
  }

  /** Waits until exactly one session of the database waits for a lock; its pid. */
  static int waitForOneWaiter(Database db) throws SQLException {
    while (true) {
      List<Integer> waiting = waitingPids(db);
      if (!waiting.isEmpty()) {
        assertThat(waiting).hasSize(1);
        return waiting.get(0);
      }
      Thread.onSpinWait();
    }
  }

  /** Whether {@code query} returns a row. */
  static boolean exists(Database db, String query) throws SQLException {
    try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(query); ResultSet rs = s.executeQuery()) {
      return rs.next();
    }
  }

  /** The rows of {@code table} matching {@code condition}. */
  static long count(Database db, String table, String condition) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table + " WHERE " + condition)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
