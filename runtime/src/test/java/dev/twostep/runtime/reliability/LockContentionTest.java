package dev.twostep.runtime.reliability;

import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.runtime.MigrateResult;
import dev.twostep.runtime.RetryPolicy;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.TestCatalog;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * An application transaction holds a lock on the table a migration alters for several times the
 * lock timeout. The migration waits at most lock_timeout per attempt, backs off, retries, and
 * succeeds once the lock is released; meanwhile a probing client keeps querying the table and is
 * never blocked for much longer than lock_timeout (without the timeout, its queries would queue
 * behind the waiting ALTER TABLE until the application transaction ended).
 */
class LockContentionTest extends ReliabilitySupport {
  private static final Duration LOCK_TIMEOUT = Duration.ofMillis(300);
  private static final Duration HELD_FOR = Duration.ofMillis(2_000);
  /** Scheduling, a round trip and the probe's own query on a loaded 2-core machine. */
  private static final Duration SLACK = Duration.ofMillis(250);

  private static final TestCatalog ALTER = TestCatalog.of(
      sql("1.0.0", PRE, 1, "add priority", "ALTER TABLE jobs ADD COLUMN priority int NOT NULL DEFAULT 0"));

  @Test
  void theMigrationRetriesUntilTheLockIsFreeAndApplicationQueriesWaitAtMostTheLockTimeout() throws Exception {
    execute("CREATE TABLE jobs (id int)");
    execute("INSERT INTO jobs SELECT generate_series(1, 100)");
    AtomicBoolean probing = new AtomicBoolean(true);
    AtomicLong worstProbeNanos = new AtomicLong();
    AtomicInteger probes = new AtomicInteger();
    try (Connection application = db.connect(); Connection probe = db.connect()) {
      application.setAutoCommit(false);
      try (Statement s = application.createStatement()) {
        s.execute("SELECT count(*) FROM jobs"); // an open transaction holding ACCESS SHARE on jobs
      }
      CompletableFuture<Void> prober = CompletableFuture.runAsync(() -> {
        try (Statement s = probe.createStatement()) {
          while (probing.get()) {
            long start = System.nanoTime();
            s.executeQuery("SELECT count(*) FROM jobs").close();
            worstProbeNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
            probes.incrementAndGet();
            Thread.sleep(10);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
        try {
          Thread.sleep(HELD_FOR.toMillis());
          application.commit();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });

      long start = System.nanoTime();
      MigrateResult result = twostep(ALTER)
          .lockTimeout(LOCK_TIMEOUT)
          .retryPolicy(new RetryPolicy(20, Duration.ofMillis(100), Duration.ofMillis(400)))
          .build()
          .migrate(Target.parse("pre"));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      release.get(10, TimeUnit.SECONDS);
      probing.set(false);
      prober.get(10, TimeUnit.SECONDS);
      assertThat(result.applied()).singleElement().satisfies(a -> assertThat(a.attempts()).isGreaterThan(2));
      assertThat(took).isGreaterThanOrEqualTo(HELD_FOR.minusMillis(100));
      assertThat(probes.get()).as("probes during the contention").isGreaterThan(10);
      assertThat(Duration.ofNanos(worstProbeNanos.get())).as("longest application query")
          .isLessThan(LOCK_TIMEOUT.plus(SLACK));
    }
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1");
    assertThat(column("SELECT column_name FROM information_schema.columns WHERE table_name = 'jobs' ORDER BY 1"))
        .containsExactly("id", "priority");
  }
}
