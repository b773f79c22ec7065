package dev.twostep.runtime.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 3: an index of the name a {@code CREATE INDEX CONCURRENTLY} builds already
 * exists. Exactly the one it builds: the migration is recorded. Another one: the run stops and
 * says what differs and how to fix it, never to edit the migration.
 */
class ExistingIndexTest extends ReliabilitySupport {
  @Test
  void anExistingIndexThatDiffersIsNamedWithBothDefinitions() throws Exception {
    assertThat(CommandLineRun.run(ReliabilityCatalogs.CONCURRENT, "migrate", "--to", "1.0.0", "--url", url()).exitCode())
        .isZero();
    execute("CREATE UNIQUE INDEX jobs_queue_idx ON jobs (queue, id)");

    CommandLineRun run = CommandLineRun.run(ReliabilityCatalogs.CONCURRENT, "migrate", "--to", "2.0.0:pre", "--url", url());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains("migration 2.0.0:pre #2 index queue")
        .contains("SQLSTATE 42P07: index public.jobs_queue_idx already exists but is not the index this statement "
            + "builds: the existing one is [CREATE UNIQUE INDEX jobs_queue_idx ON public.jobs USING btree (queue, id)], "
            + "the statement builds [CREATE INDEX jobs_queue_idx ON public.jobs USING btree (queue)]")
        .contains("DROP INDEX CONCURRENTLY public.jobs_queue_idx;")
        .doesNotContain("IF NOT EXISTS");
    assertThat(historyKeys()).doesNotContain("2.0.0:pre#2");

    execute("DROP INDEX jobs_queue_idx");
    run = CommandLineRun.run(ReliabilityCatalogs.CONCURRENT, "migrate", "--to", "2.0.0:pre", "--url", url());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(historyKeys()).contains("2.0.0:pre#2");
  }

  @Test
  void anExistingIndexExactlyAsTheStatementBuildsItIsRecorded() throws Exception {
    assertThat(CommandLineRun.run(ReliabilityCatalogs.CONCURRENT, "migrate", "--to", "1.0.0", "--url", url()).exitCode())
        .isZero();
    execute("CREATE INDEX jobs_queue_idx ON public.jobs USING btree (\"queue\")");

    CommandLineRun run = CommandLineRun.run(ReliabilityCatalogs.CONCURRENT, "migrate", "--to", "2.0.0:pre", "--url", url());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("applied  2.0.0:pre #2 index queue");
    assertThat(historyKeys()).contains("2.0.0:pre#1", "2.0.0:pre#2");
    assertThat(column("SELECT count(*) FROM pg_indexes WHERE tablename = 'jobs'")).containsExactly("2");
  }
}
