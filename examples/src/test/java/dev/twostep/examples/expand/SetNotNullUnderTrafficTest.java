package dev.twostep.examples.expand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.MigrationCatalog;
import dev.twostep.runtime.MigrateResult;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import dev.twostep.runtime.TwostepException;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code @SetNotNull} with a backfill under traffic, on a catalog compiled here: release 1.0.0
 * creates {@code accounts} with a nullable {@code plan}; 2.0.0 makes it NOT NULL, backfilling
 * {@code 'free'}. Code of 1.0.0 (writes no plan) and of 2.0.0 (writes one) run while the backfill
 * is held in its tenth batch by a row lock; the backfill, interrupted by the loss of its session,
 * resumes on the next run.
 */
class SetNotNullUnderTrafficTest {
  private static final int ROWS = 20_000;
  /** The first row of the tenth batch: every row needs the backfill, in id order. */
  private static final long HELD = 9_001;
  private static final String SOURCE = String.join("\n",
      "package com.acme.accounts;",
      "import dev.twostep.*;",
      "final class Accounts {",
      "  @PreMigration(release = \"1.0.0\", step = 1, sql = \"CREATE TABLE accounts (id bigserial PRIMARY KEY, email text NOT NULL, plan text);\")",
      "  static final class CreateAccounts {}",
      "  @SetNotNull(release = \"2.0.0\", step = 1, table = \"accounts\", column = \"plan\", backfill = \"'free'\")",
      "  static final class EveryAccountHasAPlan {}",
      "}");

  @Test
  void codeOf1And2WriteWhileTheBackfillRunsAndPostSetsNotNull() throws Exception {
    MigrationCatalog catalog = compileCatalog();
    try (TestDatabase db = TestPostgres.shared().createDatabase("set_not_null_traffic")) {
      Twostep deployer = Twostep.builder().dataSource(db.dataSource()).catalog(catalog)
          .lockTimeout(Duration.ofSeconds(120)).build();
      deployer.migrate(Target.parse("1.0.0"));
      insertAccountsWithoutPlan(db);
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try (Connection holder = db.connect()) {
        Future<MigrateResult> pre = pool.submit(() -> deployer.migrate(Target.parse("2.0.0:pre")));
        int backfill = holdTheBackfill(db, holder);

        Future<Map<Long, String>> of1 = pool.submit(() -> trafficOf1(db));
        Future<Map<Long, String>> of2 = pool.submit(() -> trafficOf2(db));
        Map<Long, String> expected = new TreeMap<>(of1.get(60, TimeUnit.SECONDS));
        expected.putAll(of2.get(60, TimeUnit.SECONDS));
        assertThat(Sessions.waitingPids(db::connect)).as("sessions waiting for a lock").containsExactly(backfill);
        assertThat(pre.isDone()).isFalse();

        holder.rollback();
        assertThat(pre.get(120, TimeUnit.SECONDS).applied()).isNotEmpty();
        assertThat(countWhere(db, "plan IS NULL")).isZero();
        assertPlans(db, expected);

        deployer.migrate(Target.parse("2.0.0:post"));
        assertThat(notNull(db)).isTrue();
        assertPlans(db, expected);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
          s.execute("INSERT INTO accounts (email, plan) VALUES ('after@post', 'pro')");
          assertThatThrownBy(() -> s.execute("INSERT INTO accounts (email) VALUES ('no@plan')"))
              .isInstanceOf(SQLException.class).hasMessageContaining("not-null");
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aBackfillWhoseSessionDiesIsResumedByTheNextRun() throws Exception {
    MigrationCatalog catalog = compileCatalog();
    try (TestDatabase db = TestPostgres.shared().createDatabase("set_not_null_resume")) {
      Twostep deployer = Twostep.builder().dataSource(db.dataSource()).catalog(catalog)
          .lockTimeout(Duration.ofSeconds(120)).build();
      deployer.migrate(Target.parse("1.0.0"));
      insertAccountsWithoutPlan(db);
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try (Connection holder = db.connect()) {
        Future<MigrateResult> pre = pool.submit(() -> deployer.migrate(Target.parse("2.0.0:pre")));
        int backfill = holdTheBackfill(db, holder);
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
          s.setInt(1, backfill);
          s.execute();
        }
        holder.rollback();
        assertThatThrownBy(() -> pre.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(TwostepException.class);
      } finally {
        pool.shutdownNow();
      }
      assertThat(deployer.status().state()).isEqualTo(SchemaState.parse("1.0.0:pre"));
      assertThat(countWhere(db, "plan IS NULL")).as("rows left").isEqualTo(ROWS - HELD + 1);

      deployer.migrate(Target.parse("2.0.0:pre")); // the set-up is there: only the rest of the backfill runs
      assertThat(countWhere(db, "plan IS NULL")).isZero();
      deployer.migrate(Target.parse("2.0.0:post"));
      assertThat(notNull(db)).isTrue();
      assertThat(deployer.verify().ok()).isTrue();
    }
  }

  private static MigrationCatalog compileCatalog() throws Exception {
    return CompiledCatalogs.compile("com.acme.accounts.Accounts", SOURCE);
  }

  private static void insertAccountsWithoutPlan(TestDatabase db) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO accounts (email) SELECT 'a' || i || '@example.com' FROM generate_series(1, " + ROWS + ") i");
      s.execute("VACUUM ANALYZE accounts");
    }
  }

  /** Waits for the bridge, locks row {@link #HELD}, waits until the backfill waits for it; its pid. */
  private static int holdTheBackfill(TestDatabase db, Connection holder) throws SQLException {
    // the set-up takes ACCESS EXCLUSIVE, which a row lock held before it would block: lock after it
    while (!Sessions.exists(db::connect, "SELECT 1 FROM pg_trigger WHERE tgname = 'accounts_fill_plan'")) {
      Thread.onSpinWait();
    }
    holder.setAutoCommit(false);
    try (PreparedStatement s = holder.prepareStatement("SELECT plan FROM accounts WHERE id = ? FOR UPDATE")) {
      s.setLong(1, HELD);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).as("row %s reached by the backfill before the test could hold it", HELD).isNull();
      }
    }
    int backfill = Sessions.waitForOneWaiter(db::connect);
    assertThat(countWhere(db, "plan IS NOT NULL")).as("rows done by the committed batches").isEqualTo(HELD - 1);
    return backfill;
  }

  /** Code of 1.0.0 knows no plan: inserts without one, updates emails, even writes NULL. */
  private static Map<Long, String> trafficOf1(TestDatabase db) throws SQLException {
    Map<Long, String> wrote = new TreeMap<>();
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("SET lock_timeout = 2000");
      for (int i = 0; i < 40; i++) {
        try (ResultSet rs = s.executeQuery("INSERT INTO accounts (email) VALUES ('old" + i + "@example.com') RETURNING id")) {
          rs.next();
          wrote.put(rs.getLong(1), "free");
        }
      }
      // rows the backfill has not reached: the bridge fills the plan, or the NOT VALID check would refuse
      assertThat(s.executeUpdate("UPDATE accounts SET email = upper(email) WHERE id BETWEEN 19500 AND 19549")).isEqualTo(50);
      assertThat(s.executeUpdate("UPDATE accounts SET plan = NULL WHERE id BETWEEN 19600 AND 19609")).isEqualTo(10);
    }
    return wrote;
  }

  /** Code of 2.0.0 writes plans. */
  private static Map<Long, String> trafficOf2(TestDatabase db) throws SQLException {
    Map<Long, String> wrote = new TreeMap<>();
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("SET lock_timeout = 2000");
      for (int i = 0; i < 40; i++) {
        try (ResultSet rs = s.executeQuery(
            "INSERT INTO accounts (email, plan) VALUES ('new" + i + "@example.com', 'pro') RETURNING id")) {
          rs.next();
          wrote.put(rs.getLong(1), "pro");
        }
      }
      assertThat(s.executeUpdate("UPDATE accounts SET plan = 'team' WHERE id BETWEEN 19700 AND 19749")).isEqualTo(50);
      for (long id = 19_700; id < 19_750; id++) {
        wrote.put(id, "team");
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM accounts WHERE plan = 'pro'")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(40);
      }
    }
    return wrote;
  }

  private static void assertPlans(TestDatabase db, Map<Long, String> expected) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, plan FROM accounts ORDER BY id")) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        assertThat(rs.getString(2)).as("plan of account %s", rs.getLong(1))
            .isEqualTo(expected.getOrDefault(rs.getLong(1), "free"));
      }
      assertThat(rows).isEqualTo(ROWS + 80);
    }
  }


  private static boolean notNull(TestDatabase db) throws SQLException {
    return Sessions.exists(db::connect, "SELECT 1 FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attname = 'plan' AND attnotnull");
  }


  private static long countWhere(TestDatabase db, String condition) throws SQLException {
    return Sessions.count(db::connect, "accounts", condition);
  }

}
