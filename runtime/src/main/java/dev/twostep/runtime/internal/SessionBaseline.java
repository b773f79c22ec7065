package dev.twostep.runtime.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The session state of the migrating connection before the first migration (what the connection
 * or its pool set: {@code SET} parameters, role), and the SQL that brings the session back to it,
 * so that each migration starts from a clean session: whatever an earlier migration set with a
 * plain {@code SET} ({@code search_path}, {@code session_replication_role}, timeouts) or
 * {@code SET ROLE} does not reach the next one, nor the application that gets the connection
 * back from its pool.
 */
final class SessionBaseline {
  private final String restoreSql;

  private SessionBaseline(String restoreSql) {
    this.restoreSql = restoreSql;
  }

  /** Reads the session's own settings ({@code pg_settings.source = 'session'}) and role. */
  static SessionBaseline capture(Connection connection) throws SQLException {
    // back to the authenticated user (which also ends SET ROLE) and to the connection's defaults
    StringBuilder sql = new StringBuilder("SET SESSION AUTHORIZATION DEFAULT;\nRESET ALL;\n");
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT name, setting FROM pg_settings WHERE source = 'session' ORDER BY name")) {
      while (rs.next()) {
        sql.append("SELECT set_config(").append(literal(rs.getString(1))).append(", ").append(literal(rs.getString(2)))
            .append(", false);\n");
      }
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_user, session_user")) {
      rs.next();
      if (!rs.getString(1).equals(rs.getString(2))) {
        sql.append("SET ROLE ").append('"').append(rs.getString(1).replace("\"", "\"\"")).append("\";\n");
      }
    }
    return new SessionBaseline(sql.toString());
  }

  /** Statements that restore the session, each ending with a newline; run them before a migration. */
  String restoreSql() {
    return restoreSql;
  }

  /** A string literal; standard_conforming_strings is on from PostgreSQL 9.1, so quotes are doubled. */
  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
