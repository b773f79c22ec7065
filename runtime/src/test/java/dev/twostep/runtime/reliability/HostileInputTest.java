package dev.twostep.runtime.reliability;

import static dev.twostep.Phase.POST;
import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.runtime.TestCatalog;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, the low findings: hostile descriptions, out-of-range options, unknown targets, a
 * deleted history row and a history of another catalog each get an exact, truthful message.
 */
class HostileInputTest extends ReliabilitySupport {
  /** A newline that forges an output line, an OSC title sequence and an ANSI colour. */
  private static final String HOSTILE = "evil\nOK: forged line \u001b]0;pwned\u0007\u001b[31mred\u009b";
  private static final String ESCAPED = "evil\\nOK: forged line \\u001b]0;pwned\\u0007\\u001b[31mred\\u009b";

  private static final TestCatalog HOSTILE_CATALOG = TestCatalog.of(
      sql("1.0.0", PRE, 1, HOSTILE, "CREATE TABLE jobs (id int)"),
      sql("1.0.0", POST, 1, HOSTILE, "INSERT INTO jobs VALUES (1)"),
      sql("2.0.0", PRE, 1, HOSTILE, "ALTER TABLE jobs ADD COLUMN nope integr"));

  private static final TestCatalog CATALOG = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id int)"),
      sql("1.0.0", PRE, 2, "create queues", "CREATE TABLE queues (id int)"),
      sql("1.0.0", POST, 1, "fill jobs", "INSERT INTO jobs VALUES (1)"));

  private static final TestCatalog OTHER_CATALOG = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create users", "CREATE TABLE users (id int)"),
      sql("1.0.0", PRE, 2, "create roles", "CREATE TABLE roles (id int)"),
      sql("1.0.0", POST, 1, "fill users", "INSERT INTO users VALUES (1)"));

  @Test
  void descriptionsAreEscapedInStatusPlanPostAndErrors() throws Exception {
    CommandLineRun plan = CommandLineRun.run(HOSTILE_CATALOG, "plan", "--url", url());
    CommandLineRun post = CommandLineRun.run(HOSTILE_CATALOG, "migrate", "--to", "1.0.0", "--url", url());
    CommandLineRun status = CommandLineRun.run(HOSTILE_CATALOG, "status", "--url", url());
    CommandLineRun failed = CommandLineRun.run(HOSTILE_CATALOG, "pre", "--url", url());

    assertThat(post.exitCode()).as(post.err()).isZero();
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(plan.out()).contains("1.0.0:pre #1 " + ESCAPED);
    assertThat(post.err()).contains("applied  1.0.0:post #1 " + ESCAPED);
    assertThat(status.out()).contains(ESCAPED);
    assertThat(failed.err()).contains("migration 2.0.0:pre #1 " + ESCAPED + " (release 2.0.0");
    for (CommandLineRun run : new CommandLineRun[] {plan, post, status, failed}) {
      String all = run.out() + run.err();
      assertThat(all).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u009b")
          .doesNotContain("\nOK: forged line");
    }
  }

  @Test
  void anOversizedLockTimeoutIsAUsageErrorNamingTheMaximum() throws Exception {
    for (String huge : new String[] {"P100000000D", "100000000s", "2147483648ms"}) {
      CommandLineRun run = CommandLineRun.run(CATALOG, "pre", "--lock-timeout", huge, "--url", url());
      assertThat(run.exitCode()).as(huge).isEqualTo(2);
      assertThat(run.err()).contains("lockTimeout must be at most 2147483647 ms");
    }
    assertThat(tableExists("twostep_history")).isFalse();
    assertThat(CommandLineRun.run(CATALOG, "pre", "--lock-timeout", "2147483647ms", "--url", url()).exitCode())
        .as("PostgreSQL's maximum itself works").isZero();
  }

  @Test
  void aTargetReleaseTheCatalogDoesNotHaveIsAUsageError() throws Exception {
    for (String[] args : new String[][] {
        {"migrate", "--to", "9.9.9"}, {"plan", "--to", "9.9.9:pre"}, {"baseline", "--release", "9.9.9"}}) {
      String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--url", url()))
          .toArray(String[]::new);
      CommandLineRun run = CommandLineRun.run(CATALOG, all);
      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.err()).contains("release 9.9.9 has no migrations in catalog Test (newest release: 1.0.0)");
    }
    assertThat(tableExists("twostep_history")).isFalse();
  }

  @Test
  void aDeletedHistoryRowIsCalledMissing() throws Exception {
    assertThat(CommandLineRun.run(CATALOG, "post", "--url", url()).exitCode()).isZero();
    execute("DELETE FROM twostep_history WHERE release = '1.0.0' AND phase = 'pre' AND step = 2");

    CommandLineRun verify = CommandLineRun.run(CATALOG, "verify", "--url", url());
    assertThat(verify.exitCode()).isEqualTo(3);
    assertThat(verify.out()).contains("the history row of 1.0.0:pre #2 create queues is missing, although the later "
        + "1.0.0:post #1 fill jobs has one");
  }

  @Test
  void theHistoryOfAnotherCatalogIsNamedAsSuch() throws Exception {
    assertThat(CommandLineRun.run(OTHER_CATALOG, "post", "--url", url()).exitCode()).isZero();

    CommandLineRun verify = CommandLineRun.run(CATALOG, "verify", "--url", url());
    assertThat(verify.exitCode()).isEqualTo(3);
    assertThat(verify.out()).contains("the history belongs to another catalog: 0 of 3 history rows match catalog Test")
        .contains("--table").doesNotContain("edited after");
    CommandLineRun pre = CommandLineRun.run(CATALOG, "pre", "--url", url());
    assertThat(pre.exitCode()).isEqualTo(1);
    assertThat(pre.err()).contains("the history belongs to another catalog").doesNotContain("edited after");
    assertThat(CommandLineRun.run(CATALOG, "pre", "--table", "test_history", "--url", url()).exitCode()).isZero();
  }

  @Test
  void anUnknownIntermediateReleaseGetsAdviceThatIsNotCircular() throws Exception {
    assertThat(CommandLineRun.run(ReliabilityCatalogs.BLUE_GREEN, "migrate", "--to", "2.0.0", "--url", url()).exitCode())
        .isZero();
    execute("INSERT INTO twostep_history (release, phase, step, description, checksum, kind, execution_ms)"
        + " VALUES ('2.5.0', 'pre', 1, 'from another branch', 'abc', 'sql', 0)");
    CommandLineRun check = CommandLineRun.run(ReliabilityCatalogs.BLUE_GREEN, "check", "--release", "3.0.0", "--url", url());
    assertThat(check.out()).contains("Apply `migrate --to 3.0.0:pre` first.");
    CommandLineRun migrate = CommandLineRun.run(ReliabilityCatalogs.BLUE_GREEN, "migrate", "--to", "3.0.0:pre", "--url", url());
    assertThat(migrate.err()).contains("applied  3.0.0:pre #1");

    check = CommandLineRun.run(ReliabilityCatalogs.BLUE_GREEN, "check", "--release", "3.0.0", "--url", url());
    assertThat(check.exitCode()).isEqualTo(3);
    assertThat(check.out())
        .contains("the migrations up to 3.0.0:pre are applied, but the schema state stays at 2.5.0:pre because the "
            + "history has migrations of release 2.5.0 that this catalog does not have")
        .doesNotContain("migrate --to 3.0.0:pre");
    assertThat(CommandLineRun.run(ReliabilityCatalogs.BLUE_GREEN, "migrate", "--to", "3.0.0:pre", "--url", url()).out())
        .as("the old advice led here").contains("Nothing to apply");
  }
}
