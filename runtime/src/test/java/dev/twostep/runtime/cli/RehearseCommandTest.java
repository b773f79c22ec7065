package dev.twostep.runtime.cli;

import static dev.twostep.Phase.POST;
import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.MigrationCatalog;
import dev.twostep.runtime.RuntimeTestSupport;
import dev.twostep.runtime.TestCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code rehearse}: scratch databases on the server of --url, the verdict as exit code. */
class RehearseCommandTest extends RuntimeTestSupport {
  private int run(MigrationCatalog catalog, StringWriter out, StringWriter err, String... options) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("rehearse", "--url", db.url() + "?user=" + db.user()));
    args.addAll(java.util.List.of(options));
    return new TwostepCommandLine(new PrintWriter(out), new PrintWriter(err), Map.of())
        .run(catalog, args.toArray(String[]::new));
  }

  @Test
  void theRehearsalUsesTheHistoryTableOfTheOptions() {
    // the application owns a table named like Twostep's default history table
    TestCatalog catalog = TestCatalog.of(
        sql("1.0.0", PRE, 1, "create the app's own table", "CREATE TABLE twostep_history (id int)"),
        sql("2.0.0", PRE, 1, "add note", "ALTER TABLE twostep_history ADD COLUMN note text"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    assertThat(run(catalog, out, err, "--table", "deploy_history", "--lock-timeout", "500ms"))
        .as(err.toString() + out).isEqualTo(TwostepCommandLine.OK);
    assertThat(out.toString()).contains("PASSED");
  }

  @Test
  void aSafeCatalogPassesAndLeavesTheTargetDatabaseAlone() throws Exception {
    TestCatalog catalog = TestCatalog.of(
        sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id int, state text)"),
        sql("2.0.0", PRE, 1, "add priority", "ALTER TABLE jobs ADD COLUMN priority int"),
        sql("2.0.0", POST, 1, "drop state", "ALTER TABLE jobs DROP COLUMN state"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    assertThat(run(catalog, out, err)).as(err.toString()).isEqualTo(TwostepCommandLine.OK);

    assertThat(out.toString()).contains("PASSED").contains("2.0.0:pre").contains("Whole catalog in one go: same schema");
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("rehearse changes nothing in the --url database").isZero();
    }
  }

  @Test
  void aPreMigrationThatDropsAColumnInADoBlockFailsWithExitCode3() {
    TestCatalog catalog = TestCatalog.of(
        sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id int, state text)"),
        sql("2.0.0", PRE, 1, "sneaky drop", "DO $$ BEGIN EXECUTE 'ALTER TABLE jobs DROP COLUMN state'; END $$"));
    StringWriter out = new StringWriter();

    assertThat(run(catalog, out, new StringWriter())).isEqualTo(TwostepCommandLine.INCOMPATIBLE);

    assertThat(out.toString()).contains("FAILED").contains("removed column public.jobs.state");
  }
}
