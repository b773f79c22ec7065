package dev.twostep.runtime.reliability;

import static dev.twostep.Phase.POST;
import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.runtime.Drift;
import dev.twostep.runtime.TestCatalog;
import dev.twostep.runtime.Twostep;
import dev.twostep.runtime.TwostepException;
import dev.twostep.runtime.VerifyReport;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 7: {@code baseline --release R} on a database without R's schema used to
 * record R as applied, {@code verify} then said OK and the next {@code pre} failed. Now the live
 * schema is compared with the catalog applied up to R on a scratch database; {@code --trust-schema}
 * skips that and is recorded. {@code verify} on a database with tables but no history is not OK.
 */
class BaselineProofTest extends ReliabilitySupport {
  private static final TestCatalog CATALOG = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id int PRIMARY KEY, queue text NOT NULL)"),
      sql("1.0.0", POST, 1, "fill jobs", "INSERT INTO jobs VALUES (1, 'q')"),
      sql("2.0.0", PRE, 1, "add priority", "ALTER TABLE jobs ADD COLUMN priority int"));

  @Test
  void baselineOnAnEmptyDatabaseIsRefusedWithTheDifferences() throws Exception {
    CommandLineRun run = CommandLineRun.run(CATALOG, "baseline", "--release", "1.0.0", "--url", url());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains("refusing to baseline public.twostep_history at 1.0.0:post: the database's schema is not the schema "
            + "of 1.0.0:post (the catalog applied up to 1.0.0:post on a scratch database): 1 difference")
        .contains("removed table public.jobs")
        .contains("--trust-schema");
    assertThat(historyKeys()).isEmpty();
    assertThat(CommandLineRun.run(CATALOG, "verify", "--url", url()).exitCode()).isZero();
    assertThat(column("SELECT datname FROM pg_database WHERE datname ~ '^twostep_baseline_[0-9a-f]{10}$'"))
        .as("the scratch database is dropped").isEmpty();
  }

  @Test
  void baselineOfADatabaseWithAnotherColumnTypeNamesTheColumn() throws Exception {
    execute("CREATE TABLE jobs (id bigint PRIMARY KEY, queue text NOT NULL)");
    Twostep twostep = twostep(CATALOG).build();

    assertThatThrownBy(() -> twostep.baseline("1.0.0"))
        .isInstanceOf(TwostepException.class)
        .hasMessageContaining("changed column public.jobs.id: type integer -> bigint");
    assertThat(historyKeys()).isEmpty();
  }

  @Test
  void baselineOfTheReleasesSchemaRecordsItAndTrustSchemaIsRecorded() throws Exception {
    execute("CREATE TABLE jobs (id int PRIMARY KEY, queue text NOT NULL)");
    CommandLineRun run = CommandLineRun.run(CATALOG, "baseline", "--release", "1.0.0", "--url", url());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("Recorded 2 migrations up to 1.0.0:post").contains("(schema proven)");
    assertThat(column("SELECT DISTINCT run_target FROM twostep_history")).containsExactly("baseline 1.0.0:post");
    assertThat(CommandLineRun.run(CATALOG, "pre", "--url", url()).exitCode()).isZero();

    execute("DROP TABLE jobs");
    execute("DROP TABLE twostep_history");
    run = CommandLineRun.run(CATALOG, "baseline", "--release", "1.0.0", "--trust-schema", "--url", url());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("(schema trusted, not proven)");
    assertThat(column("SELECT DISTINCT run_target FROM twostep_history"))
        .containsExactly("baseline 1.0.0:post trust-schema");
  }

  @Test
  void verifyOnADatabaseWithTablesButNoHistoryIsNotOk() throws Exception {
    execute("CREATE TABLE jobs (id int)");
    execute("CREATE SCHEMA billing");
    execute("CREATE TABLE billing.invoices (id int)");

    VerifyReport report = twostep(CATALOG).build().verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.drift()).extracting(Drift::kind).containsExactly(Drift.Kind.NO_HISTORY);

    CommandLineRun run = CommandLineRun.run(CATALOG, "verify", "--url", url());
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains("no history: this database has 2 tables but no Twostep history in "
        + "public.twostep_history: it was built without Twostep. Baseline it");
  }
}
