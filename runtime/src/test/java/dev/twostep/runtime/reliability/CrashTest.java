package dev.twostep.runtime.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A deployer killed with SIGKILL in the middle of a migration: PostgreSQL notices the dead client
 * within about a second (Twostep sets {@code client_connection_check_interval}), a transactional
 * migration leaves no trace, a {@code CREATE INDEX CONCURRENTLY} at most an INVALID index, and the
 * next run finishes.
 */
class CrashTest extends ReliabilitySupport {
  /** Far longer than the test waits for the orphaned session to go away. */
  private static final double LONG_SLEEP = 60;
  private static final Duration ORPHAN_GONE_WITHIN = Duration.ofSeconds(8);

  @Test
  void aDeployerKilledInsideATransactionalMigrationLeavesNoTrace() throws Exception {
    setSleep(LONG_SLEEP);
    DeployerProcess deployer = DeployerProcess.start("slow-transaction", "post", "--url", url());
    try {
      // in the middle: the migration created and filled "half" and sleeps before its last statement
      await("the migration sleeps between its statements", Duration.ofSeconds(30),
          () -> exists(activeLike("SELECT pg_sleep(%")));
      deployer.kill();
      assertThat(deployer.isAlive()).isFalse();

      await("PostgreSQL ended the killed deployer's session", ORPHAN_GONE_WITHIN,
          () -> !exists(activeLike("SELECT pg_sleep(%")));
      assertThat(historyKeys()).containsExactly("1.0.0:pre#1");
      assertThat(tableExists("kept")).isTrue();
      assertThat(tableExists("half")).isFalse();
      assertThat(tableExists("half_end")).isFalse();
      // the deployer lock died with the process: the next deployer does not wait for it
      // (this database's only: tests of other classes may hold theirs on a shared server)
      await("the killed deployer's lock session ended", ORPHAN_GONE_WITHIN, () -> !exists(
          "SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
              + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
    } finally {
      deployer.kill();
      deployer.cleanUp();
    }

    setSleep(0);
    DeployerProcess rerun = DeployerProcess.start("slow-transaction", "post", "--url", url());
    try {
      assertThat(rerun.waitFor(60)).as(rerun.err()).isZero();
      assertThat(rerun.err()).contains("applied  1.0.0:pre #2 create half").doesNotContain("create kept");
    } finally {
      rerun.cleanUp();
    }
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:pre#2", "1.0.0:post#1");
    assertThat(column("SELECT id FROM half ORDER BY id")).containsExactly("1", "2");
    assertThat(tableExists("half_end")).isTrue();
  }

  @Test
  void aDeployerKilledDuringCreateIndexConcurrentlyLeavesAtMostAnInvalidIndexTheNextRunDrops() throws Exception {
    setSleep(LONG_SLEEP);
    DeployerProcess deployer = DeployerProcess.start("slow-index", "pre", "--url", url());
    try {
      // in the middle: the index exists in the catalog (phase one committed) and is being built
      await("CREATE INDEX CONCURRENTLY is building the index", Duration.ofSeconds(30),
          () -> exists(activeLike("CREATE INDEX CONCURRENTLY%"))
              && exists("SELECT 1 FROM pg_class WHERE relname = 'items_slow_idx'"));
      deployer.kill();

      await("PostgreSQL ended the killed deployer's session", ORPHAN_GONE_WITHIN,
          () -> !exists(activeLike("CREATE INDEX CONCURRENTLY%")));
      assertThat(historyKeys()).containsExactly("1.0.0:pre#1");
      assertThat(column("SELECT indisvalid::text FROM pg_index WHERE indexrelid = to_regclass('items_slow_idx')"))
          .as("an INVALID index, never a valid one").containsExactly("false");
    } finally {
      deployer.kill();
      deployer.cleanUp();
    }

    setSleep(0);
    DeployerProcess rerun = DeployerProcess.start("slow-index", "pre", "--url", url());
    try {
      assertThat(rerun.waitFor(60)).as(rerun.err()).isZero();
      assertThat(rerun.err()).contains("dropping INVALID index items_slow_idx left by an earlier failed run");
      assertThat(rerun.err()).contains("applied  1.0.0:pre #2 index items");
    } finally {
      rerun.cleanUp();
    }
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:pre#2");
    assertThat(column("SELECT indisvalid::text FROM pg_index WHERE indexrelid = to_regclass('items_slow_idx')"))
        .containsExactly("true");
  }

  /**
   * Issue 13, finding 3: a deployer frozen (SIGSTOP) while its {@code CREATE UNIQUE INDEX
   * CONCURRENTLY} runs keeps its socket open, so PostgreSQL finishes the build: the index is
   * VALID. Killed then, it never records the migration. The re-run finds the index it would
   * build, exactly, and records the migration instead of failing with 42P07 forever.
   */
  @Test
  void aDeployerFrozenDuringCreateIndexConcurrentlyThenKilledLeavesAValidIndexTheNextRunRecords() throws Exception {
    setSleep(2);
    DeployerProcess deployer = DeployerProcess.start("slow-unique-index", "pre", "--url", url());
    try {
      await("CREATE UNIQUE INDEX CONCURRENTLY is building the index", Duration.ofSeconds(30),
          () -> exists(activeLike("CREATE UNIQUE INDEX CONCURRENTLY%"))
              && exists("SELECT 1 FROM pg_class WHERE relname = 'items_slow_key'"));
      deployer.freeze();
      await("the frozen deployer's index build finished", Duration.ofSeconds(60),
          () -> !exists(activeLike("CREATE UNIQUE INDEX CONCURRENTLY%"))
              && exists("SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('items_slow_key') AND indisvalid"));
      deployer.kill();
      assertThat(historyKeys()).containsExactly("1.0.0:pre#1");
    } finally {
      deployer.kill();
      deployer.cleanUp();
    }

    setSleep(0);
    DeployerProcess rerun = DeployerProcess.start("slow-unique-index", "pre", "--url", url());
    try {
      assertThat(rerun.waitFor(60)).as(rerun.err()).isZero();
      assertThat(rerun.err()).contains("index public.items_slow_key already exists, VALID and exactly as this "
          + "statement builds it (CREATE UNIQUE INDEX items_slow_key ON public.items USING btree (slow_id(id)))")
          .contains("recording the migration as applied");
      assertThat(rerun.err()).contains("applied  1.0.0:pre #2 unique items");
    } finally {
      rerun.cleanUp();
    }
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:pre#2");
    assertThat(column("SELECT indisvalid::text FROM pg_index WHERE indexrelid = to_regclass('items_slow_key')"))
        .containsExactly("true");
  }
}
