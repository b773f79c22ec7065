package dev.twostep.runtime.internal;

import dev.twostep.ConcurrentIndexBuild;
import dev.twostep.SqlStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code CREATE INDEX CONCURRENTLY} statement and the INVALID index it leaves behind when it
 * fails: PostgreSQL keeps such an index (it slows down writes and is never used) until someone
 * drops it. Works from the facts the processor recorded in the catalog
 * ({@link SqlStatement#concurrentIndex()}), never from the SQL text.
 *
 * @param build the statement's index, table and definition as the processor read them
 */
public record ConcurrentIndex(ConcurrentIndexBuild build) {
  /** The scratch table and index of {@link #validTwin}, in the session's temporary schema. */
  private static final String PROBE = "twostep_index_probe";
  private static final String PROBE_INDEX = "twostep_index_probe_idx";

  /**
   * An index that another session is building right now is INVALID too, until its build ends:
   * it is theirs, never ours to drop.
   */
  private static final String NOT_BEING_BUILT = " AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p"
      + " WHERE p.index_relid = i.indexrelid AND p.pid <> pg_backend_pid())";

  /** Checks the part. */
  public ConcurrentIndex {
    Objects.requireNonNull(build, "build");
  }

  /** The statement's index build, when the catalog says it is a {@code CREATE INDEX CONCURRENTLY}. */
  public static Optional<ConcurrentIndex> of(SqlStatement statement) {
    return statement.concurrentIndex().map(ConcurrentIndex::new);
  }

  /**
   * The table as {@code to_regclass} reads it, every part quoted: {@code "app"."My Table"}, or
   * {@code "jobs"} (found on the search path, as the statement finds it) when unqualified.
   */
  String tableName() {
    String table = Identifiers.quote(build.table());
    return build.schema().map(schema -> Identifiers.quote(schema) + "." + table).orElse(table);
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
      s.setString(1, tableName());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          if (build.index().isEmpty() || build.index().get().equals(rs.getString(2))) {
            found.add(rs.getString(1));
          }
        }
      }
    }
    return found;
  }

  /** The INVALID index of this statement's name, left by an earlier failed or crashed run. */
  public Optional<String> leftover(Connection connection) throws SQLException {
    if (build.index().isEmpty()) {
      return Optional.empty();
    }
    try (PreparedStatement s = connection.prepareStatement(
        "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            + "WHERE NOT i.indisvalid AND i.indrelid = to_regclass(?) AND c.relname = ?" + NOT_BEING_BUILT)) {
      s.setString(1, tableName());
      s.setString(2, build.index().get());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /**
   * A VALID index of this statement's name on its table, compared with what the statement
   * builds: an earlier run whose session built the index but died before it recorded
   * the migration leaves exactly such an index, and then every run fails with 42P07.
   *
   * <p>The comparison is exact: the statement's definition is built, without {@code CONCURRENTLY}, on an empty
   * temporary copy of the table's columns ({@code CREATE TEMP TABLE ... (LIKE table)}) inside a
   * transaction that is rolled back, and PostgreSQL's own {@code pg_get_indexdef} of that probe
   * (uniqueness, access method, columns and expressions, operator classes, collations, INCLUDE,
   * WHERE, NULLS NOT DISTINCT, storage parameters) is compared with the existing index's, names
   * of index and table aside. The probe reads no row and holds only ACCESS SHARE on the table.
   * Statements with {@code IF NOT EXISTS} and unnamed indexes are not compared (PostgreSQL skips
   * or renames them itself).
   *
   * @param connection the migrating connection, in autocommit; left in autocommit
   */
  public Optional<Twin> validTwin(Connection connection) throws SQLException {
    if (build.index().isEmpty() || build.ifNotExists()) {
      return Optional.empty();
    }
    String existing;
    String table;
    String quotedName;
    boolean unique;
    try (PreparedStatement s = connection.prepareStatement(
        "SELECT pg_get_indexdef(i.indexrelid), i.indisunique, quote_ident(n.nspname) || '.' || quote_ident(t.relname),"
            + " quote_ident(c.relname)"
            + " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid"
            + " JOIN pg_namespace n ON n.oid = t.relnamespace"
            + " WHERE i.indisvalid AND i.indrelid = to_regclass(?) AND c.relname = ?")) {
      s.setString(1, tableName());
      s.setString(2, build.index().get());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        existing = rs.getString(1);
        unique = rs.getBoolean(2);
        table = rs.getString(3);
        quotedName = rs.getString(4);
      }
    }
    String probeSql = "CREATE " + (build.unique() ? "UNIQUE " : "") + "INDEX " + PROBE_INDEX + " ON pg_temp." + PROBE
        + " " + build.definition();
    String probe;
    boolean probeUnique;
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TEMP TABLE " + PROBE + " (LIKE " + table + ")");
      s.execute(probeSql);
      try (ResultSet rs = s.executeQuery("SELECT pg_get_indexdef('pg_temp." + PROBE_INDEX + "'::regclass),"
          + " (SELECT indisunique FROM pg_index WHERE indexrelid = 'pg_temp." + PROBE_INDEX + "'::regclass)")) {
        rs.next();
        probe = rs.getString(1);
        probeUnique = rs.getBoolean(2);
      }
    } finally {
      connection.rollback();
      connection.setAutoCommit(true);
    }
    String existingBody = body(existing, unique, quotedName, table);
    String builtBody = body(probe, probeUnique, PROBE_INDEX, "pg_temp." + PROBE);
    String built = "CREATE " + (probeUnique ? "UNIQUE " : "") + "INDEX " + quotedName + " ON " + table + " " + builtBody;
    return Optional.of(new Twin(table.substring(0, table.indexOf('.') + 1) + quotedName, existing,
        unique == probeUnique && existingBody.equals(builtBody) ? existing : built));
  }

  /**
   * A VALID index of the statement's name found on its table.
   *
   * @param name the index as {@code schema.name}, quoted where needed
   * @param existing {@code pg_get_indexdef} of the existing index
   * @param built what the statement builds, written as {@code pg_get_indexdef} would
   */
  public record Twin(String name, String existing, String built) {
    /** Whether the existing index is exactly the one the statement builds. */
    public boolean same() {
      return existing.equals(built);
    }
  }

  /** {@code pg_get_indexdef} text from {@code USING} on, past the index and table names it starts with. */
  private static String body(String definition, boolean unique, String index, String table) {
    String start = "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + index + " ON ";
    String rest = definition.startsWith(start) ? definition.substring(start.length()) : definition;
    rest = rest.startsWith("ONLY ") ? rest.substring("ONLY ".length()) : rest;
    return rest.startsWith(table + " ") ? rest.substring(table.length() + 1) : rest;
  }

  /** Drops {@code regclassText}, an index name as {@code regclass} prints it, in autocommit. */
  public static void drop(Connection connection, String regclassText) throws SQLException {
    try (Statement s = connection.createStatement()) {
      // regclass text comes from PostgreSQL itself and is already quoted where needed
      s.execute("DROP INDEX CONCURRENTLY IF EXISTS " + regclassText);
    }
  }

}
