package dev.twostep.processor.internal.check;

import dev.twostep.Rule;
import static dev.twostep.processor.internal.check.TestSets.post;
import static dev.twostep.processor.internal.check.TestSets.pre;
import static dev.twostep.processor.internal.check.TestSets.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.processor.internal.model.Diagnostic;
import dev.twostep.processor.internal.model.MigrationModel;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the lock-safety rules assume about PostgreSQL, checked on the test server: for each
 * statement, the rule the processor gives it and what the server does with it while the
 * migration's transaction is open (the strongest lock on the two tables, read from
 * {@code pg_locks} by another connection; a rewrite, seen as a new {@code relfilenode}; a scan of
 * the table, seen in {@code pg_stat_get_xact_numscans}). A rule that fires on a statement that
 * neither rewrites nor scans under a blocking lock, or a recommended form that does, fails here.
 */
class LockServerFactsTest {
  /** The same release 1.0.0 the rules see, with rows. */
  private static final String TABLES = """
      CREATE TABLE shop_jobs (id bigint PRIMARY KEY, queue varchar(40) NOT NULL, note varchar(100), amount numeric(10,2),
        owner_id bigint, created_at timestamptz, payload jsonb);
      CREATE TABLE shop_owners (id bigint PRIMARY KEY, name text);
      CREATE INDEX shop_jobs_queue_idx ON shop_jobs (queue);
      """;
  private static final String ROWS = """
      INSERT INTO shop_owners SELECT i, 'owner ' || i FROM generate_series(1, 100) i;
      INSERT INTO shop_jobs SELECT i, 'q' || (i % 5), 'note', 1, 1 + i % 100, now(), '{}' FROM generate_series(1, 2000) i;
      ANALYZE shop_jobs, shop_owners;
      """;
  private static final List<String> MODES = List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock",
      "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");
  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  private static TestDatabase db;

  @BeforeAll
  static void createDatabase() {
    db = TestPostgres.shared().createDatabase("lock_facts");
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  /**
   * What the server did with a statement inside an open transaction.
   *
   * @param strongest the strongest lock mode the transaction held on shop_jobs or shop_owners
   * @param rewrite a table got a new relfilenode
   * @param scanned a table was scanned (sequentially) by the statement
   */
  record Observed(String strongest, boolean rewrite, boolean scanned) {
    boolean blocksWrites() {
      return MODES.indexOf(strongest) >= MODES.indexOf("ShareLock");
    }

    boolean blocksReads() {
      return strongest.equals("AccessExclusiveLock");
    }
  }

  static Stream<Arguments> facts() {
    return Stream.of(
        // rule, statement(s): the last one is observed, the ones before it are committed first
        Arguments.of("table-rewrite", List.of("ALTER TABLE shop_jobs ALTER COLUMN owner_id TYPE int")),
        Arguments.of("table-rewrite", List.of("ALTER TABLE shop_jobs ALTER COLUMN note TYPE varchar(50)")),
        Arguments.of("table-rewrite", List.of("ALTER TABLE shop_jobs ALTER COLUMN amount TYPE numeric(12,4)")),
        Arguments.of("table-rewrite", List.of("ALTER TABLE shop_owners ALTER COLUMN name TYPE varchar(50)")),
        Arguments.of("table-rewrite", List.of("ALTER TABLE shop_jobs ADD COLUMN uid uuid DEFAULT gen_random_uuid()")),
        Arguments.of("table-rewrite", List.of("ALTER TABLE shop_jobs ADD COLUMN r float8 DEFAULT random()")),
        Arguments.of("table-rewrite", List.of("ALTER TABLE shop_jobs ADD COLUMN t timestamptz DEFAULT clock_timestamp()")),
        Arguments.of("table-rewrite", List.of("ALTER TABLE shop_jobs ADD COLUMN seq bigserial")),
        Arguments.of("table-rewrite", List.of("ALTER TABLE shop_jobs ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY")),
        Arguments.of("table-rewrite", List.of("ALTER TABLE shop_jobs ADD COLUMN twice numeric GENERATED ALWAYS AS (amount * 2) STORED")),
        Arguments.of("table-rewrite", List.of("ALTER TABLE shop_jobs SET UNLOGGED")),
        Arguments.of("table-rewrite", List.of("CLUSTER shop_jobs USING shop_jobs_queue_idx")),
        Arguments.of("blocking-index-build", List.of("CREATE INDEX shop_jobs_note_idx ON shop_jobs (note)")),
        Arguments.of("blocking-index-build", List.of("REINDEX TABLE shop_jobs")),
        Arguments.of("blocking-index-build", List.of("ALTER TABLE shop_owners ADD CONSTRAINT shop_owners_name_key UNIQUE (name)")),
        Arguments.of("validating-constraint", List.of("ALTER TABLE shop_jobs ADD CONSTRAINT amount_positive CHECK (amount > 0)")),
        Arguments.of("validating-constraint", List.of("ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_owner_fk "
            + "FOREIGN KEY (owner_id) REFERENCES shop_owners (id)")),
        Arguments.of("set-not-null-scan", List.of("ALTER TABLE shop_jobs ALTER COLUMN note SET NOT NULL")),
        Arguments.of("validate-under-exclusive-lock", List.of(
            "ALTER TABLE shop_jobs ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID",
            "ALTER TABLE shop_jobs DROP COLUMN payload; ALTER TABLE shop_jobs VALIDATE CONSTRAINT amount_positive")),
        Arguments.of("explicit-lock", List.of("LOCK TABLE shop_jobs IN SHARE MODE")),
        Arguments.of("non-concurrent-drop", List.of("DROP INDEX shop_jobs_queue_idx")),
        // the safe forms: they may take a strong lock only for an instant (no scan, no rewrite)
        Arguments.of(null, List.of("ALTER TABLE shop_jobs ALTER COLUMN note TYPE varchar(200)")),
        Arguments.of(null, List.of("ALTER TABLE shop_jobs ALTER COLUMN note TYPE text")),
        Arguments.of(null, List.of("ALTER TABLE shop_jobs ALTER COLUMN queue TYPE varchar")),
        Arguments.of(null, List.of("ALTER TABLE shop_jobs ALTER COLUMN amount TYPE numeric(14,2)")),
        Arguments.of(null, List.of("ALTER TABLE shop_jobs ALTER COLUMN amount TYPE numeric")),
        Arguments.of(null, List.of("ALTER TABLE shop_jobs ADD COLUMN priority int NOT NULL DEFAULT 0")),
        Arguments.of(null, List.of("ALTER TABLE shop_jobs ADD COLUMN seen_at timestamptz NOT NULL DEFAULT now()")),
        Arguments.of(null, List.of("ALTER TABLE shop_jobs ADD COLUMN tags text[] DEFAULT '{}'")),
        Arguments.of(null, List.of("ALTER TABLE shop_jobs ADD COLUMN owner2 bigint REFERENCES shop_owners (id)")),
        Arguments.of(null, List.of("ALTER TABLE shop_jobs ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID")),
        Arguments.of(null, List.of("ALTER TABLE shop_jobs ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID",
            "ALTER TABLE shop_jobs VALIDATE CONSTRAINT amount_positive")),
        Arguments.of(null, List.of("ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_owner_fk FOREIGN KEY (owner_id) "
            + "REFERENCES shop_owners (id) NOT VALID")),
        Arguments.of(null, List.of("ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_owner_fk FOREIGN KEY (owner_id) "
            + "REFERENCES shop_owners (id) NOT VALID", "ALTER TABLE shop_jobs VALIDATE CONSTRAINT shop_jobs_owner_fk")),
        Arguments.of(null, List.of("CREATE UNIQUE INDEX CONCURRENTLY shop_owners_name_key ON shop_owners (name)",
            "ALTER TABLE shop_owners ADD CONSTRAINT shop_owners_name_key UNIQUE USING INDEX shop_owners_name_key")),
        Arguments.of(null, List.of("ALTER TABLE shop_jobs ADD CONSTRAINT note_present CHECK (note IS NOT NULL) NOT VALID",
            "ALTER TABLE shop_jobs VALIDATE CONSTRAINT note_present",
            "ALTER TABLE shop_jobs ALTER COLUMN note SET NOT NULL")),
        Arguments.of(null, List.of("ALTER TABLE shop_jobs ALTER COLUMN note SET STATISTICS 500")));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("facts")
  void theRuleMatchesWhatTheServerDoes(String rule, List<String> steps) throws Exception {
    assertThat(rulesOn(steps)).as("rules the processor gives " + steps).isEqualTo(rule == null ? List.of() : List.of(rule));
    Observed observed = observe(steps);
    if (rule == null) {
      assertThat(observed.blocksWrites() && (observed.rewrite() || observed.scanned()))
          .as("a form the rules accept must not rewrite or scan while it blocks writes: " + observed).isFalse();
      return;
    }
    switch (rule) {
      case "table-rewrite" -> assertThat(observed).as(steps.toString())
          .isEqualTo(new Observed("AccessExclusiveLock", true, observed.scanned()));
      case "blocking-index-build" -> assertThat(observed.blocksWrites() && observed.scanned()).as(observed.toString()).isTrue();
      case "validating-constraint" -> assertThat(observed.blocksWrites() && observed.scanned() && !observed.rewrite())
          .as(observed.toString()).isTrue();
      case "set-not-null-scan", "validate-under-exclusive-lock" -> assertThat(observed)
          .isEqualTo(new Observed("AccessExclusiveLock", false, true));
      case "explicit-lock" -> assertThat(observed).isEqualTo(new Observed("ShareLock", false, false));
      case "non-concurrent-drop" -> assertThat(observed.blocksReads()).as(observed.toString()).isTrue();
      default -> throw new AssertionError("no server fact for rule " + rule);
    }
  }

  /** The concurrent forms cannot run in a transaction: they are observed while they wait for a writer's transaction. */
  static Stream<Arguments> concurrentForms() {
    return Stream.of(
        Arguments.of("CREATE INDEX CONCURRENTLY shop_jobs_note_idx ON shop_jobs (note)"),
        Arguments.of("REINDEX INDEX CONCURRENTLY shop_jobs_queue_idx"),
        Arguments.of("DROP INDEX CONCURRENTLY shop_jobs_queue_idx"));
  }

  @ParameterizedTest
  @MethodSource("concurrentForms")
  void concurrentFormsLetReadsAndWritesGoOn(String statement) throws Exception {
    assertThat(rulesOn(List.of(statement))).isEmpty();
    String schema = freshSchema();
    try (Connection writer = connect(schema); Connection migrator = connect(schema); Connection observer = connect(schema)) {
      writer.setAutoCommit(false);
      execute(writer, "UPDATE shop_jobs SET note = note WHERE queue = 'q1'");
      int pid = pid(migrator);
      CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
        try {
          execute(migrator, statement);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      awaitWaiting(observer, pid);
      String strongest = strongestLock(observer, pid, schema);
      assertThat(strongest).as(statement).isEqualTo("ShareUpdateExclusiveLock");
      // and so the application's writes go on while it runs
      execute(observer, "INSERT INTO shop_jobs (id, queue) VALUES (100000, 'q1')");
      writer.commit();
      running.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void anUpdateInOneTransactionHoldsTheLockOfEveryRowItChangedUntilCommit() throws Exception {
    assertThat(rulesOn(List.of("UPDATE shop_jobs SET note = queue"))).containsExactly("unbatched-backfill");
    String schema = freshSchema();
    try (Connection migrator = connect(schema); Connection app = connect(schema)) {
      migrator.setAutoCommit(false);
      execute(migrator, "UPDATE shop_jobs SET note = queue");
      assertThat(longValue(app, "SELECT count(*) FROM (SELECT 1 FROM shop_jobs FOR UPDATE SKIP LOCKED) free"))
          .as("rows the application can still lock").isZero();
      migrator.rollback();
      assertThat(longValue(app, "SELECT count(*) FROM (SELECT 1 FROM shop_jobs FOR UPDATE SKIP LOCKED) free")).isEqualTo(2000);
    }
  }

  @Test
  void exclusiveLocksOnTwoTablesAreBothHeldUntilCommit() throws Exception {
    List<String> steps = List.of("ALTER TABLE shop_jobs ADD COLUMN a int; ALTER TABLE shop_owners ADD COLUMN b int");
    assertThat(rulesOn(steps)).containsExactly("exclusive-locks-on-several-tables");
    String schema = freshSchema();
    try (Connection migrator = connect(schema); Connection observer = connect(schema)) {
      migrator.setAutoCommit(false);
      execute(migrator, steps.get(0));
      Map<String, String> locks = locksByTable(observer, pid(migrator), schema);
      assertThat(locks).containsEntry("shop_jobs", "AccessExclusiveLock").containsEntry("shop_owners", "AccessExclusiveLock");
      migrator.rollback();
    }
  }

  @Test
  void aSessionSettingOutlivesTheTransactionAndALocalOneDoesNot() throws Exception {
    assertThat(rulesOn(List.of("SET lock_timeout = '7s'"))).containsExactly("session-setting");
    assertThat(rulesOn(List.of("SET LOCAL lock_timeout = '7s'"))).isEmpty();
    String schema = freshSchema();
    try (Connection c = connect(schema)) {
      c.setAutoCommit(false);
      execute(c, "SET LOCAL lock_timeout = '5s'");
      c.commit();
      assertThat(stringValue(c, "SHOW lock_timeout")).isNotEqualTo("5s");
      execute(c, "SET lock_timeout = '7s'");
      c.commit();
      assertThat(stringValue(c, "SHOW lock_timeout")).isEqualTo("7s");
    }
  }

  @Test
  void notNullWithoutDefaultFailsOnATableWithRowsOnly() throws Exception {
    String add = "ALTER TABLE shop_jobs ADD COLUMN region text NOT NULL";
    assertThat(rulesOn(List.of(add))).containsExactly("not-null-without-default");
    String schema = freshSchema();
    try (Connection c = connect(schema)) {
      assertThatThrownBy(() -> execute(c, add)).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23502"));
      execute(c, "CREATE TABLE empty_jobs (id int); ALTER TABLE empty_jobs ADD COLUMN region text NOT NULL");
    }
  }

  @Test
  void truncateCascadeEmptiesTablesItDoesNotName() throws Exception {
    String steps = "ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_owner_fk FOREIGN KEY (owner_id) REFERENCES shop_owners (id) "
        + "NOT VALID";
    assertThat(rulesOn(List.of(steps, "TRUNCATE shop_owners CASCADE"))).containsExactly("destructive-statement");
    String schema = freshSchema();
    try (Connection c = connect(schema)) {
      execute(c, steps);
      execute(c, "TRUNCATE shop_owners CASCADE");
      assertThat(longValue(c, "SELECT count(*) FROM shop_jobs")).isZero();
    }
  }

  @Test
  void theVolatileFunctionsTheRulesKnowAreVolatileOnTheServer() throws Exception {
    try (Connection c = db.connect();
        PreparedStatement s = c.prepareStatement("SELECT proname, provolatile FROM pg_proc WHERE proname = ANY (?)")) {
      s.setArray(1, c.createArrayOf("text", dev.twostep.processor.internal.sql.TableOperation.VOLATILE_FUNCTIONS.toArray()));
      int found = 0;
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          assertThat(rs.getString(2)).as(rs.getString(1)).isEqualTo("v");
          found++;
        }
      }
      assertThat(found).as("volatile functions the server knows").isGreaterThanOrEqualTo(5);
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT provolatile FROM pg_proc WHERE proname = 'now'")) {
        rs.next();
        assertThat(rs.getString(1)).as("now() is STABLE: stored once as the missing value").isEqualTo("s");
      }
    }
  }

  // ---- the processor's view ---------------------------------------------------------------------

  /** The lock-safety rules fired on the last of {@code steps}, each a post-migration of 2.0.0 after {@link #TABLES} in 1.0.0. */
  private static List<String> rulesOn(List<String> steps) {
    List<MigrationModel> migrations = new ArrayList<>();
    migrations.add(pre("1.0.0", 1, TABLES));
    for (int i = 0; i < steps.size(); i++) {
      migrations.add(post("2.0.0", i + 1, steps.get(i)));
    }
    String last = migrations.get(migrations.size() - 1).className();
    return SqlRules.check(set(migrations.toArray(MigrationModel[]::new))).stream()
        .filter(d -> d.rule().family() == Rule.Family.LOCK_SAFETY && d.className().equals(last))
        .map(d -> d.rule().id()).distinct().toList();
  }

  // ---- the server's view ------------------------------------------------------------------------

  private static Observed observe(List<String> steps) throws SQLException {
    String schema = freshSchema();
    try (Connection migrator = connect(schema); Connection observer = connect(schema)) {
      for (String step : steps.subList(0, steps.size() - 1)) {
        execute(migrator, step); // earlier steps: committed (a concurrent one runs alone in autocommit)
      }
      Map<String, Long> filesBefore = relfilenodes(observer, schema);
      migrator.setAutoCommit(false);
      long scansBefore = scans(migrator);
      execute(migrator, steps.get(steps.size() - 1));
      long scans = scans(migrator) - scansBefore;
      Map<String, Long> filesAfter = relfilenodes(migrator, schema);
      String strongest = strongestLock(observer, pid(migrator), schema);
      migrator.rollback();
      return new Observed(strongest, !filesBefore.equals(filesAfter), scans > 0);
    }
  }

  private static String freshSchema() throws SQLException {
    String schema = "facts_" + SCHEMAS.incrementAndGet();
    try (Connection c = db.connect()) {
      execute(c, "CREATE SCHEMA " + schema);
      execute(c, "SET search_path TO " + schema);
      execute(c, TABLES);
      execute(c, ROWS);
    }
    return schema;
  }

  private static Connection connect(String schema) throws SQLException {
    Connection c = db.connect();
    execute(c, "SET search_path TO " + schema);
    return c;
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long longValue(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String stringValue(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static int pid(Connection c) throws SQLException {
    return (int) longValue(c, "SELECT pg_backend_pid()");
  }

  /** Sequential scans of the two tables counted in this session and not yet flushed. */
  private static long scans(Connection c) throws SQLException {
    return longValue(c, "SELECT pg_stat_get_xact_numscans('shop_jobs'::regclass) + pg_stat_get_xact_numscans('shop_owners'::regclass)");
  }

  private static Map<String, Long> relfilenodes(Connection c, String schema) throws SQLException {
    Map<String, Long> out = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement("SELECT c.relname, c.relfilenode FROM pg_class c JOIN pg_namespace n "
        + "ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname IN ('shop_jobs', 'shop_owners')")) {
      s.setString(1, schema);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return out;
  }

  /** The strongest lock mode {@code pid} holds (granted) on each of the two tables. */
  private static Map<String, String> locksByTable(Connection observer, int pid, String schema) throws SQLException {
    Map<String, String> out = new HashMap<>();
    try (PreparedStatement s = observer.prepareStatement("SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c "
        + "ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace WHERE l.pid = ? AND l.granted "
        + "AND n.nspname = ? AND c.relname IN ('shop_jobs', 'shop_owners')")) {
      s.setInt(1, pid);
      s.setString(2, schema);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.merge(rs.getString(1), rs.getString(2), (a, b) -> MODES.indexOf(a) >= MODES.indexOf(b) ? a : b);
        }
      }
    }
    return out;
  }

  private static String strongestLock(Connection observer, int pid, String schema) throws SQLException {
    return locksByTable(observer, pid, schema).values().stream()
        .max((a, b) -> Integer.compare(MODES.indexOf(a), MODES.indexOf(b))).orElse("none");
  }

  /** Waits until {@code pid} waits for a lock (the writer's transaction), as pg_locks shows it. */
  private static void awaitWaiting(Connection observer, int pid) throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (longValue(observer, "SELECT count(*) FROM pg_locks WHERE NOT granted AND pid = " + pid) == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("session " + pid + " never waited for the writer's transaction");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }
}
