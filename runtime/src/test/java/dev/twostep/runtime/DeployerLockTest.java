package dev.twostep.runtime;

import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.runtime.internal.HistoryTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeployerLockTest extends RuntimeTestSupport {
  @Test
  void aSecondDeployerWaitsForTheFirstAndThenFindsNothingToDo() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TestCatalog catalog = TestCatalog.of(
        sql("1.0.0", PRE, 1, "create t", "CREATE TABLE t (id int)"),
        TestCatalog.java("1.0.0", PRE, 2, "slow backfill", true, () -> context -> {
          started.countDown();
          if (!release.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("test never released the first deployer");
          }
          try (Statement s = context.connection().createStatement()) {
            s.execute("INSERT INTO t VALUES (1)");
          }
        }));
    Twostep first = twostep(catalog).build();
    Twostep second = twostep(catalog).build();

    CompletableFuture<MigrateResult> firstRun = CompletableFuture.supplyAsync(() -> first.migrate(Target.parse("pre")));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    int firstLockPid = Integer.parseInt(value("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
    CompletableFuture<MigrateResult> secondRun = CompletableFuture.supplyAsync(() -> second.migrate(Target.parse("pre")));
    await("the second deployer has tried the lock", Duration.ofSeconds(10), () -> exists(
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> " + firstLockPid
            + " AND (query LIKE 'SELECT pg_try_advisory_lock%' OR query LIKE 'SELECT l.pid, a.backend_start%')"));
    assertThat(secondRun).as("second deployer waits while the first holds the lock").isNotDone();

    release.countDown();
    MigrateResult firstResult = firstRun.get(10, TimeUnit.SECONDS);
    MigrateResult secondResult = secondRun.get(10, TimeUnit.SECONDS);

    assertThat(firstResult.applied()).hasSize(2);
    assertThat(secondResult.applied()).isEmpty();
    assertThat(secondResult.after()).hasToString("1.0.0:pre");
    assertThat(column("SELECT id FROM t")).containsExactly("1");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:pre#2");
  }

  @Test
  void aDeployerThatLosesItsLockStopsBeforeTheNextMigration() throws Exception {
    TestCatalog catalog = TestCatalog.of(
        TestCatalog.java("1.0.0", PRE, 1, "lose the lock", true, () -> context -> {
          try (Statement s = context.connection().createStatement()) {
            // what an idle timeout or a network cut does to the idle lock session
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                + " AND pid <> pg_backend_pid() AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
          }
        }),
        sql("1.0.0", PRE, 2, "create t", "CREATE TABLE t (id int)"));

    // checked before every migration, so the loss is seen before step 2 however fast step 1 ran
    assertThatThrownBy(() -> twostep(catalog).deployerLockCheck(Duration.ZERO).build().migrate(Target.parse("pre")))
        .isInstanceOf(TwostepException.class)
        .hasMessageContaining("lost the deployer lock")
        .hasMessageContaining("Nothing more was applied");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1");
    assertThat(tableExists("t")).isFalse();
  }

  @Test
  void aDeployerGivesUpAfterTheLockWaitNamingTheHolder() throws Exception {
    long key = new HistoryTable("public", "twostep_history").lockKey();
    try (Connection holder = db.connect()) {
      int holderPid;
      try (Statement s = holder.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        holderPid = rs.getInt(1);
      }
      try (PreparedStatement s = holder.prepareStatement("SELECT pg_advisory_lock(?)")) {
        s.setLong(1, key);
        s.execute();
      }
      Twostep twostep = twostep(TestCatalog.of(sql("1.0.0", PRE, 1, "create t", "CREATE TABLE t (id int)")))
          .deployerLockWait(Duration.ofMillis(300))
          .build();

      assertThatThrownBy(() -> twostep.migrate(Target.parse("pre")))
          .isInstanceOf(TwostepException.class)
          .hasMessageContaining("another deployer holds the lock on public.twostep_history")
          .hasMessageContaining("pid " + holderPid)
          .hasMessageContaining("backend started")
          .hasMessageContaining("gave up after waiting 300 ms");
      assertThat(tableExists("t")).isFalse();
    }
    // once the holder is gone the lock is free again
    twostep(TestCatalog.of(sql("1.0.0", PRE, 1, "create t", "CREATE TABLE t (id int)"))).build()
        .migrate(Target.parse("pre"));
    assertThat(tableExists("t")).isTrue();
  }

  @Test
  void differentHistoryTablesUseDifferentLocks() {
    assertThat(new HistoryTable("public", "twostep_history").lockKey())
        .isEqualTo(new HistoryTable("public", "twostep_history").lockKey())
        .isNotEqualTo(new HistoryTable("other", "twostep_history").lockKey())
        .isNotEqualTo(new HistoryTable("public", "history").lockKey());
  }
}
