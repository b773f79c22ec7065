package dev.twostep.runtime;

import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LockTimeoutTest extends RuntimeTestSupport {
  private static final TestCatalog ADD_COLUMN = TestCatalog.of(
      sql("1.0.0", PRE, 1, "add priority", "ALTER TABLE jobs ADD COLUMN priority int NOT NULL DEFAULT 0"));

  @Test
  void aLockHeldLongerThanTheLockTimeoutIsWaitedOutByRetries() throws Exception {
    execute("CREATE TABLE jobs (id int)");
    try (Connection blocker = db.connect()) {
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("LOCK TABLE jobs IN ACCESS SHARE MODE");
      }
      List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
      Twostep twostep = twostep(ADD_COLUMN)
          .retryPolicy(new RetryPolicy(10, Duration.ofMillis(50), Duration.ofMillis(100)))
          .listener(new MigrationListener() {
            @Override
            public void runStarting(SchemaState from, SchemaState to, List<dev.twostep.Migration> pending) {
              events.add("run " + from + " -> " + to + ", " + pending.size());
            }

            @Override
            public void migrationStarting(dev.twostep.Migration migration, int attempt, int maxAttempts) {
              events.add("start " + migration.displayName() + " " + attempt + "/" + maxAttempts);
            }

            @Override
            public void retrying(dev.twostep.Migration migration, int failedAttempt, int maxAttempts, String cause,
                Duration backoff, List<BlockingSession> blockers) {
              events.add("retry " + failedAttempt + ": " + cause + ", backoff " + (backoff.toMillis() <= 100));
            }

            @Override
            public void migrationApplied(AppliedMigration applied, Duration elapsed) {
              events.add("applied after " + applied.attempts() + " attempts, waits counted: "
                  + (elapsed.toMillis() >= applied.executionMs()));
            }

            @Override
            public void runFinished(MigrateResult result, Duration elapsed) {
              events.add("finished " + result.after());
            }
          })
          .build();
      CompletableFuture<MigrateResult> run = CompletableFuture.supplyAsync(() -> twostep.migrate(Target.parse("pre")));

      // the blocker lets go once a second attempt waits: the first one timed out and was retried
      // each attempt that waits shows in pg_locks with its own waitstart; two distinct ones mean the
      // first attempt timed out and a retry is waiting (read once per poll: a wait may end between reads)
      java.util.Set<String> seen = new java.util.HashSet<>();
      await("a retry waits for the lock", Duration.ofSeconds(20), () -> {
        seen.addAll(waits());
        return seen.size() >= 2;
      });
      blocker.rollback();
      MigrateResult result = run.get(10, TimeUnit.SECONDS);

      assertThat(result.applied()).hasSize(1);
      assertThat(result.applied().get(0).attempts()).isGreaterThan(1);
      // the listener heard every attempt and retry, in order, then the success with the waits in its time
      int attempts = result.applied().get(0).attempts();
      assertThat(events.get(0)).isEqualTo("run empty -> 1.0.0:pre, 1");
      assertThat(events.get(1)).isEqualTo("start 1.0.0:pre #1 add priority 1/10");
      assertThat(events.get(2)).matches("retry 1: lock_timeout of \\d+ ms reached, backoff true");
      assertThat(events.get(3)).isEqualTo("start 1.0.0:pre #1 add priority 2/10");
      assertThat(events).hasSize(2 * attempts + 2)
          .endsWith("applied after " + attempts + " attempts, waits counted: true", "finished 1.0.0:pre");
      assertThat(column("SELECT column_name FROM information_schema.columns WHERE table_name = 'jobs' ORDER BY 1"))
          .containsExactly("id", "priority");
    }
  }

  private List<String> waits() {
    try {
      return lockWaitsOn("jobs");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aLockNeverReleasedFailsNamingTheBlockingSession() throws Exception {
    execute("CREATE TABLE jobs (id int)");
    try (Connection blocker = db.connect()) {
      blocker.setAutoCommit(false);
      int blockerPid;
      try (Statement s = blocker.createStatement()) {
        s.execute("LOCK TABLE jobs IN SHARE MODE");
        try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
          rs.next();
          blockerPid = rs.getInt(1);
        }
      }
      Twostep twostep = twostep(ADD_COLUMN).build();

      assertThatThrownBy(() -> twostep.migrate(Target.parse("pre")))
          .isInstanceOf(TwostepException.class)
          .hasMessageContaining("1.0.0:pre #1 add priority")
          .hasMessageContaining("SQLSTATE 55P03")
          .hasMessageContaining("Gave up after 3 attempts")
          .hasMessageContaining("lock_timeout 200 ms")
          .hasMessageContaining("pid " + blockerPid)
          .hasMessageContaining("idle in transaction")
          .hasMessageContaining("last query: SELECT pg_backend_pid()")
          .hasMessageContaining("pg_terminate_backend(" + blockerPid + ")")
          .satisfies(e -> assertThat(((TwostepException) e).sqlState()).hasValue("55P03"))
          .satisfies(e -> assertThat(((TwostepException) e).reason()).isEqualTo(TwostepException.Reason.LOCK_BUSY));
      blocker.rollback();
    }
    assertThat(column("SELECT column_name FROM information_schema.columns WHERE table_name = 'jobs'"))
        .containsExactly("id");
    assertThat(column("SELECT count(*) FROM twostep_history")).containsExactly("0");
  }

  @Test
  void theLockTimeoutIsSetForTheMigrationOnly() throws Exception {
    TestCatalog catalog = TestCatalog.of(
        sql("1.0.0", PRE, 1, "record timeout", "CREATE TABLE seen AS SELECT current_setting('lock_timeout') AS v"));
    twostep(catalog).lockTimeout(Duration.ofMillis(345)).build().migrate(Target.parse("pre"));
    assertThat(value("SELECT v FROM seen")).isEqualTo("345ms");
  }

  /** Every kind of migration runs under the configured lock_timeout, whatever the one before it set. */
  @Test
  void everyMigrationGetsTheLockTimeoutWhateverTheOneBeforeSet() throws Exception {
    execute("CREATE TABLE seen (step int, v text)");
    TestCatalog catalog = TestCatalog.of(
        sql("1.0.0", PRE, 1, "record then change", "INSERT INTO seen VALUES (1, current_setting('lock_timeout'))",
            "SET lock_timeout = '9s'"),
        sql("1.0.0", PRE, 2, "record in second statement", "SELECT 1",
            "INSERT INTO seen VALUES (2, current_setting('lock_timeout'))"),
        TestCatalog.java("1.0.0", PRE, 3, "java in transaction", true, () -> context -> record(context, 3)),
        TestCatalog.java("1.0.0", PRE, 4, "java in autocommit", false, () -> context -> record(context, 4)),
        sql("1.0.0", PRE, 5, "autocommit sql", false, List.of(),
            "INSERT INTO seen VALUES (5, current_setting('lock_timeout'))"),
        sql("1.0.0", PRE, 6, "after autocommit", "INSERT INTO seen VALUES (6, current_setting('lock_timeout'))"));

    twostep(catalog).lockTimeout(Duration.ofMillis(345)).build().migrate(Target.parse("pre"));

    assertThat(column("SELECT step || '=' || v FROM seen ORDER BY step"))
        .containsExactly("1=345ms", "2=345ms", "3=345ms", "4=345ms", "5=345ms", "6=345ms");
  }

  private static void record(dev.twostep.MigrationContext context, int step) throws java.sql.SQLException {
    try (Statement s = context.connection().createStatement()) {
      s.execute("INSERT INTO seen VALUES (" + step + ", current_setting('lock_timeout'))");
    }
  }

  @Test
  void aDeadlockVictimIsRolledBackAndRetried() throws Exception {
    execute("CREATE TABLE a (v int)");
    execute("CREATE TABLE b (v int)");
    execute("INSERT INTO a VALUES (0)");
    execute("INSERT INTO b VALUES (0)");
    CountDownLatch migrationHoldsA = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    TestCatalog catalog = TestCatalog.of(TestCatalog.java("1.0.0", PRE, 1, "update both", true, () -> context -> {
      attempts.incrementAndGet();
      try (Statement s = context.connection().createStatement()) {
        s.execute("UPDATE a SET v = v + 10");
        migrationHoldsA.countDown();
        // waits for the blocker's row lock on b while the blocker comes to wait for a: a deadlock that
        // this session, waiting longer, detects after deadlock_timeout and resolves by failing itself
        s.execute("UPDATE b SET v = v + 10");
      }
    }));
    try (Connection blocker = db.connect()) {
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("UPDATE b SET v = v + 1");
      }
      CompletableFuture<Void> blockerRun = CompletableFuture.runAsync(() -> {
        try (Statement s = blocker.createStatement()) {
          migrationHoldsA.await();
          // the migration must be the first to wait (for b), so that it, not the blocker, reaches
          // deadlock_timeout first and is the one PostgreSQL fails
          await("the migration waits for the blocker's row lock", Duration.ofSeconds(10), () -> exists(
              "SELECT 1 FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'"
                  + " AND database IS NULL AND pid IN (SELECT pid FROM pg_stat_activity WHERE datname = current_database())"));
          s.execute("UPDATE a SET v = v + 1");
          blocker.commit();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });

      MigrateResult result = twostep(catalog).lockTimeout(Duration.ofSeconds(5)).build().migrate(Target.parse("pre"));

      blockerRun.get(10, TimeUnit.SECONDS);
      assertThat(result.applied().get(0).attempts()).isEqualTo(2);
      assertThat(attempts).hasValue(2);
    }
    assertThat(value("SELECT v FROM a")).isEqualTo("11");
    assertThat(value("SELECT v FROM b")).isEqualTo("11");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1");
  }
}
