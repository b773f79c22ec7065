package dev.twostep.runtime.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.runtime.cli.TwostepCommandLine;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Bad input gives one clear line on standard error (more lines only where they help, indented),
 * a documented exit code, no stack trace unless {@code --verbose}, and never the password.
 */
class BadInputTest extends ReliabilitySupport {
  private static final AtomicInteger ROLES = new AtomicInteger();
  private static final String SECRET = "pw-S3cret-never-shown";

  private static void assertOneCleanLine(CommandLineRun run, int exitCode) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
    assertThat(run.err().lines()).as(run.err()).hasSize(1);
    assertClean(run);
  }

  private static void assertClean(CommandLineRun run) {
    assertThat(run.err() + run.out()).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain(SECRET);
  }

  @Test
  void aUrlThatIsNotAPostgresqlJdbcUrlIsAUsageError() {
    CommandLineRun run = CommandLineRun.run(ReliabilityCatalogs.REJECTED,
        "status", "--url", "postgresql://deploy:" + SECRET + "@db.example.com/shop");

    assertThat(run.exitCode()).isEqualTo(TwostepCommandLine.USAGE);
    assertThat(run.err()).isEqualTo("twostep: not a PostgreSQL JDBC URL: 'postgresql://deploy:****@db.example.com/shop';"
        + " write jdbc:postgresql://host:5432/database in --url\nRun 'TestMigrations status --help' for usage.\n");
    assertClean(run);
  }

  @Test
  void aUrlWithoutADatabaseNameIsRefusedBeforeConnecting() {
    String server = db.url().substring(0, db.url().lastIndexOf('/'));
    for (String url : new String[] {server + "/?user=" + db.user() + "&password=" + SECRET,
        "jdbc:postgresql:///?password=" + SECRET, server + "/%20"}) {
      CommandLineRun run = CommandLineRun.run(ReliabilityCatalogs.REJECTED, "pre", "--url", url);

      assertThat(run.exitCode()).as(url + ": " + run.err()).isEqualTo(TwostepCommandLine.USAGE);
      assertThat(run.err()).as(url).startsWith("twostep: the URL ").contains(" names no database, and PostgreSQL would "
          + "then use the database named after the user. Name it: jdbc:postgresql://host:5432/<database>\n");
      assertClean(run);
    }
  }

  @Test
  void optionValuesTheBuilderRefusesAreUsageErrors() {
    CommandLineRun zeroTimeout = CommandLineRun.run(ReliabilityCatalogs.REJECTED, "status", "--url", url(),
        "--lock-timeout", "0");
    assertThat(zeroTimeout.exitCode()).as(zeroTimeout.err()).isEqualTo(TwostepCommandLine.USAGE);
    assertThat(zeroTimeout.err()).startsWith("twostep: lockTimeout must be positive: PT0S\n");

    CommandLineRun emptyTable = CommandLineRun.run(ReliabilityCatalogs.REJECTED, "status", "--url", url(), "--table", "");
    assertThat(emptyTable.exitCode()).as(emptyTable.err()).isEqualTo(TwostepCommandLine.USAGE);
    assertThat(emptyTable.err()).startsWith("twostep: table must be a non-empty name\n");
    assertClean(zeroTimeout);
    assertClean(emptyTable);
  }

  @Test
  void anUnreachableServerIsOneLine() {
    CommandLineRun refused = CommandLineRun.run(ReliabilityCatalogs.REJECTED,
        "pre", "--url", "jdbc:postgresql://127.0.0.1:1/shop?user=deploy&password=" + SECRET);
    assertOneCleanLine(refused, TwostepCommandLine.FAILURE);
    assertThat(refused.err()).startsWith("twostep: error: cannot connect to jdbc:postgresql://127.0.0.1:1/shop?user=deploy"
        + "&password=****: Connection to 127.0.0.1:1 refused.").endsWith("(SQLSTATE 08001)\n");

    CommandLineRun unknownHost = CommandLineRun.run(ReliabilityCatalogs.REJECTED,
        "pre", "--url", "jdbc:postgresql://no-such-host.invalid/shop", "--password", SECRET);
    assertOneCleanLine(unknownHost, TwostepCommandLine.FAILURE);
    // the driver alone says only "The connection attempt failed."; the cause names the host
    assertThat(unknownHost.err()).startsWith("twostep: error: cannot connect to jdbc:postgresql://no-such-host.invalid/shop: ")
        .contains("(unknown host no-such-host.invalid)");
  }

  @Test
  void aRoleThatMayNotLogInOrDoesNotExistIsOneLineWithoutThePassword() throws Exception {
    String role = "twostep_nologin_" + ProcessHandle.current().pid() + "_" + ROLES.incrementAndGet();
    execute("CREATE ROLE " + role + " NOLOGIN PASSWORD '" + SECRET + "'");
    try {
      CommandLineRun noLogin = CommandLineRun.run(ReliabilityCatalogs.REJECTED,
          "status", "--url", db.url(), "--user", role, "--password", SECRET);
      assertOneCleanLine(noLogin, TwostepCommandLine.FAILURE);
      assertThat(noLogin.err()).isEqualTo("twostep: error: cannot connect to " + db.url() + ": role \"" + role
          + "\" is not permitted to log in (SQLSTATE 28000)\n");

      CommandLineRun noRole = CommandLineRun.run(ReliabilityCatalogs.REJECTED,
          Map.of("TWOSTEP_PASSWORD", SECRET), "status", "--url", db.url() + "?user=" + role + "_missing");
      assertOneCleanLine(noRole, TwostepCommandLine.FAILURE);
      assertThat(noRole.err()).contains("role \"" + role + "_missing\" does not exist (SQLSTATE 28000)");
    } finally {
      execute("DROP ROLE " + role);
    }
  }

  @Test
  void aUserWithoutPrivilegesIsToldWhatIsMissing() throws Exception {
    String role = "twostep_limited_" + ProcessHandle.current().pid() + "_" + ROLES.incrementAndGet();
    execute("CREATE ROLE " + role + " LOGIN");
    try {
      execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
      CommandLineRun noCreate = CommandLineRun.run(ReliabilityCatalogs.REJECTED, "pre", "--url", db.url(), "--user", role);
      assertOneCleanLine(noCreate, TwostepCommandLine.FAILURE);
      assertThat(noCreate.err()).startsWith("twostep: error: database error on history table public.twostep_history at "
          + db.url() + ": SQLSTATE 42501: permission denied for schema public. The database user lacks a privilege "
          + "Twostep needs: to create and write the history table it needs CREATE on its schema");
      assertThat(tableExists("twostep_history")).isFalse();

      // with the history table in place, a migration the user may not run names the migration and the privilege
      execute("GRANT CREATE ON SCHEMA public TO " + role);
      execute("CREATE TABLE jobs (id int)");
      execute("ALTER TABLE jobs OWNER TO postgres");
      CommandLineRun notOwner = CommandLineRun.run(ReliabilityCatalogs.REJECTED,
          "migrate", "--to", "1.0.0:pre", "--url", db.url(), "--user", role);
      assertThat(notOwner.exitCode()).isEqualTo(TwostepCommandLine.FAILURE);
      assertThat(notOwner.error()).startsWith("twostep: error: migration 1.0.0:pre #1 create jobs (release 1.0.0, phase pre,"
          + " step 1) failed at statement 1 of 1 (line 1 of its SQL): SQLSTATE 42P07");
      assertClean(notOwner);
    } finally {
      execute("DROP OWNED BY " + role);
      execute("DROP ROLE " + role);
    }
  }

  @Test
  void aHistoryTableWrittenByANewerTwostepIsRefused() throws Exception {
    assertThat(CommandLineRun.run(ReliabilityCatalogs.SLOW_TRANSACTION, "migrate", "--to", "1.0.0:pre", "--url", url())
        .exitCode()).isZero();
    execute("COMMENT ON TABLE twostep_history IS 'twostep history v3'");

    for (String command : new String[] {"post", "status", "verify"}) {
      CommandLineRun run = CommandLineRun.run(ReliabilityCatalogs.SLOW_TRANSACTION, command, "--url", url());
      assertOneCleanLine(run, TwostepCommandLine.FAILURE);
      assertThat(run.err()).isEqualTo("twostep: error: history table public.twostep_history has format v3 but this Twostep "
          + "reads formats v1 to v2: it was written by a newer Twostep. Upgrade twostep-runtime.\n");
    }
    assertThat(value("SELECT count(*) FROM half")).as("post did not run").isEqualTo("1");
  }

  @Test
  void aHistoryRowUnknownToTheCatalogIsDriftAndStopsMigrate() throws Exception {
    assertThat(CommandLineRun.run(ReliabilityCatalogs.SLOW_TRANSACTION, "migrate", "--to", "1.0.0:pre#1".replace("#1", ""),
        "--url", url()).exitCode()).isZero();
    execute("INSERT INTO twostep_history (release, phase, step, description, checksum, kind, execution_ms) "
        + "VALUES ('1.0.0', 'pre', 3, 'removed later', 'abc', 'sql', 1)");

    CommandLineRun verify = CommandLineRun.run(ReliabilityCatalogs.SLOW_TRANSACTION, "verify", "--url", url());
    assertThat(verify.exitCode()).isEqualTo(TwostepCommandLine.INCOMPATIBLE);
    assertThat(verify.out()).startsWith("Target: ").endsWith("\nunknown migration: 1.0.0:pre #3 removed later is in the history but not in catalog "
        + "Test: a migration of a shipped release was removed or renumbered. Restore it in the catalog.\n"
        + "Drift: 1 problem, 2 applied migrations match.\n");

    execute("DELETE FROM twostep_history WHERE step = 3");
    execute("INSERT INTO twostep_history (release, phase, step, description, checksum, kind, execution_ms) "
        + "VALUES ('3.0.0', 'pre', 1, 'from the future', 'def', 'sql', 1)");
    CommandLineRun post = CommandLineRun.run(ReliabilityCatalogs.SLOW_TRANSACTION, "post", "--url", url());
    assertOneCleanLine(post, TwostepCommandLine.FAILURE);
    assertThat(post.err()).isEqualTo("twostep: error: refusing to migrate to post: 1.0.0:post #1 fill half is not applied, "
        + "but the history already has the later 3.0.0:pre #1 from the future, which catalog Test does not know "
        + "(a deployment of a newer release applied it; deploy with that release's catalog). Migrations must be "
        + "applied in order.\n");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:pre#2", "3.0.0:pre#1");
  }

  @Test
  void sqlThatPostgresqlRejectsNamesMigrationLineAndSqlstateInItsOwnJvm() throws Exception {
    DeployerProcess deployer = DeployerProcess.start("rejected", "pre", "--url", url());
    DeployerProcess verbose = DeployerProcess.start("rejected", "pre", "--url", url(), "--verbose");
    try {
      assertThat(deployer.waitFor(60)).isEqualTo(TwostepCommandLine.FAILURE);
      assertThat(verbose.waitFor(60)).isEqualTo(TwostepCommandLine.FAILURE);
      // the whole standard error of the process, log lines included
      String err = deployer.err();
      assertThat(err.lines().filter(l -> l.startsWith("twostep: error: ")))
          .containsExactly("twostep: error: migration 1.0.0:pre #2 bad column (release 1.0.0, phase pre, step 2) failed at "
              + "statement 3 of 3 (line 3 of its SQL): SQLSTATE 42704: type \"integr\" does not exist");
      assertThat(err).contains("  statement: ALTER TABLE jobs ADD COLUMN priority integr")
          .contains("The migration was rolled back: none of its changes and no history row were kept.")
          .doesNotContain("\tat ").doesNotContain("Exception");
      assertThat(verbose.err()).contains("dev.twostep.runtime.TwostepException").contains("\tat ")
          .contains("Caused by: org.postgresql.util.PSQLException");
    } finally {
      deployer.cleanUp();
      verbose.cleanUp();
    }
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1");
    assertThat(column("SELECT column_name FROM information_schema.columns WHERE table_name = 'jobs'")).containsExactly("id");
  }
}
