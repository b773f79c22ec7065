package dev.twostep.runtime.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The migrating session is terminated from another connection ({@code pg_terminate_backend}, what
 * a server shutdown or a failover does to it): one clear error, nothing half-applied, the re-run
 * finishes. {@link ServerRestartTest} stops and starts a real server.
 */
class ConnectionLossTest extends ReliabilitySupport {
  @Test
  void aTerminatedSessionFailsClearlyAndTheRerunFinishes() throws Exception {
    setSleep(60);
    CompletableFuture<CommandLineRun> run = CompletableFuture.supplyAsync(
        () -> CommandLineRun.run(ReliabilityCatalogs.SLOW_TRANSACTION, "post", "--url", url()));
    await("the migration sleeps between its statements", Duration.ofSeconds(30),
        () -> exists(activeLike("SELECT pg_sleep(%")));
    execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
        + "AND query LIKE 'SELECT pg_sleep(%' AND pid <> pg_backend_pid()");

    CommandLineRun failed = run.get(30, TimeUnit.SECONDS);

    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.error()).startsWith("twostep: error: migration 1.0.0:pre #2 create half (release 1.0.0, phase pre, "
        + "step 2) failed at statement 3 of 4 (line 3 of its SQL): SQLSTATE 57P01: terminating connection due to "
        + "administrator command\n");
    assertThat(failed.err())
        .contains("The connection to the database was lost")
        .contains("The migration was rolled back: none of its changes and no history row were kept. Run again once "
            + "the database is reachable.")
        .doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1");
    assertThat(tableExists("half")).isFalse();

    setSleep(0);
    CommandLineRun rerun = CommandLineRun.run(ReliabilityCatalogs.SLOW_TRANSACTION, "post", "--url", url());
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:pre#2", "1.0.0:post#1");
    assertThat(column("SELECT id FROM half ORDER BY id")).containsExactly("1", "2");
  }

  @Test
  void aTerminatedCreateIndexConcurrentlyIsCleanedUpByTheRerun() throws Exception {
    setSleep(60);
    CompletableFuture<CommandLineRun> run = CompletableFuture.supplyAsync(
        () -> CommandLineRun.run(ReliabilityCatalogs.SLOW_INDEX, "pre", "--url", url()));
    await("CREATE INDEX CONCURRENTLY is building the index", Duration.ofSeconds(30),
        () -> exists(activeLike("CREATE INDEX CONCURRENTLY%"))
            && exists("SELECT 1 FROM pg_class WHERE relname = 'items_slow_idx'"));
    execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
        + "AND query LIKE 'CREATE INDEX CONCURRENTLY%' AND pid <> pg_backend_pid()");

    CommandLineRun failed = run.get(30, TimeUnit.SECONDS);

    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.error()).startsWith("twostep: error: migration 1.0.0:pre #2 index items (release 1.0.0, phase pre, "
        + "step 2) failed at statement 1 of 1 (line 1 of its SQL): SQLSTATE 57P01: terminating connection due to "
        + "administrator command\n");
    assertThat(failed.err()).contains("an INVALID index a CREATE INDEX CONCURRENTLY left is dropped by the next run")
        .doesNotContain("\tat ");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1");
    assertThat(column("SELECT indisvalid::text FROM pg_index WHERE indexrelid = to_regclass('items_slow_idx')"))
        .containsExactly("false");

    setSleep(0);
    CommandLineRun rerun = CommandLineRun.run(ReliabilityCatalogs.SLOW_INDEX, "pre", "--url", url());
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:pre#2");
    assertThat(column("SELECT indisvalid::text FROM pg_index WHERE indexrelid = to_regclass('items_slow_idx')"))
        .containsExactly("true");
  }
}
