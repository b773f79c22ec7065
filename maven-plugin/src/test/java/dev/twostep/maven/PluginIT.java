package dev.twostep.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real Maven runs of the sample project {@code src/it/shop} (a fresh project as the README sets it
 * up) with the plugin and Twostep that {@code invoker:install} put into {@code target/it-repo}.
 * The project's tests and the plugin's goals use the test PostgreSQL (TWOSTEP_TEST_URL, else the
 * embedded one started here).
 */
class PluginIT {
  private static final Path SAMPLE = Path.of("src/it/shop");
  private static final Path WORK = Path.of(System.getProperty("twostep.it.work", "target/it"));
  private static TestPostgres server;

  @BeforeAll
  static void server() {
    server = TestPostgres.shared();
  }

  record Run(int exitCode, String log) {}

  /** Runs Maven on {@code project} with the integration tests' repository and settings. */
  private static Run mvn(Path project, String... args) throws IOException, InterruptedException {
    String home = System.getProperty("maven.home");
    List<String> command = new ArrayList<>(List.of(home == null ? "mvn" : home + "/bin/mvn", "-B", "-e",
        "-s", Path.of("src/it/settings.xml").toAbsolutePath().toString(),
        "-Dmaven.repo.local=" + Path.of(System.getProperty("twostep.it.repo", "target/it-repo")).toAbsolutePath()));
    command.addAll(List.of(args));
    Path log = project.resolve("build-" + System.nanoTime() + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.remove("TWOSTEP_URL");
    env.remove("MAVEN_OPTS");
    // the sample's own tests (twostep-junit) use the same server
    env.put(TestPostgres.URL_VARIABLE, server.url("postgres") + "?user=" + server.user()
        + (server.password() == null ? "" : "&password=" + server.password()));
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("Maven did not finish in 5 minutes: " + command);
    }
    return new Run(process.exitValue(), Files.readString(log));
  }

  private static Path copySample(String name) throws IOException {
    Path target = WORK.resolve(name).toAbsolutePath();
    if (Files.exists(target)) {
      try (Stream<Path> old = Files.walk(target)) {
        old.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
      }
    }
    try (Stream<Path> files = Files.walk(SAMPLE)) {
      for (Path source : files.toList()) {
        Path copy = target.resolve(SAMPLE.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(copy);
        } else {
          Files.writeString(copy, Files.readString(source)
              .replace("@twostep.version@", System.getProperty("twostep.version")), StandardCharsets.UTF_8);
        }
      }
    }
    return target;
  }

  @Test
  void shipsOnAnUpToDateBuildRunsTheGoalsAndCatchesATamperedLockFile() throws Exception {
    Path project = copySample("ship");
    Run build = mvn(project, "verify");
    assertThat(build.exitCode()).as(build.log()).isZero();
    assertThat(build.log()).contains("Tests run: 2, Failures: 0, Errors: 0").contains("JUnit Jupiter 5.11.4")
        .contains("no lock file at").doesNotContain("not recognized by any processor");

    Run ship = mvn(project, "twostep:ship", "-Dtwostep.release=1.0.0");
    assertThat(ship.exitCode()).as(ship.log()).isZero();
    assertThat(ship.log()).contains("Nothing to compile").contains("recorded release 1.0.0 as shipped").contains("2 migrations added");
    Path lock = project.resolve("twostep.lock");
    List<String> entries = Files.readAllLines(lock).stream().filter(l -> l.startsWith("1.0.0")).toList();
    assertThat(entries).hasSize(2);

    try (TestDatabase db = server.createDatabase("maven plugin")) {
      String url = "-Dtwostep.url=" + db.url();
      String user = "-Dtwostep.user=" + db.user();
      Run goals = mvn(project, "twostep:pre", "twostep:status", "twostep:verify", "twostep:check", "-Dtwostep.release=1.0.0",
          "twostep:plan", "twostep:rehearse", "twostep:instances", url, user);
      assertThat(goals.exitCode()).as(goals.log()).isZero();
      String target = "[INFO] Target: " + db.url().substring("jdbc:postgresql://".length()).replaceAll("\\?.*", "")
          + " (history public.twostep_history)";
      assertThat(goals.log()).contains(target).contains("1.0.0:pre").contains("OK: 2 applied migrations match catalog Twostep")
          .contains("compatible: ").contains("PASSED").contains("[INFO] Live instances: none");
      // progress lines are news, not errors
      assertThat(goals.log()).containsPattern("\\[INFO\\] +\\d+\\.\\d{3}s  applied  1\\.0\\.0:pre #2 backfill priority  \\d+ ms")
          .doesNotContain("[ERROR]");
      try (var c = db.connect(); var rs = c.createStatement().executeQuery("SELECT count(*) FROM shop_jobs WHERE priority = 0")) {
        rs.next();
        assertThat(rs.getInt(1)).as("rows the Java migration backfilled").isEqualTo(30);
      }
      Run migrate = mvn(project, "twostep:migrate", url, user);
      assertThat(migrate.exitCode()).as(migrate.log()).isNotZero();
      assertThat(migrate.log()).contains("migrate needs a target: set -Dtwostep.to=...");
    }

    // a damaged lock file fails verify though nothing is recompiled
    Files.writeString(lock, Files.readString(lock).replace(entries.get(0).substring(21, 29), "00000000"));
    Run tampered = mvn(project, "verify");
    assertThat(tampered.exitCode()).as(tampered.log()).isNotZero();
    assertThat(tampered.log()).contains("Nothing to compile").contains("[twostep:shipped-changed] pre-migration 1.0.0 step 1");
  }

  @Test
  void aFreshProjectPassesItsTestsOnJUnit6AndAnEditedShippedJavaMigrationFailsTheBuildAndVerify() throws Exception {
    Path project = copySample("junit6");
    Run junit6 = mvn(project, "twostep:ship", "-Dtwostep.release=1.0.0", "verify", "-Djunit.version=6.1.3");
    assertThat(junit6.exitCode()).as(junit6.log()).isZero();
    assertThat(junit6.log()).contains("Tests run: 2, Failures: 0, Errors: 0").contains("JUnit Jupiter 6.1.3");

    try (TestDatabase db = server.createDatabase("maven plugin edit")) {
      String url = "-Dtwostep.url=" + db.url();
      String user = "-Dtwostep.user=" + db.user();
      Run pre = mvn(project, "twostep:pre", url, user);
      assertThat(pre.exitCode()).as(pre.log()).isZero();

      Path migration = project.resolve("src/main/java/com/acme/db/BackfillPriority.java");
      Files.writeString(migration, Files.readString(migration).replace("LIMIT 1000", "LIMIT 500"));
      Run edited = mvn(project, "compile");
      assertThat(edited.exitCode()).as(edited.log()).isNotZero();
      assertThat(edited.log()).contains("[twostep:shipped-changed] pre-migration 1.0.0 step 2 (BackfillPriority)");

      // without the lock file it compiles, and verify finds the database ran other code
      Files.delete(project.resolve("twostep.lock"));
      Run verify = mvn(project, "twostep:verify", url, user);
      assertThat(verify.exitCode()).as(verify.log()).isNotZero();
      assertThat(verify.log()).contains("checksum mismatch: ").contains("Drift: 1 problem");
    }
  }

  private static final String ADD_OWNER = """
      package com.acme.db;

      import dev.twostep.PreMigration;

      // written under release = "next" until twostep:ship names its release
      @PreMigration(release = "next", step = 1, sql = "ALTER TABLE shop_jobs ADD COLUMN owner text;")
      public final class AddOwner {}
      """;
  private static final String ADD_SIZE = """
      package com.acme.db;

      import dev.twostep.PreMigration;

      @PreMigration(step = 2,
          release="next",
          sql = \"""
              -- not release = "next" here
              ALTER TABLE shop_jobs ADD COLUMN size int;
              \""")
      public final class AddSize {}
      """;

  @Test
  void shipsTwoNextMigrationsAsOneOneZeroAndADatabaseThatAppliedThemRunsNothingAgain() throws Exception {
    Path project = copySample("next");
    Path db = project.resolve("src/main/java/com/acme/db");
    Files.writeString(db.resolve("AddOwner.java"), ADD_OWNER);
    Files.writeString(db.resolve("AddSize.java"), ADD_SIZE);
    try (TestDatabase database = server.createDatabase("maven plugin next")) {
      String url = "-Dtwostep.url=" + database.url();
      String user = "-Dtwostep.user=" + database.user();
      Run before = mvn(project, "twostep:pre", url, user);
      assertThat(before.exitCode()).as(before.log()).isZero();
      assertThat(before.log()).contains("applied  next:pre #1 add owner").contains("applied  next:pre #2 add size");

      Run ship = mvn(project, "twostep:ship", "-Dtwostep.release=1.1.0");
      assertThat(ship.exitCode()).as(ship.log()).isZero();
      assertThat(ship.log()).contains("Nothing to compile")
          .contains("twostep: src/main/java/com/acme/db/AddOwner.java:6: release = \"next\" -> release = \"1.1.0\"")
          .contains("twostep: src/main/java/com/acme/db/AddSize.java:6: release=\"next\" -> release=\"1.1.0\"")
          .contains("recorded release 1.1.0 as shipped").contains("4 migrations added");
      assertThat(Files.readString(db.resolve("AddOwner.java")))
          .isEqualTo(ADD_OWNER.replace("(release = \"next\", step = 1", "(release = \"1.1.0\", step = 1"));
      assertThat(Files.readString(db.resolve("AddSize.java"))).isEqualTo(ADD_SIZE.replace("release=\"next\"", "release=\"1.1.0\""));
      assertThat(Files.readAllLines(project.resolve("twostep.lock"))).filteredOn(l -> l.startsWith("1.1.0"))
          .hasSize(2).allMatch(l -> l.contains(" pre "));

      // a pull request merged after the ship keeps writing next: it orders after 1.1.0
      Files.writeString(db.resolve("AddColour.java"), ADD_OWNER.replace("AddOwner", "AddColour").replace("owner text", "colour text"));
      Run after = mvn(project, "verify", "twostep:status", "twostep:pre", "twostep:verify", url, user);
      assertThat(after.exitCode()).as(after.log()).isZero();
      assertThat(after.log()).contains("Tests run: 2, Failures: 0, Errors: 0")
          .contains("note: history row next:pre #1 is 1.1.0:pre #1 (shipped; the next pre, post or migrate re-keys it)")
          .contains("note: history row next:pre #1 is now 1.1.0:pre #1 (shipped)")
          .contains("note: history row next:pre #2 is now 1.1.0:pre #2 (shipped)")
          .contains("applied  next:pre #1 add colour").doesNotContain("applied  1.1.0").doesNotContain("applied  1.0.0")
          .contains("Schema state: 1.1.0:pre -> next:pre").contains("OK: 5 applied migrations match catalog Twostep");
      try (var c = database.connect(); var rs = c.createStatement().executeQuery(
          "SELECT string_agg(release || ':' || phase || ':' || step, ' ' ORDER BY applied_at) FROM twostep_history")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("1.0.0:pre:1 1.0.0:pre:2 1.1.0:pre:1 1.1.0:pre:2 next:pre:1");
      }
    }
  }
}
