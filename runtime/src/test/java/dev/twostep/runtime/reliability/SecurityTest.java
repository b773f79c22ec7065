package dev.twostep.runtime.reliability;

import static dev.twostep.Phase.PRE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.Waiver;
import dev.twostep.runtime.TestCatalog;
import dev.twostep.runtime.cli.TwostepCommandLine;
import dev.twostep.runtime.internal.HistoryTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Identifiers from options are quoted, values are bound, and credentials never reach the output:
 * neither the command line's messages nor any log line nor a {@code --verbose} stack trace.
 */
class SecurityTest extends ReliabilitySupport {
  private static final String SCHEMA = "ops\"; DROP TABLE victim; --";
  private static final String TABLE = "history'); DROP TABLE victim; --";
  private static final String DESCRIPTION = "it's; DROP TABLE victim; -- \"quoted\"";
  private static final TestCatalog ODD_VALUES = TestCatalog.of(TestCatalog.sql("1.0.0", PRE, 1, DESCRIPTION, true,
      List.of(new Waiver("pre-contract", "reason with 'quotes'; DROP TABLE victim; --")), "CREATE TABLE made (id int)"));

  @Test
  void schemaAndTableNamesWithQuotesAndSemicolonsAreQuotedAndValuesAreBound() throws Exception {
    execute("CREATE TABLE victim (id int)");

    CommandLineRun pre = CommandLineRun.run(ODD_VALUES, "pre", "--url", url(), "--schema", SCHEMA, "--table", TABLE);

    assertThat(pre.exitCode()).as(pre.err()).isZero();
    assertThat(tableExists("victim")).isTrue();
    assertThat(tableExists("made")).isTrue();
    try (Connection c = db.connect();
        PreparedStatement s = c.prepareStatement("SELECT description, waivers FROM "
            + new HistoryTable(SCHEMA, TABLE).qualifiedName())) {
      try (var rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(DESCRIPTION);
        assertThat(rs.getString(2)).isEqualTo("pre-contract: reason with 'quotes'; DROP TABLE victim; --");
        assertThat(rs.next()).isFalse();
      }
    }
    assertThat(column("SELECT n.nspname || '|' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        + "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"))
        .containsExactly(SCHEMA + "|" + TABLE, SCHEMA + "|" + TABLE + "_instances", "public|made", "public|victim");
    CommandLineRun verify = CommandLineRun.run(ODD_VALUES, "verify", "--url", url(), "--schema", SCHEMA, "--table", TABLE);
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    assertThat(CommandLineRun.run(ODD_VALUES, "status", "--url", url(), "--schema", SCHEMA, "--table", TABLE).out())
        .contains("history " + SCHEMA + "." + TABLE).contains(DESCRIPTION);
  }

  @Test
  void credentialsAreMaskedInEveryLogLineAndStackTrace() throws Exception {
    String urlSecret = "url-S3cret-xyz";
    String optionSecret = "option-S3cret-xyz";
    String envSecret = "env-S3cret-xyz";
    String urlWithPassword = url() + "&password=" + urlSecret;
    long key = new HistoryTable("public", "twostep_history").lockKey();
    try (Connection holder = db.connect(); Statement s = holder.createStatement()) {
      // another deployer holds the lock, so the waiting deployer logs where it waits, URL included
      s.execute("SELECT pg_advisory_lock(" + key + ")");
      DeployerProcess waiting = DeployerProcess.start("rejected", Map.of("TWOSTEP_PASSWORD", envSecret),
          List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug"), "pre", "--url", urlWithPassword, "--verbose");
      DeployerProcess optioned = DeployerProcess.start("rejected", Map.of(),
          List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug"),
          "status", "--url", db.url().replace(db.name(), "no_such_db"), "--user", db.user(), "--password", optionSecret,
          "--verbose");
      try {
        await("the deployer waits for the lock", java.time.Duration.ofSeconds(30),
            () -> waiting.err().contains("Waiting for the deployer lock"));
        s.execute("SELECT pg_advisory_unlock(" + key + ")");
        assertThat(waiting.waitFor(60)).isEqualTo(TwostepCommandLine.FAILURE);
        assertThat(optioned.waitFor(60)).isEqualTo(TwostepCommandLine.FAILURE);

        String everything = waiting.out() + waiting.err() + optioned.out() + optioned.err();
        assertThat(waiting.err()).contains("Waiting for the deployer lock on public.twostep_history at ")
            .contains("password=****")
            .contains("\tat ") // --verbose: the stack trace is there, masked
            .contains("SQLSTATE 42704");
        assertThat(optioned.err()).contains("no_such_db").contains("\tat ");
        assertThat(everything).doesNotContain(urlSecret).doesNotContain(optionSecret).doesNotContain(envSecret);
      } finally {
        waiting.kill();
        optioned.kill();
        waiting.cleanUp();
        optioned.cleanUp();
      }
    }
  }
}
