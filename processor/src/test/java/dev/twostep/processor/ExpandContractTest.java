package dev.twostep.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.twostep.processor.Compilations.compile;
import static dev.twostep.processor.Compilations.loadCatalog;
import static dev.twostep.processor.Compilations.source;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import dev.twostep.ExpandBackfill;
import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.Phase;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * {@code @RenameColumn} through javac: the expansion passes every rule, lands in the catalog as
 * ordinary migrations (with checksums, shown by {@code plan}), later migrations see the renamed
 * column, and what a user can get wrong is an {@code expand-contract} error on the annotation.
 */
class ExpandContractTest {
  private static final String V1 = "CREATE TABLE shop_jobs (id bigserial PRIMARY KEY, queue text NOT NULL, note varchar(20));";

  private static JavaFileObject v1() {
    return Compilations.sqlMigration("CreateJobs", "Pre", "1.0.0", 1, V1);
  }

  /** A {@code @RenameColumn} on line 3 of its file. */
  private static JavaFileObject rename(String name, String release, int step, String table, String from, String to) {
    return source(name,
        "@RenameColumn(release = \"" + release + "\", step = " + step + ", table = \"" + table + "\", from = \"" + from
            + "\", to = \"" + to + "\")",
        "final class " + name + " {}");
  }

  @Test
  void aRenamePassesEveryRuleAndBecomesAPreAndAPostMigration() throws Exception {
    Compilation c = compile(v1(), rename("RenameQueue", "2.0.0", 1, "shop_jobs", "queue", "queue_name"));
    assertThat(c).succeededWithoutWarnings();
    MigrationCatalog catalog = loadCatalog(c, "com.acme.TwostepMigrations");
    List<Migration> migrations = catalog.migrations();
    assertThat(migrations).hasSize(3);

    Migration pre = migrations.get(1);
    assertThat(pre.phase()).isEqualTo(Phase.PRE);
    assertThat(pre.step()).isEqualTo(1);
    assertThat(pre.className()).isEqualTo("com.acme.RenameQueue");
    assertThat(pre.isJava()).isTrue();
    assertThat(pre.transactional()).isFalse();
    assertThat(pre.javaFactory().get()).isInstanceOf(ExpandBackfill.class);
    assertThat(pre.statements()).extracting(s -> s.sql().lines().filter(l -> !l.startsWith("--")).findFirst().orElseThrow())
        .containsExactly(
            "ALTER TABLE shop_jobs ADD COLUMN queue_name text",
            "ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_queue_name_not_null CHECK (queue_name IS NOT NULL) NOT VALID",
            "CREATE FUNCTION shop_jobs_sync_queue_name() RETURNS trigger",
            "CREATE TRIGGER shop_jobs_sync_queue_name BEFORE INSERT OR UPDATE ON shop_jobs",
            "WITH batch AS (");
    assertThat(pre.statements().get(4).sql()).contains("UPDATE shop_jobs SET queue_name = queue FROM progress");
    assertThat(pre.checksum()).matches("[0-9a-f]{64}");

    Migration post = migrations.get(2);
    assertThat(post.phase()).isEqualTo(Phase.POST);
    assertThat(post.step()).isEqualTo(1);
    assertThat(post.isJava()).isFalse();
    assertThat(post.transactional()).as("VALIDATE commits before SET NOT NULL locks").isFalse();
    assertThat(post.statements()).extracting(s -> s.sql().lines().filter(l -> !l.startsWith("--")).findFirst().orElseThrow())
        .containsExactly(
            "ALTER TABLE shop_jobs VALIDATE CONSTRAINT shop_jobs_queue_name_not_null",
            "ALTER TABLE shop_jobs ALTER COLUMN queue_name SET NOT NULL",
            "ALTER TABLE shop_jobs DROP CONSTRAINT IF EXISTS shop_jobs_queue_name_not_null",
            "DROP TRIGGER IF EXISTS shop_jobs_sync_queue_name ON shop_jobs",
            "DROP FUNCTION IF EXISTS shop_jobs_sync_queue_name()",
            "ALTER TABLE shop_jobs DROP COLUMN IF EXISTS queue");
  }

  @Test
  void aNullableColumnNeedsNoCheckAndItsPostRunsInOneTransaction() throws Exception {
    Compilation c = compile(v1(), rename("RenameNote", "2.0.0", 1, "public.shop_jobs", "note", "remark"));
    assertThat(c).succeededWithoutWarnings();
    List<Migration> migrations = loadCatalog(c, "com.acme.TwostepMigrations").migrations();
    assertThat(migrations.get(1).sql()).contains("ADD COLUMN remark character varying(20);").doesNotContain("CHECK");
    assertThat(migrations.get(2).transactional()).isTrue();
    assertThat(migrations.get(2).sql()).doesNotContain("NOT NULL");
  }

  @Test
  void laterMigrationsSeeTheRenamedColumn() {
    // 3.0.0 renames the column 2.0.0 renamed: only possible if the expansion told the catalog
    Compilation c = compile(v1(), rename("RenameQueue", "2.0.0", 1, "shop_jobs", "queue", "queue_name"),
        rename("RenameAgain", "3.0.0", 1, "shop_jobs", "queue_name", "lane"),
        Compilations.sqlMigration("IndexLane", "Pre", "3.0.0", 2, "CREATE INDEX CONCURRENTLY jobs_lane ON shop_jobs (lane);"));
    assertThat(c).succeededWithoutWarnings();
  }

  @Test
  void theOldColumnIsGoneAfterPost() {
    JavaFileObject rename = rename("RenameQueue", "2.0.0", 1, "shop_jobs", "queue", "queue_name");
    JavaFileObject again = rename("RenameQueueAgain", "3.0.0", 1, "shop_jobs", "queue", "lane");
    Compilation c = compile(v1(), rename, again);
    assertThat(c).hadErrorContaining("[twostep:expand-contract] @RenameColumn of release 3.0.0 step 1 (RenameQueueAgain) "
        + "changes column queue of shop_jobs, which the migrations before it do not define (columns so far: id, note, "
        + "queue_name)").inFile(again).onLine(3);
  }

  @Test
  void anUnknownTable() {
    JavaFileObject bad = rename("RenameQueue", "2.0.0", 1, "shop_job", "queue", "queue_name");
    Compilation c = compile(v1(), bad);
    assertThat(c).hadErrorContaining("[twostep:expand-contract] @RenameColumn of release 2.0.0 step 1 (RenameQueue) changes "
        + "table shop_job, which no migration before it creates (tables so far: public.shop_jobs)").inFile(bad).onLine(3);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void aTableCreatedLater() {
    JavaFileObject bad = rename("RenameQueue", "0.9", 1, "shop_jobs", "queue", "queue_name");
    assertThat(compile(v1(), bad)).hadErrorContaining("[twostep:expand-contract] @RenameColumn of release 0.9 step 1 "
        + "(RenameQueue) changes table shop_jobs, which no migration before it creates").inFile(bad).onLine(3);
  }

  @Test
  void anUnknownColumn() {
    JavaFileObject bad = rename("RenameQueue", "2.0.0", 1, "shop_jobs", "queues", "queue_name");
    assertThat(compile(v1(), bad)).hadErrorContaining("[twostep:expand-contract] @RenameColumn of release 2.0.0 step 1 "
        + "(RenameQueue) changes column queues of shop_jobs, which the migrations before it do not define "
        + "(columns so far: id, queue, note)").inFile(bad).onLine(3);
  }

  @Test
  void aNewNameThatIsTaken() {
    JavaFileObject bad = rename("RenameQueue", "2.0.0", 1, "shop_jobs", "queue", "note");
    assertThat(compile(v1(), bad)).hadErrorContaining("[twostep:expand-contract] @RenameColumn of release 2.0.0 step 1 "
        + "(RenameQueue) renames to note, but shop_jobs already has a column note").inFile(bad).onLine(3);
  }

  @Test
  void twoOperationsOnOneColumnInARelease() {
    JavaFileObject first = rename("RenameQueue", "2.0.0", 1, "shop_jobs", "queue", "queue_name");
    JavaFileObject second = rename("RenameQueueToo", "2.0.0", 2, "shop_jobs", "queue", "lane");
    Compilation c = compile(v1(), first, second);
    assertThat(c).hadErrorContaining("[twostep:expand-contract] @RenameColumn of release 2.0.0 step 1 (RenameQueue) and "
        + "com.acme.RenameQueueToo both change column queue of shop_jobs in release 2.0.0").inFile(first).onLine(3);
    assertThat(c).hadErrorContaining("[twostep:expand-contract] @RenameColumn of release 2.0.0 step 2 (RenameQueueToo) and "
        + "com.acme.RenameQueue both change column queue of shop_jobs in release 2.0.0").inFile(second).onLine(3);
  }

  @Test
  void theOldColumnDroppedByHandInTheSameRelease() {
    JavaFileObject op = rename("RenameQueue", "2.0.0", 1, "shop_jobs", "queue", "queue_name");
    JavaFileObject drop = Compilations.sqlMigration("DropQueue", "Post", "2.0.0", 2, "ALTER TABLE shop_jobs DROP COLUMN queue;");
    assertThat(compile(v1(), op, drop)).hadErrorContaining("[twostep:expand-contract] @RenameColumn of release 2.0.0 step 1 "
        + "(RenameQueue) changes column queue of shop_jobs, which post-migration 2.0.0 step 2 (DropQueue) also drops, "
        + "renames or retypes by hand (ALTER TABLE at line 1 of its SQL)").inFile(op).onLine(3);
  }

  @Test
  void itsStepIsCheckedLikeAHandWrittenOne() {
    JavaFileObject op = rename("RenameQueue", "2.0.0", 1, "shop_jobs", "queue", "queue_name");
    JavaFileObject other = Compilations.sqlMigration("AddThing", "Pre", "2.0.0", 1, "CREATE TABLE things (id int);");
    assertThat(compile(v1(), op, other)).hadErrorContaining("[twostep:duplicate-step] pre-migration 2.0.0 step 1 "
        + "(RenameQueue) has the same release, phase and step as AddThing").inFile(op).onLine(3);
  }

  /** A {@code @SetNotNull} on line 3 of its file. */
  private static JavaFileObject setNotNull(String name, String release, int step, String column, String backfill) {
    return source(name,
        "@SetNotNull(release = \"" + release + "\", step = " + step + ", table = \"shop_jobs\", column = \"" + column
            + "\", backfill = \"" + backfill.replace("\"", "\\\"") + "\")",
        "final class " + name + " {}");
  }

  @Test
  void setNotNullWithABackfillPassesEveryRule() throws Exception {
    Compilation c = compile(v1(), setNotNull("NoteRequired", "2.0.0", 1, "note", "'none'"));
    assertThat(c).succeededWithoutWarnings();
    List<Migration> migrations = loadCatalog(c, "com.acme.TwostepMigrations").migrations();
    Migration pre = migrations.get(1);
    assertThat(pre.isJava()).isTrue();
    assertThat(pre.transactional()).isFalse();
    assertThat(pre.javaFactory().get()).isInstanceOf(ExpandBackfill.class);
    assertThat(pre.statements()).extracting(s -> s.sql().lines().filter(l -> !l.startsWith("--")).findFirst().orElseThrow())
        .containsExactly(
            "CREATE FUNCTION shop_jobs_fill_note() RETURNS trigger",
            "CREATE TRIGGER shop_jobs_fill_note BEFORE INSERT OR UPDATE ON shop_jobs",
            "ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_note_not_null CHECK (note IS NOT NULL) NOT VALID",
            "WITH batch AS (");
    assertThat(pre.statements().get(0).sql()).contains("NEW.note := (SELECT 'none' FROM (SELECT NEW.*) AS shop_jobs);");
    assertThat(pre.statements().get(3).sql()).contains("AND note IS NULL").contains("UPDATE shop_jobs SET note = 'none'");
    Migration post = migrations.get(2);
    assertThat(post.transactional()).isFalse();
    assertThat(post.statements()).extracting(s -> s.sql().lines().filter(l -> !l.startsWith("--")).findFirst().orElseThrow())
        .containsExactly(
            "ALTER TABLE shop_jobs VALIDATE CONSTRAINT shop_jobs_note_not_null",
            "ALTER TABLE shop_jobs ALTER COLUMN note SET NOT NULL",
            "ALTER TABLE shop_jobs DROP CONSTRAINT IF EXISTS shop_jobs_note_not_null",
            "DROP TRIGGER IF EXISTS shop_jobs_fill_note ON shop_jobs",
            "DROP FUNCTION IF EXISTS shop_jobs_fill_note()");
  }

  @Test
  void setNotNullWithoutABackfillIsOneCheckInPre() throws Exception {
    Compilation c = compile(v1(), setNotNull("NoteRequired", "2.0.0", 1, "note", ""));
    assertThat(c).succeededWithoutWarnings();
    Migration pre = loadCatalog(c, "com.acme.TwostepMigrations").migrations().get(1);
    assertThat(pre.isJava()).isFalse();
    assertThat(pre.transactional()).isTrue();
    assertThat(pre.statements()).hasSize(1);
    assertThat(pre.sql()).contains("ADD CONSTRAINT shop_jobs_note_not_null CHECK (note IS NOT NULL) NOT VALID");
  }

  @Test
  void setNotNullOfAColumnThatAlreadyIs() {
    JavaFileObject bad = setNotNull("QueueRequired", "2.0.0", 1, "queue", "");
    assertThat(compile(v1(), bad)).hadErrorContaining("[twostep:expand-contract] @SetNotNull of release 2.0.0 step 1 "
        + "(QueueRequired) makes column queue of shop_jobs NOT NULL, which it already is at 2.0.0").inFile(bad).onLine(3);
  }

  @Test
  void aBackfillThatReadsAnotherTable() {
    JavaFileObject bad = setNotNull("NoteRequired", "2.0.0", 1, "note", "(SELECT name FROM owners LIMIT 1)");
    JavaFileObject qualified = setNotNull("NoteFromOwner", "3.0.0", 1, "note", "owners.name");
    Compilation c = compile(v1(), bad, qualified);
    assertThat(c).hadErrorContaining("[twostep:expand-contract] @SetNotNull of release 2.0.0 step 1 (NoteRequired) has "
        + "backfill \"(SELECT name FROM owners LIMIT 1)\", which reads beyond the row of shop_jobs (SELECT)")
        .inFile(bad).onLine(3);
    assertThat(c).hadErrorContaining("has backfill \"owners.name\", which reads beyond the row of shop_jobs (owners.name)")
        .inFile(qualified).onLine(3);
  }

  @Test
  void aBackfillOverTheRowItselfIsFine() {
    assertThat(compile(v1(), setNotNull("NoteRequired", "2.0.0", 1, "note", "coalesce(shop_jobs.queue, lower(queue))")))
        .succeededWithoutWarnings();
  }

  private static final String CUSTOMERS = "CREATE TABLE customers (id bigint PRIMARY KEY, email text); "
      + "ALTER TABLE shop_jobs ADD COLUMN customer_id bigint;";

  @Test
  void aForeignKeyIsNotValidInPreAndValidatedInPost() throws Exception {
    JavaFileObject op = source("JobsBelongToCustomers",
        "@AddForeignKey(release = \"2.0.0\", step = 1, table = \"shop_jobs\", columns = \"customer_id\", "
            + "references = \"customers (id)\")",
        "final class JobsBelongToCustomers {}");
    Compilation c = compile(v1(), Compilations.sqlMigration("Customers", "Pre", "1.0.0", 2, CUSTOMERS), op);
    assertThat(c).succeededWithoutWarnings();
    List<Migration> migrations = loadCatalog(c, "com.acme.TwostepMigrations").migrations();
    Migration pre = migrations.get(2);
    assertThat(pre.transactional()).isTrue();
    assertThat(pre.statements()).hasSize(1);
    assertThat(pre.sql()).contains("ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_customer_id_fkey FOREIGN KEY "
        + "(customer_id) REFERENCES customers (id) NOT VALID;");
    Migration post = migrations.get(3);
    assertThat(post.phase()).isEqualTo(Phase.POST);
    assertThat(post.sql()).contains("ALTER TABLE shop_jobs VALIDATE CONSTRAINT shop_jobs_customer_id_fkey;");
  }

  @Test
  void aForeignKeyToATableThatDoesNotExist() {
    JavaFileObject op = source("JobsBelongToCustomers",
        "@AddForeignKey(release = \"2.0.0\", step = 1, table = \"shop_jobs\", columns = \"id\", "
            + "references = \"clients (id)\")",
        "final class JobsBelongToCustomers {}");
    assertThat(compile(v1(), op)).hadErrorContaining("[twostep:expand-contract] @AddForeignKey of release 2.0.0 step 1 "
        + "(JobsBelongToCustomers) references clients (id), a table no migration before it creates").inFile(op).onLine(3);
  }

  @Test
  void aUniqueConstraintIsAnIndexBuiltConcurrentlyInPreAndUsedInPost() throws Exception {
    JavaFileObject op = source("OneJobPerNote",
        "@AddUniqueConstraint(release = \"2.0.0\", step = 1, table = \"shop_jobs\", columns = {\"queue\", \"note\"})",
        "final class OneJobPerNote {}");
    Compilation c = compile(v1(), op);
    assertThat(c).succeededWithoutWarnings();
    List<Migration> migrations = loadCatalog(c, "com.acme.TwostepMigrations").migrations();
    Migration pre = migrations.get(1);
    assertThat(pre.transactional()).isFalse();
    assertThat(pre.statements()).hasSize(1);
    assertThat(pre.sql()).contains("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS shop_jobs_queue_note_key ON shop_jobs "
        + "(queue, note);");
    assertThat(migrations.get(2).sql()).contains(
        "ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_queue_note_key UNIQUE USING INDEX shop_jobs_queue_note_key;");
  }

  @Test
  void aUniqueConstraintOnAColumnThatDoesNotExist() {
    JavaFileObject op = source("OneJobPerNote",
        "@AddUniqueConstraint(release = \"2.0.0\", step = 1, table = \"shop_jobs\", columns = \"notes\")",
        "final class OneJobPerNote {}");
    assertThat(compile(v1(), op)).hadErrorContaining("[twostep:expand-contract] @AddUniqueConstraint of release 2.0.0 "
        + "step 1 (OneJobPerNote) changes column notes of shop_jobs, which the migrations before it do not define")
        .inFile(op).onLine(3);
  }

  @Test
  void aTypeChangeIsAShadowColumnBridgedAndSwappedInPost() throws Exception {
    JavaFileObject op = source("NoteAsText",
        "@ChangeColumnType(release = \"2.0.0\", step = 1, table = \"shop_jobs\", column = \"queue\", type = \"varchar(40)\","
            + " using = \"upper(queue)\")",
        "final class NoteAsText {}");
    Compilation c = compile(v1(), op);
    assertThat(c).succeededWithoutWarnings();
    List<Migration> migrations = loadCatalog(c, "com.acme.TwostepMigrations").migrations();
    Migration pre = migrations.get(1);
    assertThat(pre.isJava()).isTrue();
    assertThat(pre.statements()).extracting(s -> s.sql().lines().filter(l -> !l.startsWith("--")).findFirst().orElseThrow())
        .containsExactly(
            "ALTER TABLE shop_jobs ADD COLUMN twostep_new_queue varchar(40)",
            "ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_twostep_new_queue_not_null CHECK (twostep_new_queue IS NOT NULL) "
                + "NOT VALID",
            "CREATE FUNCTION shop_jobs_sync_twostep_new_queue() RETURNS trigger",
            "CREATE TRIGGER shop_jobs_sync_twostep_new_queue BEFORE INSERT OR UPDATE ON shop_jobs",
            "WITH batch AS (");
    assertThat(pre.statements().get(2).sql()).contains("NEW.twostep_new_queue := (SELECT upper(queue) FROM (SELECT NEW.*) AS shop_jobs);");
    assertThat(pre.statements().get(4).sql()).contains("UPDATE shop_jobs SET twostep_new_queue = upper(queue) FROM progress");
    Migration post = migrations.get(2);
    assertThat(post.transactional()).as("the swap is atomic").isTrue();
    assertThat(post.statements()).extracting(s -> s.sql().lines().filter(l -> !l.startsWith("--")).findFirst().orElseThrow())
        .containsExactly(
            "ALTER TABLE shop_jobs VALIDATE CONSTRAINT shop_jobs_twostep_new_queue_not_null",
            "ALTER TABLE shop_jobs ALTER COLUMN twostep_new_queue SET NOT NULL",
            "ALTER TABLE shop_jobs DROP CONSTRAINT shop_jobs_twostep_new_queue_not_null",
            "DROP TRIGGER shop_jobs_sync_twostep_new_queue ON shop_jobs",
            "DROP FUNCTION shop_jobs_sync_twostep_new_queue()",
            "ALTER TABLE shop_jobs DROP COLUMN queue",
            "ALTER TABLE shop_jobs RENAME COLUMN twostep_new_queue TO queue");
  }

  @Test
  void aUsingThatReadsAnotherTable() {
    JavaFileObject op = source("NoteAsText",
        "@ChangeColumnType(release = \"2.0.0\", step = 1, table = \"shop_jobs\", column = \"queue\", type = \"int\","
            + " using = \"(SELECT id FROM queues q WHERE q.name = queue)\")",
        "final class NoteAsText {}");
    assertThat(compile(v1(), op)).hadErrorContaining("[twostep:expand-contract] @ChangeColumnType of release 2.0.0 step 1 "
        + "(NoteAsText) has using \"(SELECT id FROM queues q WHERE q.name = queue)\", which reads beyond the row of "
        + "shop_jobs (SELECT)").inFile(op).onLine(3);
  }
}
