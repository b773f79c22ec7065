package dev.twostep.runtime.cli;

import static dev.twostep.Phase.POST;
import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.MigrationCatalog;
import dev.twostep.runtime.RuntimeTestSupport;
import dev.twostep.runtime.TestCatalog;
import dev.twostep.runtime.internal.JdbcTarget;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwostepCommandLineTest extends RuntimeTestSupport {
  private static final TestCatalog CATALOG = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id int)"),
      sql("1.0.0", POST, 1, "fill jobs", "INSERT INTO jobs VALUES (1)"),
      sql("2.0.0", PRE, 1, "add priority", "ALTER TABLE jobs ADD COLUMN priority int"),
      sql("2.0.0", POST, 1, "priority not null", "UPDATE jobs SET priority = 0",
          "ALTER TABLE jobs ALTER COLUMN priority SET NOT NULL"));

  /** One run of the command line: exit code and what it printed. */
  private record Run(int exitCode, String out, String err) {}

  private Run run(MigrationCatalog catalog, Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new TwostepCommandLine(new PrintWriter(out), new PrintWriter(err), env).run(catalog, args);
    return new Run(code, out.toString(), err.toString());
  }

  private Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--url");
    all.add(db.url() + "?user=" + db.user());
    all.add("--lock-timeout");
    all.add("200ms");
    return run(CATALOG, Map.of(), all.toArray(String[]::new));
  }

  @Test
  void statusPrintsAnAlignedTable() {
    run("migrate", "--to", "1.0.0:pre");

    Run status = run("status");

    assertThat(status.exitCode()).isEqualTo(TwostepCommandLine.OK);
    assertThat(status.err()).isEmpty();
    List<String> lines = status.out().lines().skip(1).toList();
    assertThat(status.out().lines().findFirst().orElseThrow()).isEqualTo(targetLine());
    assertThat(lines.get(0)).isEqualTo("Catalog Test (newest release 2.0.0), history public.twostep_history");
    assertThat(lines.get(1)).isEqualTo("Schema state: 1.0.0:pre");
    assertThat(lines.get(3)).matches("RELEASE  PHASE  STEP  STATE +APPLIED AT +MS  DESCRIPTION");
    assertThat(lines.get(4)).matches("1\\.0\\.0    pre       1  applied  +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ +\\d+  create jobs");
    assertThat(lines.get(5)).matches("1\\.0\\.0    post      1  pending +fill jobs");
    int descriptionColumn = lines.get(3).indexOf("DESCRIPTION");
    assertThat(lines.subList(4, 8)).allSatisfy(l -> assertThat(l.charAt(descriptionColumn - 1)).isEqualTo(' '));
    assertThat(lines.get(5).indexOf("fill jobs")).isEqualTo(descriptionColumn);
    assertThat(status.out()).contains("1 applied, 3 pending, 0 drift");
  }

  @Test
  void statusAsJson() {
    run("pre");

    Run status = run("status", "--json");

    assertThat(status.exitCode()).isZero();
    assertThat(status.out().strip())
        .startsWith("{\"target\":{\"host\":\"" + host() + "\",\"port\":\"" + port() + "\",\"database\":\"" + db.name()
            + "\",\"historyTable\":\"public.twostep_history\"},\"catalog\":\"Test\",\"newestRelease\":\"2.0.0\",\"historyTable\":\"public.twostep_history\","
            + "\"state\":\"2.0.0:pre\",\"migrations\":[{\"release\":\"1.0.0\",\"phase\":\"pre\",\"step\":1,"
            + "\"description\":\"create jobs\",\"state\":\"applied\",\"kind\":\"sql\"")
        .contains("{\"release\":\"2.0.0\",\"phase\":\"post\",\"step\":1,\"description\":\"priority not null\","
            + "\"state\":\"pending\",\"kind\":\"sql\",\"checksum\":\"" + CATALOG.migrations().get(3).checksum()
            + "\",\"appliedChecksum\":null,\"appliedAt\":null}")
        .endsWith("],\"pending\":1,\"drift\":0,\"instances\":[]}");
  }

  @Test
  void preAndPostNameTheTargetAndReportEachMigrationAsItStartsAndEnds() throws Exception {
    Run pre = run("pre");
    assertThat(pre.exitCode()).isZero();
    assertThat(pre.out().lines().toList()).satisfiesExactly(
        l -> assertThat(l).isEqualTo(targetLine()),
        l -> assertThat(l).matches("Schema state: empty -> 2\\.0\\.0:pre \\(3 migrations in \\d+ ms\\)"));
    String time = " *\\d+\\.\\d{3}s  ";
    assertThat(pre.err().lines().toList()).satisfiesExactly(
        l -> assertThat(l).matches(time + "migrate  empty -> 2\\.0\\.0:pre: 3 migrations"),
        l -> assertThat(l).matches(time + "start    1\\.0\\.0:pre #1 create jobs"),
        l -> assertThat(l).matches(time + "applied  1\\.0\\.0:pre #1 create jobs  \\d+ ms"),
        l -> assertThat(l).matches(time + "start    1\\.0\\.0:post #1 fill jobs"),
        l -> assertThat(l).matches(time + "applied  1\\.0\\.0:post #1 fill jobs  \\d+ ms"),
        l -> assertThat(l).matches(time + "start    2\\.0\\.0:pre #1 add priority"),
        l -> assertThat(l).matches(time + "applied  2\\.0\\.0:pre #1 add priority  \\d+ ms"),
        l -> assertThat(l).matches(time + "done     empty -> 2\\.0\\.0:pre: 3 migrations in \\d+ ms"));
    assertThat(pre.err().lines().map(l -> l.indexOf("s  ")).distinct()).as("aligned").hasSize(1);

    Run post = run("post");
    assertThat(post.exitCode()).isZero();
    assertThat(post.err()).contains("applied  2.0.0:post #1 priority not null");
    assertThat(post.out()).contains("2.0.0:pre -> 2.0.0:post");
    Run nothing = run("post");
    assertThat(nothing.out()).isEqualTo(targetLine() + "\nNothing to apply: the database is at 2.0.0:post.\n");
    assertThat(nothing.err()).isEmpty();
    assertThat(value("SELECT count(*) FROM jobs WHERE priority = 0")).isEqualTo("1");
  }

  @Test
  void planShowsSqlAndChangesNothing() throws Exception {
    Run plan = run("plan", "--to", "1.0.0");

    assertThat(plan.exitCode()).isZero();
    assertThat(plan.out()).contains("Plan from empty to 1.0.0:post: 2 migrations")
        .contains("1.0.0:pre #1 create jobs  [sql]\n    CREATE TABLE jobs (id int);")
        .contains("1.0.0:post #1 fill jobs  [sql]\n    INSERT INTO jobs VALUES (1);")
        .doesNotContain("2.0.0");
    assertThat(tableExists("twostep_history")).isFalse();
  }

  @Test
  void checkAndVerifyExitWithThreeWhenTheAnswerIsNo() throws Exception {
    run("migrate", "--to", "2.0.0:pre", "--allow-downtime");

    Run yes = run("check", "--release", "1.0.0");
    assertThat(yes.exitCode()).isEqualTo(TwostepCommandLine.OK);
    assertThat(yes.out()).startsWith(targetLine() + "\ncompatible: code of release 1.0.0 may run on schema state 2.0.0:pre");

    run("post");
    Run no = run("check", "--release", "1.0.0");
    assertThat(no.exitCode()).isEqualTo(TwostepCommandLine.INCOMPATIBLE);
    assertThat(no.out()).startsWith(targetLine() + "\nincompatible: code of release 1.0.0 may not run on schema state 2.0.0:post");

    assertThat(run("verify").exitCode()).isZero();
    execute("UPDATE twostep_history SET checksum = 'edited' WHERE release = '1.0.0' AND phase = 'pre'");
    Run drift = run("verify");
    assertThat(drift.exitCode()).isEqualTo(TwostepCommandLine.INCOMPATIBLE);
    assertThat(drift.out()).contains("checksum mismatch: 1.0.0:pre #1 create jobs was applied with checksum edited")
        .contains("Drift: 1 problem, 3 applied migrations match.");
  }

  @Test
  void statusAndVerifyNameDriftInTheirDocumentedWords() throws Exception {
    run("migrate", "--to", "1.0.0:post");
    execute("UPDATE twostep_history SET checksum = 'edited' WHERE release = '1.0.0' AND phase = 'pre'");
    execute("INSERT INTO twostep_history (release, phase, step, description, checksum, kind, execution_ms) VALUES "
        + "('1.0.0', 'post', 9, 'removed step', 'abc', 'sql', 1), ('9.0.0', 'pre', 1, 'from the future', 'def', 'sql', 1)");

    Run status = run("status");
    assertThat(status.out()).containsPattern("1\\.0\\.0 +pre +1 +checksum mismatch ")
        .containsPattern("1\\.0\\.0 +post +9 +unknown ").containsPattern("9\\.0\\.0 +pre +1 +unknown ")
        .containsPattern("2\\.0\\.0 +pre +1 +pending ").contains("1 applied, 2 pending, 3 drift");
    Run json = run("status", "--json");
    assertThat(json.out()).contains("\"step\":1,\"description\":\"create jobs\",\"state\":\"checksum_mismatch\"")
        .contains("\"description\":\"removed step\",\"state\":\"unknown\"")
        .contains("\"description\":\"from the future\",\"state\":\"unknown\"").contains("\"drift\":3");
    Run verify = run("verify");
    assertThat(verify.out()).contains("\nchecksum mismatch: 1.0.0:pre #1 create jobs was applied")
        .contains("\nunknown migration: 1.0.0:post #9 removed step is in the history")
        .contains("\nunknown release: 9.0.0:pre #1 from the future is in the history");
  }

  @Test
  void aFailureIsOneClearMessageWithoutStackTraceUnlessVerbose() throws Exception {
    execute("CREATE TABLE jobs (id text)");

    Run failed = run("pre");

    assertThat(failed.exitCode()).isEqualTo(TwostepCommandLine.FAILURE);
    assertThat(failed.err()).contains("failed   1.0.0:pre #1 create jobs  after ")
        .contains("\ntwostep: error: migration 1.0.0:pre #1 create jobs (release 1.0.0, phase pre, step 1)"
        + " failed at statement 1 of 1 (line 1 of its SQL): SQLSTATE 42P07: relation \"jobs\" already exists\n");
    assertThat(failed.err()).doesNotContain("\tat ").doesNotContain("Exception");

    Run verbose = run("pre", "--verbose");
    assertThat(verbose.exitCode()).isEqualTo(TwostepCommandLine.FAILURE);
    assertThat(verbose.err()).contains("dev.twostep.runtime.TwostepException").contains("\tat ");
  }

  @Test
  void refusalsAndBaselineGoThroughTheCommandLine() throws Exception {
    run("migrate", "--to", "1.0.0:pre");
    Run refused = run("pre");
    assertThat(refused.exitCode()).isEqualTo(TwostepCommandLine.FAILURE);
    assertThat(refused.err()).contains("run `migrate --to 1.0.0:post`");
    Run plan = run("plan", "--to", "pre");
    assertThat(plan.exitCode()).isEqualTo(TwostepCommandLine.FAILURE);
    assertThat(plan.err()).startsWith("twostep: error: migrate would refuse: pre of 2.0.0");

    Run baseline = run("baseline", "--release", "1.0.0");
    assertThat(baseline.exitCode()).isEqualTo(TwostepCommandLine.FAILURE);
    assertThat(baseline.err()).contains("already has history");
  }

  @Test
  void baselineRecordsWithoutRunning() throws Exception {
    Run refused = run("baseline", "--release", "1.0.0");
    assertThat(refused.exitCode()).as("the empty database does not have 1.0.0's schema").isEqualTo(TwostepCommandLine.FAILURE);
    Run baseline = run("baseline", "--release", "1.0.0", "--trust-schema");
    assertThat(baseline.exitCode()).isZero();
    assertThat(baseline.out()).isEqualTo(targetLine() + "\n"
        + "Recorded 2 migrations up to 1.0.0:post as applied without running them;"
        + " schema state: 1.0.0:post (schema trusted, not proven).\n");
    assertThat(tableExists("jobs")).isFalse();
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(run(CATALOG, Map.of()).exitCode()).isEqualTo(TwostepCommandLine.USAGE);
    assertThat(run("frobnicate").exitCode()).isEqualTo(TwostepCommandLine.USAGE);
    assertThat(run("migrate").err()).contains("Missing required option: '--to=<target>'");
    Run badTarget = run("migrate", "--to", "2.0.0:during");
    assertThat(badTarget.exitCode()).isEqualTo(TwostepCommandLine.USAGE);
    assertThat(badTarget.err()).contains("phase must be 'pre' or 'post'");
    assertThat(run("check", "--release", "two").exitCode()).isEqualTo(TwostepCommandLine.USAGE);
    assertThat(run("status", "--lock-timeout", "soon").exitCode()).isEqualTo(TwostepCommandLine.USAGE);
    Run noDatabase = run(CATALOG, Map.of(), "status");
    assertThat(noDatabase.exitCode()).isEqualTo(TwostepCommandLine.USAGE);
    assertThat(noDatabase.err()).startsWith("twostep: no database: pass --url or set TWOSTEP_URL");
  }

  @Test
  void helpListsCommandsAndExitCodes() {
    Run help = run(CATALOG, Map.of(), "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Usage: TestMigrations").contains("status").contains("baseline").contains("rehearse")
        .contains("Exit codes: 0 ok, 1 failure, 2 usage error,\n            3 check: incompatible / verify: drift / rehearse: unsafe,\n"
            + "            4 post refused by the deploy guard.").contains("instances");
    assertThat(run(CATALOG, Map.of(), "migrate", "--help").out()).contains("--to=<target>").contains("--lock-timeout");
  }

  @Test
  void theEnvironmentStandsInForConnectionOptions() {
    Map<String, String> env = Map.of("TWOSTEP_URL", db.url(), "TWOSTEP_USER", db.user());
    Run pre = run(CATALOG, env, "pre");
    assertThat(pre.exitCode()).as(pre.err()).isZero();
    assertThat(run(CATALOG, env, "check", "--release", "2.0.0").exitCode()).isZero();
  }

  @Test
  void passwordsNeverAppearInOutput() {
    String badUrl = db.url().replace(db.name(), "no_such_database") + "?user=" + db.user() + "&password=url-s3cret";
    Run fromUrl = run(CATALOG, Map.of(), "status", "--url", badUrl, "--verbose");
    assertThat(fromUrl.exitCode()).isEqualTo(TwostepCommandLine.FAILURE);
    assertThat(fromUrl.err()).contains("cannot connect to").contains("password=****")
        .contains("no_such_database").doesNotContain("url-s3cret");

    Run fromOption = run(CATALOG, Map.of(), "status", "--url", badUrl.replace("url-s3cret", "x"),
        "--password", "option-s3cret", "--verbose");
    assertThat(fromOption.err()).doesNotContain("option-s3cret");

    Run fromEnv = run(CATALOG, Map.of("TWOSTEP_PASSWORD", "env-s3cret"), "status", "--url", "jdbc:nonsense:env-s3cret");
    assertThat(fromEnv.exitCode()).isEqualTo(TwostepCommandLine.USAGE);
    assertThat(fromEnv.err()).contains("****").doesNotContain("env-s3cret");

    Run typo = run(CATALOG, Map.of(), "status", "--pasword=typo-s3cret");
    assertThat(typo.exitCode()).isEqualTo(TwostepCommandLine.USAGE);
    assertThat(typo.err()).startsWith("twostep: unknown option or argument: '--pasword=****'")
        .doesNotContain("typo-s3cret");
    Run spaced = run(CATALOG, Map.of(), "status", "--pasword", "typo-s3cret");
    assertThat(spaced.err()).startsWith("twostep: unknown option or argument: '--pasword'")
        .doesNotContain("typo-s3cret");
  }

  private String host() {
    return JdbcTarget.parse(db.url()).host();
  }

  private String port() {
    return JdbcTarget.parse(db.url()).port();
  }

  /** {@code Target: 127.0.0.1:5432/<db> (history public.twostep_history)}. */
  private String targetLine() {
    return "Target: " + host() + ":" + port() + "/" + db.name() + " (history public.twostep_history)";
  }

  @Test
  void quietPrintsOnlyErrors() throws Exception {
    Run pre = run("pre", "--quiet");
    assertThat(pre.exitCode()).isZero();
    assertThat(pre.out()).isEmpty();
    assertThat(pre.err()).isEmpty();
    assertThat(run("check", "--release", "1.0.0", "-q").out()).isEmpty();

    execute("DROP TABLE jobs");
    Run failed = run("post", "--quiet");
    assertThat(failed.exitCode()).isEqualTo(TwostepCommandLine.FAILURE);
    assertThat(failed.out()).isEmpty();
    assertThat(failed.err()).startsWith("twostep: error: migration 2.0.0:post #1 priority not null");
    assertThat(run("pre", "--quiet", "--json").exitCode()).isEqualTo(TwostepCommandLine.USAGE);
  }

  @Test
  void jsonPrintsOneObjectPerEventOnStandardOutput() throws Exception {
    Run pre = run("migrate", "--to", "1.0.0", "--json");
    assertThat(pre.exitCode()).as(pre.err()).isZero();
    assertThat(pre.err()).isEmpty();
    List<String> events = pre.out().lines().toList();
    assertThat(events).allSatisfy(e -> assertThat(e).startsWith("{\"event\":\"").endsWith("}"));
    assertThat(events.get(0)).matches("\\{\"event\":\"target\",\"elapsedMs\":\\d+,\"host\":\"" + host()
        + "\",\"port\":\"" + port() + "\",\"database\":\"" + db.name()
        + "\",\"historyTable\":\"public.twostep_history\"}");
    assertThat(events.get(1)).matches("\\{\"event\":\"run\",\"elapsedMs\":\\d+,\"from\":\"empty\",\"to\":\"1\\.0\\.0:post\","
        + "\"migrations\":2}");
    assertThat(events.get(2)).matches("\\{\"event\":\"start\",\"elapsedMs\":\\d+,\"migration\":\"1\\.0\\.0:pre #1 create jobs\","
        + "\"release\":\"1\\.0\\.0\",\"phase\":\"pre\",\"step\":1,\"attempt\":1,\"maxAttempts\":5}");
    assertThat(events.get(3)).matches("\\{\"event\":\"applied\",\"elapsedMs\":\\d+,\"migration\":\"1\\.0\\.0:pre #1 create jobs\","
        + "\"release\":\"1\\.0\\.0\",\"phase\":\"pre\",\"step\":1,\"ms\":\\d+,\"totalMs\":\\d+,\"attempts\":1}");
    assertThat(events.get(events.size() - 1)).matches("\\{\"event\":\"result\",\"elapsedMs\":\\d+,\"before\":\"empty\","
        + "\"after\":\"1\\.0\\.0:post\",\"migrations\":2,\"ms\":\\d+}");

    execute("ALTER TABLE jobs ADD COLUMN priority text");
    Run failed = run("pre", "--json");
    assertThat(failed.exitCode()).isEqualTo(TwostepCommandLine.FAILURE);
    List<String> failure = failed.out().lines().toList();
    assertThat(failure.get(failure.size() - 2)).startsWith("{\"event\":\"failed\",").contains("\"sqlState\":\"42701\"");
    assertThat(failure.get(failure.size() - 1)).startsWith("{\"event\":\"error\",").contains("\"exitCode\":1,")
        .contains("column \\\"priority\\\" of relation \\\"jobs\\\" already exists");
    assertThat(failed.err()).startsWith("twostep: error: migration 2.0.0:pre #1 add priority");
  }

  @Test
  void aLockWaitIsShownWhileItLastsWithTheBlockingPidAndQuery() throws Exception {
    run("migrate", "--to", "1.0.0");
    StringWriter err = new StringWriter(); // a StringBuffer inside: safe to read while the command writes
    StringWriter out = new StringWriter();
    int[] exit = {-1};
    try (Connection blocker = db.connect(); Statement s = blocker.createStatement()) {
      blocker.setAutoCommit(false);
      int blockerPid;
      try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        blockerPid = rs.getInt(1);
      }
      s.execute("SELECT count(*) FROM jobs /* the blocker */");
      // a long lock_timeout: the wait lasts until the blocker lets go, with no retry in between
      String[] args = {"pre", "--url", db.url() + "?user=" + db.user(), "--lock-timeout", "60s"};
      Thread deployer = new Thread(() -> exit[0] =
          new TwostepCommandLine(new PrintWriter(out), new PrintWriter(err), Map.of()).run(CATALOG, args));
      deployer.start();
      try {
        RuntimeTestSupport.await("the migration waits for the lock on jobs", Duration.ofSeconds(60),
            () -> waitingForJobs() > 0);
        long waitSeen = System.nanoTime();
        String expected = "waiting  2.0.0:pre #1 add priority  for a lock held by pid " + blockerPid;
        RuntimeTestSupport.await("the wait line", Duration.ofSeconds(30), () -> err.toString().contains(expected));
        long latencyMs = (System.nanoTime() - waitSeen) / 1_000_000;
        // the line came while the migration still waits: the blocker has not let go yet
        assertThat(waitingForJobs()).isEqualTo(1);
        String line = err.toString().lines().filter(l -> l.contains(expected)).findFirst().orElseThrow();
        assertThat(line).matches(" *\\d+\\.\\d{3}s  waiting  2\\.0\\.0:pre #1 add priority  for a lock held by pid "
            + blockerPid + " \\(user " + db.user() + ", application 'PostgreSQL JDBC Driver', idle in transaction, transaction open for \\d+ ms\\) "
            + "last query: SELECT count\\(\\*\\) FROM jobs /\\* the blocker \\*/");
        assertThat(err.toString()).doesNotContain("retry");
        System.out.println("lock wait seen in pg_locks -> wait line read: " + latencyMs + " ms");
      } finally {
        blocker.rollback();
        deployer.join(60_000);
      }
    }
    assertThat(exit[0]).as(err.toString()).isZero();
    assertThat(err.toString()).containsOnlyOnce("waiting  ").contains("applied  2.0.0:pre #1 add priority");
    assertThat(out.toString()).contains("Schema state: 1.0.0:post -> 2.0.0:pre (1 migration in ");
  }

  /** How many sessions wait for a lock on the table jobs. */
  private int waitingForJobs() {
    try {
      return Integer.parseInt(value("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'jobs'::regclass"));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void isTheCommandLineTheGeneratedMainFinds() {
    // MigrationCatalog.runCommandLine is what a generated main calls; it finds this class via META-INF/services
    int code = MigrationCatalog.runCommandLine(CATALOG,
        new String[] {"check", "--release", "1.0.0", "--url", db.url() + "?user=" + db.user()});
    assertThat(code).isEqualTo(TwostepCommandLine.INCOMPATIBLE);
  }
}
