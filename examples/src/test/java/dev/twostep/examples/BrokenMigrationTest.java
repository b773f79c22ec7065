package dev.twostep.examples;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.twostep.processor.TwostepProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The mistakes Twostep exists for, made on a copy of the real Shop migrations: each must fail the
 * build on the offending line, and the untouched copy must compile cleanly.
 */
class BrokenMigrationTest {
  private static final Path DB = Path.of("src/main/java/dev/twostep/examples/shop/db");

  private static String read(String file) throws IOException {
    return Files.readString(DB.resolve(file));
  }

  private static Compilation compile(String release1, String release2, String release3) {
    List<JavaFileObject> sources = new ArrayList<>();
    sources.add(JavaFileObjects.forSourceString("dev.twostep.examples.shop.db.Release1", release1));
    sources.add(JavaFileObjects.forSourceString("dev.twostep.examples.shop.db.Release2", release2));
    sources.add(JavaFileObjects.forSourceString("dev.twostep.examples.shop.db.Release3", release3));
    return javac().withProcessors(new TwostepProcessor()).compile(sources);
  }

  private static int lineOf(String source, String text) {
    int index = source.indexOf(text);
    if (index < 0) {
      throw new AssertionError("the copy no longer contains " + text);
    }
    return (int) source.substring(0, index).chars().filter(c -> c == '\n').count() + 1;
  }

  @Test
  void theRealMigrationsCompileCleanly() throws IOException {
    assertThat(compile(read("Release1.java"), read("Release2.java"), read("Release3.java"))).succeededWithoutWarnings();
  }

  @Test
  void buildingTheIndexWithoutConcurrentlyIsACompileError() throws IOException {
    // shop_jobs exists since 1.0.0 and holds every job: a plain CREATE INDEX blocks all writes while it builds
    String release3 = read("Release3.java").replace("CREATE INDEX CONCURRENTLY shop_jobs_queue_name_priority",
        "CREATE INDEX shop_jobs_queue_name_priority");
    Compilation c = compile(read("Release1.java"), read("Release2.java"), release3);
    assertThat(c).hadErrorContaining("[twostep:blocking-index-build] pre-migration 3.0.0 step 3 (IndexQueueName) runs "
        + "CREATE INDEX on existing table shop_jobs").inFile(c.sourceFiles().get(2))
        .onLine(lineOf(release3, "@PreMigration(release = \"3.0.0\", step = 3"));
  }

  @Test
  void droppingTheRenamedColumnByHandIsACompileError() throws IOException {
    // the hand-written contract kept next to @RenameColumn: its post-migration already drops queue
    String release3 = read("Release3.java").replace("      ALTER INDEX shop_jobs_queue_name_priority RENAME TO",
        "      ALTER TABLE shop_jobs DROP COLUMN queue;\n      ALTER INDEX shop_jobs_queue_name_priority RENAME TO");
    Compilation c = compile(read("Release1.java"), read("Release2.java"), release3);
    assertThat(c).hadErrorContaining("[twostep:expand-contract] @RenameColumn of release 3.0.0 step 1 (RenameQueue) "
        + "changes column queue of shop_jobs, which post-migration 3.0.0 step 2 (DropQueueFunctionsV2) also drops")
        .inFile(c.sourceFiles().get(2)).onLine(lineOf(release3, "@RenameColumn(release = \"3.0.0\", step = 1"));
  }

  @Test
  void droppingTheOldFunctionInPreIsACompileError() throws IOException {
    // the classic mistake: contract in the pre-migration, while code 1.0.0 still calls v1
    String release2 = read("Release2.java").replace(
        "@PostMigration(release = \"2.0.0\", step = 1, sql = \"\"\"\n      DROP FUNCTION shop_fetch_job_v1(text);",
        "@PreMigration(release = \"2.0.0\", step = 6, sql = \"\"\"\n      DROP FUNCTION shop_fetch_job_v1(text);");
    Compilation c = compile(read("Release1.java"), release2, read("Release3.java"));
    assertThat(c).hadErrorContaining("[twostep:pre-contract]").inFile(c.sourceFiles().get(1))
        .onLine(lineOf(release2, "@PreMigration(release = \"2.0.0\", step = 6"));
  }

  @Test
  void editingAVersionInALaterReleaseIsACompileError() throws IOException {
    // "just fix it in place": replacing v2 of the fetch function in release 3.0.0
    String release3 = read("Release3.java").replace(
        "CREATE FUNCTION shop_fetch_job_v3(p_queue_name text)", "CREATE OR REPLACE FUNCTION shop_fetch_job_v2(p_queue_name text)");
    Compilation c = compile(read("Release1.java"), read("Release2.java"), release3);
    assertThat(c).hadErrorContaining("[twostep:immutable-version]").inFile(c.sourceFiles().get(2))
        .onLine(lineOf(release3, "@PreMigration(release = \"3.0.0\", step = 2"));
  }

  @Test
  void reusingAStepNumberIsACompileError() throws IOException {
    String release2 = read("Release2.java").replace("@PreMigration(release = \"2.0.0\", step = 3,", "@PreMigration(release = \"2.0.0\", step = 2,");
    Compilation c = compile(read("Release1.java"), release2, read("Release3.java"));
    assertThat(c).hadErrorContaining("[twostep:duplicate-step] pre-migration 2.0.0 step 2 (AddCancelledState)")
        .inFile(c.sourceFiles().get(1)).onLine(lineOf(release2, "@PreMigration(release = \"2.0.0\", step = 2,"));
  }

  @Test
  void anUnversionedFunctionIsACompileError() throws IOException {
    String release3 = read("Release3.java").replace("shop_enqueue_job_v3(p_queue_name", "shop_enqueue_job(p_queue_name");
    Compilation c = compile(read("Release1.java"), read("Release2.java"), release3);
    assertThat(c).hadErrorContaining("[twostep:versioned-name]").inFile(c.sourceFiles().get(2))
        .onLine(lineOf(release3, "@PreMigration(release = \"3.0.0\", step = 2"));
  }
}
