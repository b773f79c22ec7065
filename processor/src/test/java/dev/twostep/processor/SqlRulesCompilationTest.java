package dev.twostep.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.twostep.processor.Compilations.compile;
import static dev.twostep.processor.Compilations.packageInfo;
import static dev.twostep.processor.Compilations.source;
import static dev.twostep.processor.Compilations.sourceIn;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/** One test per SQL rule through javac: the rule id, the file, and the line of the sql value. */
class SqlRulesCompilationTest {
  private static final String V1 = "CREATE TABLE shop_jobs (id bigserial PRIMARY KEY, queue text NOT NULL);\n"
      + "CREATE FUNCTION shop_fetch_job_v1(p_queue text) RETURNS bigint LANGUAGE plpgsql AS $$\n"
      + "BEGIN\n  RETURN (SELECT id FROM shop_jobs WHERE queue = p_queue LIMIT 1);\nEND $$;";

  /** A migration whose {@code sql} value is on line 5 of its file. */
  private static JavaFileObject migration(String name, String phase, String release, int step, String sql, String... annotations) {
    String[] lines = new String[4 + annotations.length];
    System.arraycopy(annotations, 0, lines, 0, annotations.length);
    int i = annotations.length;
    lines[i] = "@" + phase + "Migration(";
    lines[i + 1] = "    release = \"" + release + "\", step = " + step + ",";
    lines[i + 2] = "    sql = \"" + sql.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\")";
    lines[i + 3] = "final class " + name + " {}";
    return source(name, lines);
  }

  private static JavaFileObject v1() {
    return migration("CreateQueue", "Pre", "1.0.0", 1, V1);
  }

  @Test
  void sqlSyntax() {
    JavaFileObject bad = migration("Broken", "Pre", "1.0.0", 1, "UPDATE t SET a = 'x;\nSELECT 1;");
    Compilation c = compile(bad);
    assertThat(c).hadErrorContaining("[twostep:sql-syntax] pre-migration 1.0.0 step 1 (Broken): the string literal ' opened on line 1")
        .inFile(bad).onLine(5);
  }

  @Test
  void transactionControl() {
    JavaFileObject bad = migration("Commits", "Pre", "1.0.0", 1, "CREATE TABLE t (a int);\nCOMMIT;");
    assertThat(compile(bad)).hadErrorContaining("[twostep:transaction-control] pre-migration 1.0.0 step 1 (Commits) runs COMMIT "
        + "in statement 2, line 2 of the SQL").inFile(bad).onLine(5);
  }

  @Test
  void nonTransactionalAlone() {
    JavaFileObject bad = migration("IndexAndMore", "Pre", "1.0.0", 2, "CREATE INDEX CONCURRENTLY i ON shop_jobs (queue);\nANALYZE shop_jobs;");
    assertThat(compile(v1(), bad)).hadErrorContaining("[twostep:non-transactional-alone] pre-migration 1.0.0 step 2 (IndexAndMore) "
        + "runs CREATE INDEX CONCURRENTLY in statement 1, line 1 of the SQL").inFile(bad).onLine(5);
  }

  @Test
  void versionedName() {
    JavaFileObject bad = migration("OpenJobs", "Pre", "1.0.0", 2, "CREATE VIEW shop_open_jobs AS SELECT * FROM shop_jobs;");
    assertThat(compile(v1(), bad)).hadErrorContaining("[twostep:versioned-name] pre-migration 1.0.0 step 2 (OpenJobs) creates "
        + "view shop_open_jobs in statement 1, line 1 of the SQL without a version suffix").inFile(bad).onLine(5);
  }

  @Test
  void versionSequence() {
    JavaFileObject bad = migration("FetchV3", "Pre", "2.0.0", 1,
        "CREATE FUNCTION shop_fetch_job_v3(text) RETURNS bigint LANGUAGE sql AS 'SELECT 1::bigint';");
    assertThat(compile(v1(), bad)).hadErrorContaining("[twostep:version-sequence] pre-migration 2.0.0 step 1 (FetchV3) creates "
        + "function shop_fetch_job_v3(text) in statement 1, line 1 of the SQL, but the highest version of shop_fetch_job so far "
        + "is v1 (from release 1.0.0). Name it shop_fetch_job_v2").inFile(bad).onLine(5);
  }

  @Test
  void immutableVersion() {
    JavaFileObject bad = migration("PatchFetch", "Post", "2.0.0", 1,
        "CREATE OR REPLACE FUNCTION shop_fetch_job_v1(p_queue text) RETURNS bigint LANGUAGE sql AS 'SELECT 2::bigint';");
    assertThat(compile(v1(), bad)).hadErrorContaining("[twostep:immutable-version] post-migration 2.0.0 step 1 (PatchFetch) "
        + "replaces function shop_fetch_job_v1(text) in statement 1, line 1 of the SQL, but release 1.0.0 created that version")
        .inFile(bad).onLine(5);
  }

  @Test
  void preContract() {
    JavaFileObject bad = migration("DropEarly", "Pre", "2.0.0", 1,
        "CREATE FUNCTION shop_fetch_job_v2(p_queue text) RETURNS bigint LANGUAGE sql AS 'SELECT 2::bigint';\n"
            + "DROP FUNCTION shop_fetch_job_v1(text);");
    Compilation c = compile(v1(), bad);
    assertThat(c).hadErrorContaining("[twostep:pre-contract] pre-migration 2.0.0 step 1 (DropEarly) drops function "
        + "shop_fetch_job_v1(text) in statement 2, line 2 of the SQL, which release 1.0.0 created and code of release 1.0.0 "
        + "may still use while 2.0.0 deploys. Move the DROP to a @PostMigration of 2.0.0.").inFile(bad).onLine(5);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void preContractWaived() {
    JavaFileObject waived = migration("DropEarly", "Pre", "2.0.0", 1, "DROP FUNCTION shop_fetch_job_v1(text);",
        "@Waive(rule = \"pre-contract\", reason = \"no instance of 1.0.0 calls it any more\")");
    Compilation c = compile(v1(), waived);
    assertThat(c).succeeded();
    assertThat(c).hadNoteContaining("[twostep:pre-contract] pre-migration 2.0.0 step 1 (DropEarly) drops function").inFile(waived);
  }

  @Test
  void opaqueStatementWarnsAndIsSuppressible() {
    String sql = "DO $$ BEGIN PERFORM 1; END $$;";
    JavaFileObject warned = migration("Opaque", "Pre", "1.0.0", 2, sql);
    Compilation c = compile(v1(), warned);
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("[twostep:opaque-statement] pre-migration 1.0.0 step 2 (Opaque) has a DO block in "
        + "statement 1, line 1 of the SQL").inFile(warned).onLine(5);

    JavaFileObject suppressed = migration("Opaque", "Pre", "1.0.0", 2, sql, "@SuppressWarnings(\"twostep:opaque-statement\")");
    assertThat(compile(v1(), suppressed)).succeededWithoutWarnings();
  }

  @Test
  void lockSafetyErrorOnTheSqlValue() {
    JavaFileObject bad = migration("IndexQueue", "Post", "2.0.0", 1, "CREATE INDEX shop_jobs_queue_idx ON shop_jobs (queue);");
    Compilation c = compile(v1(), bad);
    assertThat(c).hadErrorContaining("[twostep:blocking-index-build] post-migration 2.0.0 step 1 (IndexQueue) runs CREATE INDEX "
        + "on existing table shop_jobs in statement 1, line 1 of the SQL without CONCURRENTLY").inFile(bad).onLine(5);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void lockSafetyErrorWaivedWithAReason() {
    JavaFileObject waived = migration("IndexQueue", "Post", "2.0.0", 1, "CREATE INDEX shop_jobs_queue_idx ON shop_jobs (queue);",
        "@Waive(rule = \"blocking-index-build\", reason = \"shop_jobs has 200 rows\")");
    Compilation c = compile(v1(), waived);
    assertThat(c).succeeded();
    assertThat(c).hadNoteContaining("[twostep:blocking-index-build] post-migration 2.0.0 step 1 (IndexQueue) runs CREATE INDEX")
        .inFile(waived);
    assertThat(c).hadNoteContaining("(waived: shop_jobs has 200 rows)");
  }

  @Test
  void lockSafetyWarningIsSuppressible() {
    String sql = "UPDATE shop_jobs SET queue = lower(queue);";
    JavaFileObject warned = migration("LowerQueues", "Post", "2.0.0", 1, sql);
    Compilation c = compile(v1(), warned);
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("[twostep:unbatched-backfill] post-migration 2.0.0 step 1 (LowerQueues) runs UPDATE "
        + "on existing table shop_jobs in statement 1, line 1 of the SQL").inFile(warned).onLine(5);
    JavaFileObject suppressed = migration("LowerQueues", "Post", "2.0.0", 1, sql,
        "@SuppressWarnings(\"twostep:unbatched-backfill\")");
    assertThat(compile(v1(), suppressed)).succeededWithoutWarnings();
  }

  @Test
  void schemaClassMatchesTheGoldenFile() throws IOException {
    Compilation c = compile(
        packageInfo("com.acme", "@dev.twostep.MigrationSet(name = \"Shop\")"),
        v1(),
        migration("FetchV2", "Pre", "2.0.0", 1,
            "CREATE FUNCTION shop_fetch_job_v2(p_queue text, p_min int DEFAULT 0) RETURNS bigint LANGUAGE sql AS 'SELECT 1::bigint';\n"
                + "CREATE TYPE shop_job_row_v1 AS (id bigint, queue text);\n"
                + "CREATE SCHEMA billing;\n"
                + "CREATE VIEW billing.\"OpenInvoices_v1\" AS SELECT 1 AS n;"),
        migration("DropFetchV1", "Post", "2.0.0", 1, "DROP FUNCTION shop_fetch_job_v1(text);"));
    assertThat(c).succeededWithoutWarnings();
    JavaFileObject schema = c.generatedFile(StandardLocation.SOURCE_OUTPUT, "com/acme/ShopSchema.java").orElseThrow();
    CatalogGenerationTest.assertGolden("ShopSchema.java", schema.getCharContent(true).toString());
  }

  @Test
  void schemaConstantsAreGeneratedEvenWhenARuleFailsSoTheirUsersAddNoErrors() {
    Compilation c = compile(
        packageInfo("com.acme", "@dev.twostep.MigrationSet(name = \"Shop\")"),
        v1(),
        migration("FetchV2", "Pre", "2.0.0", 1,
            "CREATE FUNCTION shop_fetch_job_v2(p_queue text) RETURNS bigint LANGUAGE sql AS 'SELECT 1::bigint';"),
        migration("DropFetchV1", "Pre", "2.0.0", 2, "DROP FUNCTION shop_fetch_job_v1(text);"),
        sourceIn("com.acme.app", "JobClient", "import com.acme.ShopSchema;",
            "final class JobClient {", "  String fetch = ShopSchema.FETCH_JOB;", "}"));
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[twostep:pre-contract]");
    // one error: the import of ShopSchema resolved (the constants were generated), no "cannot find symbol"
  }
}
