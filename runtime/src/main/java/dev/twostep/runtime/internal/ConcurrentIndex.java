package dev.twostep.runtime.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code CREATE INDEX CONCURRENTLY} statement and the INVALID index it leaves behind when it
 * fails: PostgreSQL keeps such an index (it slows down writes and is never used) until someone
 * drops it.
 *
 * @param indexName the index name as written (quoted or not), or {@code null} when unnamed
 * @param tableName the table as written, maybe schema-qualified and quoted
 */
public record ConcurrentIndex(String indexName, String tableName) {
  private static final String IDENT = "(?:\"(?:[^\"]|\"\")+\"|[\\p{L}_][\\p{L}\\p{N}_$]*)";
  private static final Pattern CREATE = Pattern.compile(
      "(?is)^\\s*CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+CONCURRENTLY\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?"
          + "(?:(" + IDENT + ")\\s+)?ON\\s+(?:ONLY\\s+)?(" + IDENT + "(?:\\s*\\.\\s*" + IDENT + ")?)");

  /**
   * An index that another session is building right now is INVALID too, until its build ends:
   * it is theirs, never ours to drop.
   */
  private static final String NOT_BEING_BUILT = " AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p"
      + " WHERE p.index_relid = i.indexrelid AND p.pid <> pg_backend_pid())";

  /** The statement's index and table, when {@code sql} is a {@code CREATE INDEX CONCURRENTLY}. */
  public static Optional<ConcurrentIndex> parse(String sql) {
    Matcher m = CREATE.matcher(sql);
    if (!m.find() || "ON".equalsIgnoreCase(m.group(1))) {
      return Optional.empty();
    }
    return Optional.of(new ConcurrentIndex(m.group(1), m.group(2)));
  }

  /**
   * The INVALID indexes on the table (as {@code regclass} text, quoted where needed), but for
   * those another session is building; when the statement names its index, only that one.
   */
  public List<String> invalidIndexes(Connection connection) throws SQLException {
    List<String> found = new ArrayList<>();
    try (PreparedStatement s = connection.prepareStatement(
        "SELECT i.indexrelid::regclass::text, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            + "WHERE NOT i.indisvalid AND i.indrelid = to_regclass(?)" + NOT_BEING_BUILT + " ORDER BY 1")) {
      s.setString(1, tableName);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          if (indexName == null || rs.getString(2).equals(plainName(indexName))) {
            found.add(rs.getString(1));
          }
        }
      }
    }
    return found;
  }

  /** The INVALID index of this statement's name, left by an earlier failed or crashed run. */
  public Optional<String> leftover(Connection connection) throws SQLException {
    if (indexName == null) {
      return Optional.empty();
    }
    try (PreparedStatement s = connection.prepareStatement(
        "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            + "WHERE NOT i.indisvalid AND i.indrelid = to_regclass(?) AND c.relname = ?" + NOT_BEING_BUILT)) {
      s.setString(1, tableName);
      s.setString(2, plainName(indexName));
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** Drops {@code regclassText}, an index name as {@code regclass} prints it, in autocommit. */
  public static void drop(Connection connection, String regclassText) throws SQLException {
    try (Statement s = connection.createStatement()) {
      // regclass text comes from PostgreSQL itself and is already quoted where needed
      s.execute("DROP INDEX CONCURRENTLY IF EXISTS " + regclassText);
    }
  }

  static String plainName(String written) {
    if (written.startsWith("\"")) {
      return written.substring(1, written.length() - 1).replace("\"\"", "\"");
    }
    return written.toLowerCase(Locale.ROOT);
  }
}
