package dev.twostep.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.twostep.processor.Compilations.compile;
import static dev.twostep.processor.Compilations.source;
import static dev.twostep.processor.Compilations.sourceIn;
import static dev.twostep.processor.Compilations.sqlMigration;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import dev.twostep.CatalogData;
import dev.twostep.ConcurrentIndexBuild;
import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.Phase;
import dev.twostep.SqlStatement;
import dev.twostep.Waiver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/** The generated catalog: order, contents, determinism and the golden file. */
class CatalogGenerationTest {
  /** Set {@code -Dtwostep.updateGolden=true} to rewrite the golden files after a deliberate change. */
  private static final boolean UPDATE = Boolean.getBoolean("twostep.updateGolden");

  static List<JavaFileObject> shopSources() {
    return List.of(
        Compilations.packageInfo("com.acme", "@dev.twostep.MigrationSet(name = \"Shop\")"),
        sourceIn("com.acme.db", "CreateJobs",
            "@PreMigration(release = \"1.0.0\", step = 1, sql = \"\"\"",
            "    CREATE TABLE shop_jobs (id bigserial PRIMARY KEY, queue text NOT NULL);",
            "    CREATE INDEX shop_jobs_queue ON shop_jobs (queue);",
            "    \"\"\")",
            "public final class CreateJobs {}"),
        sourceIn("com.acme.db", "CreateFetchJob",
            "@PreMigration(release = \"1.0.0\", step = 2, description = \"fetch function, version 1\", sql = \"\"\"",
            "    CREATE FUNCTION shop_fetch_job_v1(p_queue text) RETURNS bigint LANGUAGE sql AS $$",
            "      SELECT id FROM shop_jobs WHERE queue = p_queue LIMIT 1; -- a ; inside a body",
            "    $$;",
            "    \"\"\")",
            "public final class CreateFetchJob {}"),
        sqlMigration("Analyze", "Post", "1.0.0", 1, "ANALYZE shop_jobs;"),
        sourceIn("com.acme.db", "AddPriority",
            "@PreMigration(release = \"1.10\", step = 1,",
            "    sql = \"ALTER TABLE shop_jobs ADD COLUMN priority int NOT NULL DEFAULT 0;\")",
            "public final class AddPriority {}"),
        sourceIn("com.acme.db", "IndexPriority",
            "@PreMigration(release = \"1.10\", step = 2, sql = \"CREATE INDEX CONCURRENTLY shop_jobs_priority ON shop_jobs (priority);\")",
            "public final class IndexPriority {}"),
        sourceIn("com.acme.db", "Backfill",
            "@PostMigration(release = \"1.9\", step = 1)",
            "public final class Backfill implements JavaMigration {",
            "  @Override public void migrate(MigrationContext context) {}",
            "}"),
        sourceIn("com.acme.db", "BackfillAgain",
            "@Waive(rule = \"step-sequence\", reason = \"step 2 was removed before shipping\")",
            "@PostMigration(release = \"1.9\", step = 3)",
            "public final class BackfillAgain implements JavaMigration, NonTransactional {",
            "  public BackfillAgain() {}",
            "  @Override public void migrate(MigrationContext context) {}",
            "}"));
  }

  @Test
  void catalogIsInReleaseThenPhaseThenStepOrder() throws Exception {
    List<JavaFileObject> sources = shopSources();
    Compilation c = compile(sources.subList(0, 6).toArray(new JavaFileObject[0]));
    assertThat(c).succeededWithoutWarnings();
    MigrationCatalog catalog = Compilations.loadCatalog(c, "com.acme.ShopMigrations");
    assertThat(catalog.name()).isEqualTo("Shop");
    assertThat(catalog.migrations()).extracting(Migration::displayName).containsExactly(
        "1.0.0:pre #1 create jobs",
        "1.0.0:pre #2 fetch function, version 1",
        "1.0.0:post #1 analyze",
        "1.10:pre #1 add priority",
        "1.10:pre #2 index priority");
    Migration fetch = catalog.migrations().get(1);
    assertThat(fetch.statements()).hasSize(1);
    assertThat(fetch.statements().get(0).line()).isEqualTo(1);
    assertThat(fetch.statements().get(0).sql()).contains("-- a ; inside a body").endsWith("$$");
    assertThat(fetch.className()).isEqualTo("com.acme.db.CreateFetchJob");
    assertThat(catalog.migrations().get(0).statements()).extracting(SqlStatement::line).containsExactly(1, 2);
    assertThat(catalog.migrations().get(0).transactional()).isTrue();
    assertThat(catalog.migrations().get(4).transactional()).isFalse();
    assertThat(catalog.migrations().get(2).checksum())
        .isEqualTo(sha256("ANALYZE shop_jobs;"));
  }

  @Test
  void aConcurrentIndexBuildReachesTheRuntimeAsFacts() throws Exception {
    Compilation c = compile(
        Compilations.packageInfo("com.acme", "@dev.twostep.MigrationSet(name = \"Shop\")"),
        sourceIn("com.acme.db", "CreateTable",
            "@PreMigration(release = \"1.0.0\", step = 1,",
            "    sql = \"CREATE SCHEMA app; CREATE TABLE app.\\\"My Table\\\" (x int); CREATE TABLE t (x int);\")",
            "public final class CreateTable {}"),
        sourceIn("com.acme.db", "OddIndex",
            "@PreMigration(release = \"1.0.0\", step = 2, sql = \"\"\"",
            "    CREATE INDEX CONCURRENTLY IF NOT EXISTS \"Odd Name\" ON app.\"My Table\" (x);",
            "    \"\"\")",
            "public final class OddIndex {}"),
        sourceIn("com.acme.db", "Unnamed",
            "@PreMigration(release = \"1.0.0\", step = 3,",
            "    sql = \"CREATE UNIQUE INDEX /* unnamed */ CONCURRENTLY ON T USING btree (x) WHERE x > 0;\")",
            "public final class Unnamed {}"));
    assertThat(c).succeeded();
    List<Migration> migrations = Compilations.loadCatalog(c, "com.acme.ShopMigrations").migrations();

    assertThat(migrations.get(0).statements()).allSatisfy(s -> assertThat(s.concurrentIndex()).isEmpty());
    SqlStatement odd = migrations.get(1).statements().get(0);
    assertThat(odd.sql()).isEqualTo("CREATE INDEX CONCURRENTLY IF NOT EXISTS \"Odd Name\" ON app.\"My Table\" (x)");
    assertThat(odd.concurrentIndex()).contains(ConcurrentIndexBuild.of("app", "My Table", "Odd Name", false, true, "(x)"));
    assertThat(migrations.get(2).statements().get(0).concurrentIndex())
        .contains(ConcurrentIndexBuild.of(null, "t", null, true, false, "USING btree (x) WHERE x > 0"));
  }

  @Test
  void javaMigrationsAreCreatedWithoutReflection() throws Exception {
    List<JavaFileObject> sources = new ArrayList<>(shopSources());
    sources.remove(sources.size() - 1);
    Compilation c = compile(sources.toArray(new JavaFileObject[0]));
    assertThat(c).succeeded();
    MigrationCatalog catalog = Compilations.loadCatalog(c, "com.acme.ShopMigrations");
    Migration backfill = catalog.migrations().stream().filter(Migration::isJava).findFirst().orElseThrow();
    assertThat(backfill.release().text()).isEqualTo("1.9");
    assertThat(backfill.phase()).isEqualTo(Phase.POST);
    assertThat(backfill.kind()).isEqualTo("java");
    assertThat(backfill.javaFactory().get().getClass().getName()).isEqualTo("com.acme.db.Backfill");
    // the class's code in normal form, without its migration annotation
    assertThat(backfill.checksum()).isEqualTo(sha256("java:public final class Backfill implements JavaMigration { "
        + "@ Override public void migrate ( MigrationContext context ) { } }"));
  }

  @Test
  void waiversAndNonTransactionalJavaAreRecorded() throws Exception {
    Compilation c = compile(shopSources().toArray(new JavaFileObject[0]));
    assertThat(c).succeeded();
    MigrationCatalog catalog = Compilations.loadCatalog(c, "com.acme.ShopMigrations");
    List<Migration> java = catalog.migrations().stream().filter(Migration::isJava).toList();
    assertThat(java).extracting(Migration::description).containsExactly("backfill", "backfill again");
    assertThat(java.get(0).waivers()).isEmpty();
    assertThat(java.get(1).waivers()).containsExactly(new Waiver("step-sequence", "step 2 was removed before shipping"));
    assertThat(java.get(0).transactional()).isTrue();
    assertThat(java.get(1).transactional()).isFalse();
  }

  @Test
  void checkedFromReachesTheCatalog() throws Exception {
    Compilation adopted = compile(
        Compilations.packageInfo("com.acme", "@dev.twostep.MigrationSet(name = \"Shop\", checkedFrom = \"2.0\")"),
        sourceIn("com.acme", "Legacy", "@PreMigration(release = \"1\", step = 1, sql = \"CREATE TABLE a (id int);\")",
            "final class Legacy {}"));
    assertThat(adopted).succeeded();
    assertThat(Compilations.loadCatalog(adopted, "com.acme.ShopMigrations").checkedFrom())
        .hasValueSatisfying(release -> assertThat(release.text()).isEqualTo("2.0"));

    Compilation checkedThroughout = compile(shopSources().subList(0, 3).toArray(new JavaFileObject[0]));
    assertThat(Compilations.loadCatalog(checkedThroughout, "com.acme.ShopMigrations").checkedFrom()).isEmpty();
  }

  @Test
  void servicesEntryNamesTheCatalog() throws Exception {
    Compilation c = compile(shopSources().subList(0, 3).toArray(new JavaFileObject[0]));
    JavaFileObject services = c.generatedFile(StandardLocation.CLASS_OUTPUT, "", "META-INF/services/dev.twostep.MigrationCatalog")
        .orElseThrow();
    assertThat(services.getCharContent(true).toString()).isEqualTo("com.acme.ShopMigrations\n");
  }

  @Test
  void withoutMigrationSetTheCatalogGoesToTheCommonPackage() {
    Compilation c = compile(
        sourceIn("com.acme.db.a", "A", "@PreMigration(release = \"1\", step = 1, sql = \"CREATE TABLE a (id int);\")", "final class A {}"),
        sourceIn("com.acme.db.b", "B", "@PreMigration(release = \"1\", step = 2, sql = \"CREATE TABLE b (id int);\")", "final class B {}"));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("com.acme.db.TwostepMigrations");
  }

  @Test
  void outputMatchesGoldenFileAndIgnoresInputOrder() throws Exception {
    List<JavaFileObject> sources = new ArrayList<>(shopSources());
    String first = generated(compile(sources.toArray(new JavaFileObject[0])), "com.acme.ShopMigrations");
    Random random = new Random(42);
    for (int i = 0; i < 5; i++) {
      Collections.shuffle(sources, random);
      assertThat(generated(compile(sources.toArray(new JavaFileObject[0])), "com.acme.ShopMigrations"))
          .as("shuffled input order %d", i).isEqualTo(first);
    }
    assertGolden("ShopMigrations.java", first);
  }

  @Test
  void largeCatalogsCompile() throws Exception {
    List<JavaFileObject> sources = new ArrayList<>();
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 1500; i++) {
      big.append("INSERT INTO t VALUES (").append(i).append(", 'x');\\n");
    }
    sources.add(sqlMigration("Big", "Pre", "1", 1, "CREATE TABLE t (id int, s text);\\n" + big));
    for (int i = 1; i <= 700; i++) {
      sources.add(sqlMigration("M" + i, "Post", "1", i, "CREATE TABLE t" + i + " (id int);"));
    }
    Compilation c = compile(sources.toArray(new JavaFileObject[0]));
    assertThat(c).succeeded();
    MigrationCatalog catalog = Compilations.loadCatalog(c, "com.acme.TwostepMigrations");
    assertThat(catalog.migrations()).hasSize(701);
    assertThat(catalog.migrations().get(0).statements()).hasSize(1501);
    assertThat(catalog.migrations().get(700).description()).isEqualTo("m700");
  }

  static String generated(Compilation c, String className) throws IOException {
    assertThat(c).succeeded();
    return c.generatedSourceFile(className).orElseThrow().getCharContent(true).toString();
  }

  static void assertGolden(String name, String generated) throws IOException {
    // the data header names the processor's version, which changes with every release
    String actual = generated.replace(CatalogData.twostepVersion(), "<version>");
    Path golden = Path.of("src/test/resources/golden", name);
    if (UPDATE) {
      Files.writeString(golden, actual);
    }
    assertThat(actual).isEqualTo(Files.readString(golden));
  }

  static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
