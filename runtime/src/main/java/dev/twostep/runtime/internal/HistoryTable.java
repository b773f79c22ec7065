package dev.twostep.runtime.internal;

import dev.twostep.Migration;
import dev.twostep.Phase;
import dev.twostep.Waiver;
import dev.twostep.runtime.HistoryEntry;
import dev.twostep.runtime.TwostepException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The history table: one row per applied migration. Identifiers are always quoted, values always
 * bound. The table carries the comment {@value #MARKER} so that a table written by a later, not
 * compatible Twostep (or a foreign table of the same name) is refused instead of misread.
 */
public final class HistoryTable {
  /** The format this runtime reads and writes. */
  public static final int FORMAT_VERSION = 1;

  /** The table comment marking the format. */
  public static final String MARKER = "twostep history v" + FORMAT_VERSION;

  private static final Pattern MARKER_PATTERN = Pattern.compile("twostep history v(\\d+)");
  private static final Set<String> CREATE_RACE_STATES = Set.of("42P07", "42P06", "23505");

  private final String schema;
  private final String table;
  private final String qualified;

  /** The table {@code table} in {@code schema}. */
  public HistoryTable(String schema, String table) {
    this.schema = schema;
    this.table = table;
    this.qualified = Identifiers.quote(schema) + "." + Identifiers.quote(table);
  }

  /** {@code schema.table}, for people. */
  public String displayName() {
    return schema + "." + table;
  }

  /** The quoted {@code "schema"."table"}. */
  public String qualifiedName() {
    return qualified;
  }

  /**
   * The advisory lock key of deployers working on this table: the first 8 bytes of
   * SHA-256({@code "twostep:" + schema + "." + table}), so every Twostep process agrees on it.
   */
  public long lockKey() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(("twostep:" + schema + "." + table).getBytes(StandardCharsets.UTF_8));
      long key = 0;
      for (int i = 0; i < 8; i++) {
        key = (key << 8) | (digest[i] & 0xff);
      }
      return key;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  /** True when the table exists. */
  public boolean exists(Connection connection) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      s.setString(1, qualified);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /**
   * Creates the schema and table when missing and checks the format marker. Safe when two
   * deployers race: a concurrent creation is detected by SQLSTATE and the existing table used.
   *
   * @param connection a connection in autocommit
   * @throws TwostepException when the table exists in another format
   */
  public void ensure(Connection connection) throws SQLException {
    if (!exists(connection)) {
      try {
        create(connection);
      } catch (SQLException e) {
        if (!CREATE_RACE_STATES.contains(e.getSQLState()) || !exists(connection)) {
          throw e;
        }
      }
    }
    checkFormat(connection);
  }

  private void create(Connection connection) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      if (!schemaExists(connection)) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema));
      }
      s.execute("CREATE TABLE IF NOT EXISTS " + qualified + " ("
          + "release text NOT NULL, "
          + "phase text NOT NULL CHECK (phase IN ('pre', 'post')), "
          + "step int NOT NULL CHECK (step >= 1), "
          + "description text NOT NULL, "
          + "checksum text NOT NULL, "
          + "kind text NOT NULL CHECK (kind IN ('sql', 'java')), "
          + "applied_at timestamptz NOT NULL DEFAULT clock_timestamp(), "
          + "execution_ms bigint NOT NULL, "
          + "applied_by text NOT NULL DEFAULT current_user, "
          + "waivers text, "
          + "baseline boolean NOT NULL DEFAULT false, "
          + "PRIMARY KEY (release, phase, step))");
      // COMMENT takes no bind parameters; the marker is a constant of this class
      s.execute("COMMENT ON TABLE " + qualified + " IS '" + MARKER + "'");
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private boolean schemaExists(Connection connection) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
      s.setString(1, schema);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Refuses a table that is not a Twostep history table of format {@value #FORMAT_VERSION}.
   *
   * @throws TwostepException when the marker is missing or names another format
   */
  public void checkFormat(Connection connection) throws SQLException {
    String comment;
    try (PreparedStatement s = connection.prepareStatement("SELECT obj_description(to_regclass(?), 'pg_class')")) {
      s.setString(1, qualified);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        comment = rs.getString(1);
      }
    }
    Matcher m = MARKER_PATTERN.matcher(comment == null ? "" : comment);
    if (!m.find()) {
      throw new TwostepException("table " + displayName() + " exists but is not a Twostep history table (its comment is "
          + (comment == null ? "empty" : "'" + comment + "'") + ", expected '" + MARKER
          + "'). Choose another history table with --schema/--table, or rename that table.");
    }
    int version = Integer.parseInt(m.group(1));
    if (version != FORMAT_VERSION) {
      throw new TwostepException("history table " + displayName() + " has format v" + version
          + " but this Twostep reads format v" + FORMAT_VERSION
          + (version > FORMAT_VERSION ? ": it was written by a newer Twostep. Upgrade twostep-runtime." : "."));
    }
  }

  /** All rows, or none when the table does not exist yet. Checks the format first. */
  public List<HistoryEntry> read(Connection connection) throws SQLException {
    if (!exists(connection)) {
      return List.of();
    }
    checkFormat(connection);
    List<HistoryEntry> rows = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT release, phase, step, description, checksum, kind, applied_at, "
            + "execution_ms, applied_by, waivers, baseline FROM " + qualified)) {
      while (rs.next()) {
        Timestamp appliedAt = rs.getTimestamp("applied_at");
        rows.add(new HistoryEntry(
            rs.getString("release"), Phase.parse(rs.getString("phase")), rs.getInt("step"),
            rs.getString("description"), rs.getString("checksum"), rs.getString("kind"),
            appliedAt == null ? null : appliedAt.toInstant(), rs.getLong("execution_ms"),
            rs.getString("applied_by"), rs.getString("waivers"), rs.getBoolean("baseline")));
      }
    }
    return rows;
  }

  /** Inserts the row of {@code migration}, in the caller's transaction. */
  public void insert(Connection connection, Migration migration, long executionMs, boolean baseline)
      throws SQLException {
    try (PreparedStatement s = connection.prepareStatement("INSERT INTO " + qualified
        + " (release, phase, step, description, checksum, kind, applied_at, execution_ms, applied_by, waivers, baseline)"
        + " VALUES (?, ?, ?, ?, ?, ?, clock_timestamp(), ?, current_user, ?, ?)")) {
      s.setString(1, migration.release().text());
      s.setString(2, migration.phase().label());
      s.setInt(3, migration.step());
      s.setString(4, migration.description());
      s.setString(5, migration.checksum());
      s.setString(6, migration.kind());
      s.setLong(7, executionMs);
      s.setString(8, waivers(migration));
      s.setBoolean(9, baseline);
      s.executeUpdate();
    }
  }

  private static String waivers(Migration migration) {
    if (migration.waivers().isEmpty()) {
      return null;
    }
    return migration.waivers().stream()
        .map((Waiver w) -> w.rule() + ": " + w.reason())
        .collect(Collectors.joining("\n"));
  }
}
