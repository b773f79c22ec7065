package dev.twostep.runtime.cli;

import static dev.twostep.Phase.POST;
import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.runtime.ManyDatabases;
import dev.twostep.runtime.MigrateResult;
import dev.twostep.runtime.TestCatalog;
import dev.twostep.runtime.Twostep;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --urls-file} and {@code --parallel}: one catalog deployed to many databases. */
class ManyDatabasesCommandTest {
  private static final TestCatalog CATALOG = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id int)"),
      sql("1.0.0", POST, 1, "fill jobs", "INSERT INTO jobs VALUES (1)"),
      sql("2.0.0", PRE, 1, "create queues", "CREATE TABLE queues (id int)"));

  @TempDir Path dir;
  private final List<TestDatabase> databases = new ArrayList<>();

  @BeforeEach
  void createDatabases() {
    for (int i = 0; i < 5; i++) {
      databases.add(TestPostgres.shared().createDatabase("ManyDatabases_" + i));
    }
  }

  @AfterEach
  void dropDatabases() {
    databases.forEach(TestDatabase::close);
  }

  private record Run(int exitCode, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--lock-timeout", "200ms"));
    int code = new TwostepCommandLine(new PrintWriter(out), new PrintWriter(err), Map.of())
        .run(CATALOG, all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private String url(TestDatabase db) {
    return db.url() + "?user=" + db.user() + (db.password() == null ? "" : "&password=" + db.password());
  }

  private Path urlsFile(List<String> urls) throws Exception {
    List<String> lines = new ArrayList<>(List.of("# tenants", ""));
    urls.forEach(u -> lines.add(u + "   # tenant"));
    return Files.write(dir.resolve("tenants.txt"), lines);
  }

  private static void execute(TestDatabase db, String sql) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String state(TestDatabase db) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM twostep_history")) {
      rs.next();
      return rs.getInt(1) + " rows";
    }
  }

  @Test
  void eachDatabaseHasItsOwnDeployGuardAndARefusalExitsWithFour() throws Exception {
    Path file = urlsFile(databases.stream().map(this::url).toList());
    assertThat(run("migrate", "--to", "1.0.0:pre", "--urls-file", file.toString()).exitCode()).isZero();
    Twostep tenant3 = Twostep.builder().dataSource(databases.get(3).dataSource()).catalog(CATALOG).build();
    try (var old = tenant3.registerInstance("0.9.0", Duration.ofMinutes(1))) {
      Run post = run("post", "--urls-file", file.toString());

      assertThat(post.exitCode()).as(post.out()).isEqualTo(TwostepCommandLine.REFUSED);
      String refused = post.out().lines().filter(l -> l.contains("/" + databases.get(3).name() + "?")).findFirst()
          .orElseThrow();
      assertThat(refused).contains("failed: refusing to migrate to 2.0.0:post: post of 1.0.0 drops what older code");
      assertThat(post.out()).contains("5 databases: 4 ok, 1 not").contains("release 0.9.0 on ")
          .contains("(instance " + old.instanceId() + ")");
      assertThat(state(databases.get(3))).isEqualTo("1 rows");
      assertThat(state(databases.get(4))).isEqualTo("3 rows");
    }
  }

  @Test
  void oneFailingDatabaseDoesNotStopTheOthersAndARerunResumes() throws Exception {
    execute(databases.get(2), "CREATE TABLE queues (id int)"); // its 2.0.0 pre will fail
    Path file = urlsFile(databases.stream().map(this::url).toList());

    Run first = run("pre", "--urls-file", file.toString(), "--parallel", "3");

    assertThat(first.exitCode()).isEqualTo(TwostepCommandLine.FAILURE);
    assertThat(first.err().lines().filter(l -> l.matches("twostep: \\[[1-5]/5\\] .*"))).hasSize(5);
    List<String> rows = first.out().lines().toList();
    assertThat(rows.get(0)).matches("DATABASE +BEFORE +AFTER +MIGRATIONS +MS +RESULT");
    for (int i = 0; i < 5; i++) {
      String name = databases.get(i).name();
      String row = rows.stream().filter(l -> l.contains("/" + name + "?")).findFirst().orElseThrow();
      if (i == 2) {
        assertThat(row).matches(".*empty +1\\.0\\.0:post +2 +\\d+ +failed: .*");
      } else {
        assertThat(row).matches(".*empty +2\\.0\\.0:pre +3 +\\d+ +ok");
        assertThat(state(databases.get(i))).isEqualTo("3 rows");
      }
    }
    assertThat(first.out()).contains("5 databases: 4 ok, 1 not; run the same command again to resume");
    assertThat(first.out()).contains(databases.get(2).name()).contains("relation \"queues\" already exists");

    execute(databases.get(2), "DROP TABLE queues");
    Run again = run("pre", "--urls-file", file.toString(), "--parallel", "2");

    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("5 databases: 5 ok, 0 not");
    assertThat(again.out().lines().filter(l -> l.matches(".*2\\.0\\.0:pre +2\\.0\\.0:pre +0 +\\d+ +ok"))).hasSize(4);
    assertThat(again.out().lines().filter(l -> l.matches(".*1\\.0\\.0:post +2\\.0\\.0:pre +1 +\\d+ +ok"))).hasSize(1);
  }

  @Test
  void aDatabaseThatCannotBeReachedIsOneFailedRowAndStatusAsJsonListsEveryDatabase() throws Exception {
    List<String> urls = new ArrayList<>(databases.stream().map(this::url).toList());
    String missing = databases.get(0).server().url("no_such_tenant") + "?user=" + databases.get(0).user()
        + "&password=s3cret;word";
    urls.add(missing);
    Path file = urlsFile(urls);

    Run status = run("status", "--json", "--urls-file", file.toString());

    assertThat(status.exitCode()).isEqualTo(TwostepCommandLine.FAILURE);
    assertThat(status.out()).startsWith("{\"databases\":[{\"database\":");
    assertThat(status.out()).contains("\"ok\":true,\"exitCode\":0,\"before\":\"empty\",\"after\":\"empty\"");
    assertThat(status.out()).contains("\"result\":{\"catalog\":\"Test\"");
    assertThat(status.out()).contains("no_such_tenant").contains("\"ok\":false,\"exitCode\":1");
    assertThat(status.out() + status.err()).doesNotContain("s3cret");
  }

  @Test
  void usageErrors() throws Exception {
    Path file = urlsFile(List.of(url(databases.get(0))));
    assertThat(run("pre", "--urls-file", file.toString(), "--url", url(databases.get(0))).exitCode())
        .isEqualTo(TwostepCommandLine.USAGE);
    Run baseline = run("baseline", "--release", "1.0.0", "--urls-file", file.toString());
    assertThat(baseline.exitCode()).isEqualTo(TwostepCommandLine.USAGE);
    assertThat(baseline.err()).contains("baseline works on one database");
    Files.writeString(file, "postgresql://host/db?password=hunter2\n");
    Run bad = run("pre", "--urls-file", file.toString());
    assertThat(bad.exitCode()).as(bad.err()).isEqualTo(TwostepCommandLine.USAGE);
    assertThat(bad.err()).contains("tenants.txt line 1").contains("is not a PostgreSQL JDBC URL").doesNotContain("hunter2");
    assertThat(run("pre", "--urls-file", file.toString(), "--parallel", "0").exitCode()).isEqualTo(TwostepCommandLine.USAGE);
  }

  @Test
  void theJavaApiRunsEveryDatabaseWithItsOwnTwostep() throws Exception {
    List<String> urls = new ArrayList<>(databases.stream().map(this::url).toList());
    urls.add(databases.get(0).server().url("no_such_tenant") + "?user=" + databases.get(0).user());
    List<ManyDatabases.Outcome<MigrateResult>> outcomes = ManyDatabases.builder()
        .urls(urls)
        .parallel(2)
        .twostep(u -> Twostep.builder().catalog(CATALOG).lockTimeout(Duration.ofMillis(200)))
        .build()
        .run(t -> t.migrate(dev.twostep.runtime.Target.parse("1.0.0:pre")), o -> { });
    assertThat(outcomes.subList(0, 5)).allSatisfy(o -> {
      assertThat(o.succeeded()).isTrue();
      assertThat(o.failure()).isEmpty();
      assertThat(o.result().orElseThrow().after().toString()).isEqualTo("1.0.0:pre");
    });
    ManyDatabases.Outcome<MigrateResult> missing = outcomes.get(5);
    assertThat(missing.succeeded()).isFalse();
    assertThat(missing.result()).isEmpty();
    assertThat(missing.failure()).hasValueSatisfying(f -> assertThat(f).hasMessageContaining("no_such_tenant"));
    assertThat(outcomes).extracting(ManyDatabases.Outcome::index).containsExactly(0, 1, 2, 3, 4, 5);
  }
}
