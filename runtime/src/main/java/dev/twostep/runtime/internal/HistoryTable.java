package dev.twostep.runtime.internal;

import dev.twostep.Migration;
import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.Waiver;
import dev.twostep.runtime.HistoryEntry;
import dev.twostep.runtime.TwostepException;
import dev.twostep.runtime.TwostepException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 *
 * <p>Format 2 adds, per row, the run that applied it: {@code run_id} (random per run),
 * {@code run_target} (the state the run was asked to reach) and {@code guard} (why the deploy
 * guard did not apply: {@code fresh} for a database without history, or the resumption of an
 * interrupted first run; {@code downtime} when allow-downtime overrode a refusal; {@code NULL}
 * otherwise). Rows written by format 1 have {@code NULL} in all three. Format 1 tables are read as
 * they are and upgraded in place by {@link #ensure}, which deployers call under the deployer lock.
 */
public final class HistoryTable {
  /** The format this runtime reads and writes. */
  public static final int FORMAT_VERSION = 2;

  /** The oldest format this runtime still reads (and upgrades when it writes). */
  static final int OLDEST_READ_FORMAT = 1;

  /** The table comment marking the format. */
  public static final String MARKER = "twostep history v" + FORMAT_VERSION;

  private static final Pattern MARKER_PATTERN = Pattern.compile("twostep history v(\\d+)");
  private static final Set<String> CREATE_RACE_STATES = Set.of("42P07", "42P06", "23505");

  private final String schema;
  private final String table;
  private final String qualified;
  private final Run run;

  /** The table {@code table} in {@code schema}. */
  public HistoryTable(String schema, String table) {
    this(schema, table, null);
  }

  private HistoryTable(String schema, String table, Run run) {
    this.schema = schema;
    this.table = table;
    this.qualified = Identifiers.quote(schema) + "." + Identifiers.quote(table);
    this.run = run;
  }

  /** Why the deploy guard did not apply to a run. */
  public enum Exemption {
    /** No guard needed, or it let the run pass. */
    NONE(null),
    /** A database without history, or the resumption of an interrupted first run on one. */
    FRESH("fresh"),
    /** Allow-downtime overrode a refusal. */
    DOWNTIME("downtime");

    private final String column;

    Exemption(String column) {
      this.column = column;
    }
  }

  /** One run of a deployer: the rows it inserts carry its random id, its target and its exemption. */
  public record Run(String id, String target, Exemption exemption) {
    /** A new run with a random id. */
    public static Run start(Object target, Exemption exemption) {
      return new Run(newId(), String.valueOf(target), exemption);
    }

    /**
     * A random (version 4) UUID. The id tells runs apart; it guards nothing, so it needs no
     * {@code SecureRandom}, whose provider set-up costs a command-line run about 60 classes.
     */
    static String newId() {
      java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
      long high = (random.nextLong() & ~0xf000L) | 0x4000L;
      long low = (random.nextLong() & ~(0xcL << 60)) | (0x8L << 60);
      return new java.util.UUID(high, low).toString();
    }
  }

  /**
   * The targets of the runs of an interrupted first deployment: when every row was written by a
   * run exempt as {@link Exemption#FRESH}, the targets those runs had; otherwise empty.
   */
  public List<String> freshRunTargets(Connection connection) throws SQLException {
    Found found = find(connection);
    if (!found.exists() || checkFormat(found.comment()) < FORMAT_VERSION) {
      return List.of();
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE guard IS DISTINCT FROM 'fresh'), "
            + "array_agg(DISTINCT run_target) FILTER (WHERE guard = 'fresh') FROM " + qualified)) {
      rs.next();
      Array targets = rs.getArray(2);
      if (rs.getLong(1) > 0 || targets == null) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      for (Object t : (Object[]) targets.getArray()) {
        out.add((String) t);
      }
      targets.free();
      return out;
    }
  }

  /** This table, inserting rows of {@code run}. */
  public HistoryTable forRun(Run run) {
    return new HistoryTable(schema, table, java.util.Objects.requireNonNull(run, "run"));
  }

  /**
   * How many tables the database has in its own schemas (no system or extension tables), this
   * table and {@code ownTables} ({@code schema.table}) aside: a database with such tables but
   * no history was built without Twostep and needs a baseline.
   */
  public long userTables(Connection connection, String... ownTables) throws SQLException {
    List<String> own = new ArrayList<>(List.of(ownTables));
    own.add(displayName());
    try (PreparedStatement s = connection.prepareStatement("SELECT count(*) FROM pg_class c"
        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
        + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
        + " AND n.nspname || '.' || c.relname <> ALL (?)"
        + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid"
        + " AND d.deptype = 'e')")) {
      s.setArray(1, connection.createArrayOf("text", own.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The schema of the table. */
  public String schema() {
    return schema;
  }

  /** The name of the table, unquoted. */
  public String table() {
    return table;
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

  /** Whether the table exists, and its comment: one round trip. */
  private record Found(boolean exists, String comment) {}

  private Found find(Connection connection) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement(
        "SELECT c IS NOT NULL, obj_description(c, 'pg_class') FROM to_regclass(?) AS c")) {
      s.setString(1, qualified);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new Found(rs.getBoolean(1), rs.getString(2));
      }
    }
  }

  /** True when the table exists. */
  public boolean exists(Connection connection) throws SQLException {
    return find(connection).exists();
  }

  /**
   * Creates the schema and table when missing and checks the format marker. Safe when two
   * deployers race: a concurrent creation is detected by SQLSTATE and the existing table used.
   *
   * @param connection a connection in autocommit
   * @return true when the table was created or upgraded by this call
   * @throws TwostepException when the table exists in another format
   */
  public boolean ensure(Connection connection) throws SQLException {
    Found found = find(connection);
    boolean changed = !found.exists();
    if (!found.exists()) {
      try {
        create(connection);
      } catch (SQLException e) {
        if (!CREATE_RACE_STATES.contains(e.getSQLState()) || !exists(connection)) {
          throw e;
        }
      }
      found = find(connection);
    }
    if (checkFormat(found.comment()) < FORMAT_VERSION) {
      upgrade(connection);
      changed = true;
    }
    return changed;
  }

  /**
   * Format 1 to 2: adds the run columns (nullable: no rewrite, no long lock) and the new
   * marker, in one transaction, so a concurrent reader sees either format whole.
   */
  private void upgrade(Connection connection) throws SQLException {
    Transactions.inTransaction(connection, () -> {
      try (Statement s = connection.createStatement()) {
        s.execute("ALTER TABLE " + qualified + " ADD COLUMN IF NOT EXISTS run_id text, "
            + "ADD COLUMN IF NOT EXISTS run_target text, "
            + "ADD COLUMN IF NOT EXISTS guard text CHECK (guard IN ('fresh', 'downtime'))");
        s.execute("COMMENT ON TABLE " + qualified + " IS '" + MARKER + "'");
      }
      return null;
    });
  }

  private void create(Connection connection) throws SQLException {
    Transactions.inTransaction(connection, () -> {
      createInTransaction(connection);
      return null;
    });
  }

  private void createInTransaction(Connection connection) throws SQLException {
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
          + "run_id text, "
          + "run_target text, "
          + "guard text CHECK (guard IN ('fresh', 'downtime')), "
          + "PRIMARY KEY (release, phase, step))");
      // COMMENT takes no bind parameters; the marker is a constant of this class
      s.execute("COMMENT ON TABLE " + qualified + " IS '" + MARKER + "'");
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
    checkFormat(find(connection).comment());
  }

  private int checkFormat(String comment) {
    if (MARKER.equals(comment)) {
      return FORMAT_VERSION;
    }
    Matcher m = MARKER_PATTERN.matcher(comment == null ? "" : comment);
    if (!m.find()) {
      throw new TwostepException(Reason.HISTORY_UNREADABLE, "table " + displayName() + " exists but is not a Twostep history table (its comment is "
          + (comment == null ? "empty" : "'" + comment + "'") + ", expected '" + MARKER
          + "'). Choose another history table with --schema/--table, or rename that table.");
    }
    int version = Integer.parseInt(m.group(1));
    if (version < OLDEST_READ_FORMAT || version > FORMAT_VERSION) {
      throw new TwostepException(Reason.HISTORY_UNREADABLE, "history table " + displayName() + " has format v" + version
          + " but this Twostep reads formats v" + OLDEST_READ_FORMAT + " to v" + FORMAT_VERSION
          + (version > FORMAT_VERSION ? ": it was written by a newer Twostep. Upgrade twostep-runtime." : "."));
    }
    return version;
  }

  /** All rows, or none when the table does not exist yet. Checks the format first. */
  public List<HistoryEntry> read(Connection connection) throws SQLException {
    Found found = find(connection);
    if (!found.exists()) {
      return List.of();
    }
    checkFormat(found.comment());
    List<HistoryEntry> rows = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT release, phase, step, description, checksum, kind, applied_at, "
            + "execution_ms, applied_by, waivers, baseline FROM " + qualified)) {
      while (rs.next()) {
        String waivers = rs.getString(10);
        rows.add(new HistoryEntry(
            rs.getString(1), Phase.parse(rs.getString(2)), rs.getInt(3),
            rs.getString(4), rs.getString(5), rs.getString(6),
            rs.getTimestamp(7).toInstant(), rs.getLong(8),
            rs.getString(9), waivers == null ? "" : waivers, rs.getBoolean(11)));
      }
    }
    return rows;
  }

  /**
   * Which steps of each (release, phase) are applied, and nothing else of the rows: what a
   * compatibility check needs, aggregated by PostgreSQL so that a long history costs one row per
   * (release, phase). Empty when the table does not exist yet. Checks the format first.
   *
   * @throws TwostepException when the table is in another format or a row's release is not a
   *     release number
   */
  public AppliedSteps readApplied(Connection connection, CatalogIndex catalog) throws SQLException {
    AppliedSteps applied = new AppliedSteps();
    Found found = find(connection);
    if (!found.exists()) {
      return applied;
    }
    checkFormat(found.comment());
    // the primary key makes steps unique per (release, phase), so min 1 and max = count means 1..count;
    // only other groups send their steps. Rows of next come one by one, step and checksum: one
    // that shipped since counts at its numbered position (ShippedNextRows)
    List<ShippedNextRows.NextRow> nextRows = new ArrayList<>();
    try (PreparedStatement s = connection.prepareStatement("SELECT release, phase, count(*), "
        + "CASE WHEN min(step) = 1 AND max(step) = count(*) THEN NULL ELSE array_agg(step) END, NULL "
        + "FROM " + qualified + " WHERE release <> 'next' GROUP BY release, phase "
        + "UNION ALL SELECT release, phase, step, NULL, checksum FROM " + qualified + " WHERE release = 'next'");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        Release release = catalog.historyRelease(rs.getString(1));
        Phase phase = Phase.parse(rs.getString(2));
        if (release.isNext()) {
          nextRows.add(new ShippedNextRows.NextRow(phase, (int) rs.getLong(3), rs.getString(5)));
          continue;
        }
        Array steps = rs.getArray(4);
        if (steps == null) {
          applied.addOneTo(release, phase, (int) rs.getLong(3));
        } else {
          for (Object step : (Object[]) steps.getArray()) {
            applied.add(release, phase, ((Number) step).intValue());
          }
          steps.free();
        }
      }
    }
    for (ShippedNextRows.NextRow row : nextRows) {
      Release release = ShippedNextRows.shippedAs(catalog, row.phase(), row.step(), row.checksum(),
          key -> applied.contains(key.release(), key.phase(), key.step())).orElse(Release.NEXT);
      applied.add(release, row.phase(), row.step());
    }
    return applied;
  }

  /** Inserts the row of {@code migration}, in the caller's transaction. */
  public void insert(Connection connection, Migration migration, long executionMs, boolean baseline)
      throws SQLException {
    try (PreparedStatement s = connection.prepareStatement("INSERT INTO " + qualified
        + " (release, phase, step, description, checksum, kind, applied_at, execution_ms, applied_by, waivers, baseline,"
        + " run_id, run_target, guard) VALUES (?, ?, ?, ?, ?, ?, clock_timestamp(), ?, session_user, ?, ?, ?, ?, ?)")) {
      s.setString(1, migration.release().text());
      s.setString(2, migration.phase().label());
      s.setInt(3, migration.step());
      s.setString(4, migration.description());
      s.setString(5, migration.checksum());
      s.setString(6, migration.kind());
      s.setLong(7, executionMs);
      s.setString(8, waivers(migration));
      s.setBoolean(9, baseline);
      s.setString(10, run == null ? null : run.id());
      s.setString(11, run == null ? null : run.target());
      s.setString(12, run == null ? null : run.exemption().column);
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
