package dev.twostep.runtime.reliability;

import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.runtime.MigrateResult;
import dev.twostep.runtime.RetryPolicy;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.TestCatalog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An application transaction holds a lock on the table a migration alters. The migration waits at
 * most lock_timeout per attempt, backs off, retries, and succeeds once the lock is released.
 * Meanwhile an application query that queued behind the waiting ALTER TABLE is let through when
 * the attempt times out, while the application transaction still holds its lock: without the
 * timeout it would wait until that transaction ended. Proven on observable state (who blocks whom,
 * in {@code pg_locks}); how long clients wait is measured by the traffic benchmark
 * ({@code bench/run.sh traffic}), not asserted here.
 */
class LockContentionTest extends ReliabilitySupport {
  private static final TestCatalog ALTER = TestCatalog.of(
      sql("1.0.0", PRE, 1, "add priority", "ALTER TABLE jobs ADD COLUMN priority int NOT NULL DEFAULT 0"));

  @Test
  void anApplicationQueryQueuedBehindTheMigrationIsLetThroughBeforeTheLockHolderEnds() throws Exception {
    execute("CREATE TABLE jobs (id int)");
    execute("INSERT INTO jobs SELECT generate_series(1, 100)");
    try (Connection application = db.connect(); Connection probe = db.connect()) {
      application.setAutoCommit(false);
      try (Statement s = application.createStatement()) {
        s.execute("SELECT count(*) FROM jobs"); // an open transaction holding ACCESS SHARE on jobs
      }
      CompletableFuture<MigrateResult> run = CompletableFuture.supplyAsync(() -> twostep(ALTER)
          .lockTimeout(Duration.ofMillis(300))
          .retryPolicy(new RetryPolicy(100, Duration.ofMillis(50), Duration.ofMillis(100)))
          .build()
          .migrate(Target.parse("pre")));
      await("the migration waits for its lock", Duration.ofSeconds(10), () -> !waitsOnJobs().isEmpty());

      // the probe's read queues behind the waiting ALTER TABLE (lock requests are granted in order)
      // and must come back although the application transaction still holds its lock
      CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> {
        try (Statement s = probe.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM jobs")) {
          rs.next();
          return rs.getLong(1);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      await("the application's read completes", Duration.ofSeconds(30), read::isDone);
      assertThat(read.get()).isEqualTo(100);
      assertThat(run).as("the migration is still retrying: the application transaction holds its lock").isNotDone();
      assertThat(column("SELECT state FROM pg_stat_activity WHERE pid = " + pid(application)))
          .containsExactly("idle in transaction");

      // many attempts waited and timed out; once the lock is free the next one succeeds
      Set<String> attempts = new HashSet<>(waitsOnJobs());
      await("three attempts waited", Duration.ofSeconds(30), () -> {
        attempts.addAll(waitsOnJobs());
        return attempts.size() >= 3;
      });
      application.commit();
      MigrateResult result = run.get(30, TimeUnit.SECONDS);
      assertThat(result.applied()).singleElement().satisfies(a -> assertThat(a.attempts()).isGreaterThanOrEqualTo(3));
    }
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1");
    assertThat(column("SELECT column_name FROM information_schema.columns WHERE table_name = 'jobs' ORDER BY 1"))
        .containsExactly("id", "priority");
  }

  private List<String> waitsOnJobs() {
    try {
      return lockWaitsOn("jobs");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int pid(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
