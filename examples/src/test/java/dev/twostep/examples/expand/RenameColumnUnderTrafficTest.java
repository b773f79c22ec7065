package dev.twostep.examples.expand;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.examples.shop.app.JobQueue;
import dev.twostep.examples.shop.app.Release2JobQueue;
import dev.twostep.examples.shop.app.Release3JobQueue;
import dev.twostep.examples.shop.db.ShopMigrations;
import dev.twostep.junit.AtState;
import dev.twostep.junit.StateDatabase;
import dev.twostep.junit.TwostepTest;
import dev.twostep.runtime.MigrateResult;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The example's {@code @RenameColumn} of {@code shop_jobs.queue} to {@code queue_name} under
 * traffic: code of 2.0.0 (writes {@code queue}) and of 3.0.0 (writes {@code queue_name}) write and
 * read at the same time while the expanded pre-migration's backfill is provably in progress, and
 * a deployer killed during the backfill leaves a copy that the next {@code pre} finishes.
 *
 * <p>The backfill is held in the middle, deterministically: once the bridge is committed, the test
 * locks the first row of the last batch, so the backfill waits there (seen in {@code pg_locks})
 * with the rows before it copied and the rows after it not yet reached.
 */
@TwostepTest(catalog = ShopMigrations.class)
class RenameColumnUnderTrafficTest {
  private static final int ROWS = 20_000;
  /**
   * The first row of the tenth batch of 1000: the rows are inserted in one statement, so they lie in
   * id order, and each batch takes the next 1000 rows still to copy in that order.
   */
  private static final long HELD = 9_001;

  @Test
  void codeOf2And3WritesAndReadsWhileTheBackfillRunsThenPostLeaves3Alone(@AtState("2.0.0") StateDatabase db)
      throws Exception {
    insertJobsWrittenBy2(db);
    // a long lock_timeout for the deployer only: its backfill waits on the held row while traffic runs
    Twostep deployer = Twostep.builder().dataSource(db.dataSource()).catalog(db.catalog())
        .lockTimeout(Duration.ofSeconds(120)).build();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (Connection holder = db.connect()) {
      Future<MigrateResult> pre = pool.submit(() -> deployer.migrate(Target.parse("3.0.0:pre")));
      int backfill = holdTheBackfill(db, holder);

      // the application's sessions give up after 2 s of waiting for a lock, as the deploy docs advise
      PGSimpleDataSource app = appDataSource(db);
      JobQueue old = new Release2JobQueue(app);
      JobQueue current = new Release3JobQueue(app);
      Map<Long, String> expected = new TreeMap<>();
      Future<Map<Long, String>> fromOld = pool.submit(() -> trafficOf2(app));
      Future<Map<Long, String>> fromNew = pool.submit(() -> trafficOf3(app));
      expected.putAll(fromOld.get(60, TimeUnit.SECONDS));
      expected.putAll(fromNew.get(60, TimeUnit.SECONDS));

      // every statement of both releases' code returned while the backfill still waits on the held row
      assertThat(Sessions.waitingPids(db::connect)).as("sessions waiting for a lock").containsExactly(backfill);
      assertThat(pre.isDone()).isFalse();
      // each release's code reads what the other wrote, through the bridge
      assertThat(old.queued("new")).isEqualTo(40);
      assertThat(current.queued("old")).isEqualTo(40);
      assertThat(valueOf(db, "queue", 19_700)).isEqualTo("new-moved-19700");
      assertThat(valueOf(db, "queue_name", 19_500)).isEqualTo("old-moved-19500");

      holder.rollback();
      assertThat(pre.get(120, TimeUnit.SECONDS).applied()).isNotEmpty();
      assertThat(db.twostep().status().state()).isEqualTo(SchemaState.parse("3.0.0:pre"));
      assertThat(db.twostep().check("2.0.0").compatible()).isTrue();
      assertThat(db.twostep().check("3.0.0").compatible()).isTrue();
      try (Connection c = db.connect(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE queue IS DISTINCT FROM queue_name),"
              + " count(*) FILTER (WHERE queue_name IS NULL) FROM shop_jobs")) {
        rs.next();
        assertThat(rs.getLong(1)).as("rows whose columns diverge").isZero();
        assertThat(rs.getLong(2)).as("rows the backfill missed").isZero();
      }
      assertValues(db, "queue", expected);
      assertValues(db, "queue_name", expected);

      db.migrate("3.0.0:post");
      assertThat(columnExists(db, "queue")).isFalse();
      assertValues(db, "queue_name", expected);
      current.exercise("after-post");
      assertThat(current.queued("old")).isEqualTo(40);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aDeployerKilledDuringTheBackfillIsFinishedByTheNextPre(@AtState("2.0.0") StateDatabase db) throws Exception {
    insertJobsWrittenBy2(db);
    Path out = Files.createTempFile("twostep-deployer", ".out");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1", "-Xmx64m",
        "-cp", System.getProperty("java.class.path"), ShopMigrations.class.getName(), "pre", "--url", db.url()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().keySet().removeIf(k -> k.startsWith("TWOSTEP_"));
    builder.environment().put("TWOSTEP_USER", db.user());
    if (db.password() != null) {
      builder.environment().put("TWOSTEP_PASSWORD", db.password());
    }
    Process deployer = builder.start();
    try (Connection holder = db.connect()) {
      int backfill = holdTheBackfill(db, holder);
      deployer.destroyForcibly(); // SIGKILL in the middle of the copy
      assertThat(deployer.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // its server session, waiting for the held row, would only notice the dead client when it next
      // writes to it; end it as the server ends a session whose client is gone
      terminate(db, backfill);
      holder.rollback();
    } finally {
      deployer.destroyForcibly();
      Files.deleteIfExists(out);
    }
    waitUntilNoBackendRuns(db, "UPDATE shop_jobs SET queue_name");
    assertThat(db.twostep().status().state()).as("the killed run recorded nothing")
        .isEqualTo(SchemaState.parse("2.0.0:post"));
    assertThat(countWhere(db, "queue_name IS NULL")).as("rows left to copy").isEqualTo(ROWS - HELD + 1);

    MigrateResult resumed = db.migrate("3.0.0:pre");
    assertThat(resumed.applied()).anySatisfy(a -> {
      assertThat(a.migration().release()).isEqualTo(Release.parse("3.0.0"));
      assertThat(a.migration().phase()).isEqualTo(Phase.PRE);
      assertThat(a.migration().step()).isEqualTo(1);
    });
    assertThat(countWhere(db, "queue_name IS DISTINCT FROM queue")).isZero();
    assertThat(countWhere(db, "queue_name IS NULL")).isZero();
    db.migrate("3.0.0:post");
    assertThat(db.twostep().verify().ok()).isTrue();
  }

  private static void insertJobsWrittenBy2(StateDatabase db) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO shop_jobs (queue, priority) SELECT 'q' || (i % 5), 0 FROM generate_series(1, " + ROWS + ") i");
      s.execute("VACUUM ANALYZE shop_jobs");
    }
  }

  /**
   * Waits until the bridge is committed, locks row {@link #HELD} in {@code holder}'s open
   * transaction and waits until the backfill waits for it; returns the backfill's pid.
   */
  private static int holdTheBackfill(StateDatabase db, Connection holder) throws Exception {
    // the set-up takes ACCESS EXCLUSIVE, which a row lock held before it would block: lock after it
    while (!columnExists(db, "queue_name")) {
      Thread.onSpinWait();
    }
    holder.setAutoCommit(false);
    try (PreparedStatement s = holder.prepareStatement("SELECT queue_name FROM shop_jobs WHERE id = ? FOR UPDATE")) {
      s.setLong(1, HELD);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).as("row %s reached by the backfill before the test could hold it", HELD).isNull();
      }
    }
    int backfill = Sessions.waitForOneWaiter(db::connect);
    assertThat(countWhere(db, "queue_name IS NOT NULL")).as("rows copied by the committed batches").isEqualTo(HELD - 1);
    return backfill;
  }

  /**
   * What code of 2.0.0 does: enqueue through shop_enqueue_job_v2 (column {@code queue}), rename the
   * queue of rows the backfill has not reached, touch other columns of such rows (which must get
   * their {@code queue_name} from the bridge, or the NOT VALID check would refuse the UPDATE), and
   * fetch and finish copied jobs. Returns the value each row it wrote must end with.
   */
  private static Map<Long, String> trafficOf2(PGSimpleDataSource app) throws SQLException {
    JobQueue code = new Release2JobQueue(app);
    Map<Long, String> wrote = new TreeMap<>();
    for (int i = 0; i < 40; i++) {
      wrote.put(code.enqueue("old", "{}", i % 3), "old");
    }
    try (Connection c = app.getConnection();
        PreparedStatement rename = c.prepareStatement("UPDATE shop_jobs SET queue = ? WHERE id = ?");
        PreparedStatement touch = c.prepareStatement("UPDATE shop_jobs SET attempts = attempts + 1 WHERE id = ?")) {
      for (long id = 19_500; id < 19_550; id++) {
        rename.setString(1, "old-moved-" + id);
        rename.setLong(2, id);
        assertThat(rename.executeUpdate()).isEqualTo(1);
        wrote.put(id, "old-moved-" + id);
      }
      for (long id = 19_800; id < 19_810; id++) {
        touch.setLong(1, id);
        assertThat(touch.executeUpdate()).isEqualTo(1);
      }
    }
    for (int i = 0; i < 10; i++) {
      OptionalLong id = code.fetch("q" + i % 5);
      assertThat(id).isPresent();
      code.finish(id.getAsLong(), true);
    }
    return wrote;
  }

  /**
   * What code of 3.0.0 does with column {@code queue_name} (its v3 functions come in a later step of
   * pre(3.0.0), so plain SQL here): insert jobs, rename the queue of rows the backfill has not
   * reached, update another column of copied rows. Returns the value each row it wrote must end with.
   */
  private static Map<Long, String> trafficOf3(PGSimpleDataSource app) throws SQLException {
    Map<Long, String> wrote = new TreeMap<>();
    try (Connection c = app.getConnection();
        PreparedStatement insert = c.prepareStatement(
            "INSERT INTO shop_jobs (queue_name, payload, priority) VALUES (?, '{}', ?) RETURNING id");
        PreparedStatement rename = c.prepareStatement("UPDATE shop_jobs SET queue_name = ? WHERE id = ?");
        PreparedStatement run = c.prepareStatement("UPDATE shop_jobs SET state = 'running' WHERE id = ?")) {
      for (int i = 0; i < 40; i++) {
        insert.setString(1, "new");
        insert.setInt(2, i % 3);
        try (ResultSet rs = insert.executeQuery()) {
          rs.next();
          wrote.put(rs.getLong(1), "new");
        }
      }
      for (long id = 19_700; id < 19_750; id++) {
        rename.setString(1, "new-moved-" + id);
        rename.setLong(2, id);
        assertThat(rename.executeUpdate()).isEqualTo(1);
        wrote.put(id, "new-moved-" + id);
      }
      for (long id = 100; id < 110; id++) {
        run.setLong(1, id);
        assertThat(run.executeUpdate()).isEqualTo(1);
      }
    }
    return wrote;
  }

  private static PGSimpleDataSource appDataSource(StateDatabase db) {
    PGSimpleDataSource app = new PGSimpleDataSource();
    app.setURL(db.url());
    app.setUser(db.user());
    app.setPassword(db.password());
    app.setOptions("-c lock_timeout=2000");
    return app;
  }


  private static void terminate(StateDatabase db, int pid) throws SQLException {
    try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
      s.setInt(1, pid);
      s.execute();
    }
  }

  private static void waitUntilNoBackendRuns(StateDatabase db, String queryPrefix) throws SQLException {
    while (true) {
      try (Connection c = db.connect();
          PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
              + " AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE ?")) {
        s.setString(1, queryPrefix + "%");
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          if (rs.getLong(1) == 0) {
            return;
          }
        }
      }
      Thread.onSpinWait();
    }
  }

  private static boolean columnExists(StateDatabase db, String column) throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement s = c.prepareStatement(
            "SELECT 1 FROM pg_attribute WHERE attrelid = 'shop_jobs'::regclass AND attname = ? AND NOT attisdropped")) {
      s.setString(1, column);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static long countWhere(StateDatabase db, String condition) throws SQLException {
    return Sessions.count(db::connect, "shop_jobs", condition);
  }


  private static String valueOf(StateDatabase db, String column, long id) throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM shop_jobs WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** Every row written by the traffic holds its value in {@code column}; every other row its 'q' || (id % 5). */
  private static void assertValues(StateDatabase db, String column, Map<Long, String> expected) throws SQLException {
    Map<Long, String> actual = new TreeMap<>();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, " + column + " FROM shop_jobs ORDER BY id")) {
      while (rs.next()) {
        actual.put(rs.getLong(1), rs.getString(2));
      }
    }
    for (Map.Entry<Long, String> row : actual.entrySet()) {
      String want = expected.getOrDefault(row.getKey(), row.getKey() <= ROWS ? "q" + row.getKey() % 5 : null);
      if (want != null) {
        assertThat(row.getValue()).as("%s of job %s", column, row.getKey()).isEqualTo(want);
      }
    }
    assertThat(actual.keySet()).containsAll(expected.keySet());
  }
}
