package dev.twostep.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.twostep.processor.Compilations.compile;
import static dev.twostep.processor.Compilations.sqlMigration;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock file of shipped releases: shipping, unchanged builds, the three errors, bad files. */
class ShippedReleasesTest {
  @TempDir Path dir;

  private static final JavaFileObject SET = Compilations.packageInfo("com.acme", "@dev.twostep.MigrationSet(name = \"Shop\")");
  private static final JavaFileObject A = sqlMigration("CreateJobs", "Pre", "1.0.0", 1, "CREATE TABLE jobs (id int);");
  private static final JavaFileObject B = sqlMigration("CreateQueues", "Post", "1.0.0", 1, "CREATE TABLE queues (id int);");
  private static final JavaFileObject C = sqlMigration("AddPriority", "Pre", "2.0.0", 1, "ALTER TABLE jobs ADD COLUMN p int;");

  private List<String> options(String... extra) {
    List<String> out = new java.util.ArrayList<>(List.of("-Atwostep.lockfile=" + dir.resolve("twostep.lock")));
    out.addAll(List.of(extra));
    return out;
  }

  private Path lock() {
    return dir.resolve("twostep.lock");
  }

  private void ship100() {
    Compilation c = compile(options("-Atwostep.ship=1.0.0"), SET, A, B, C);
    assertThat(c).succeeded();
    assertThat(c).hadNoteContaining("recorded release 1.0.0 as shipped");
  }

  @Test
  void shippingWritesASortedReadableFileWithOnlyShippedReleases() throws Exception {
    ship100();
    String text = Files.readString(lock());
    assertThat(text).startsWith("# Twostep lock file");
    List<String> entries = text.lines().filter(l -> !l.startsWith("#")).toList();
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0)).matches("1\\.0\\.0  pre    1     [0-9a-f]{64}  create jobs");
    assertThat(entries.get(1)).matches("1\\.0\\.0  post   1     [0-9a-f]{64}  create queues");
  }

  private static JavaFileObject backfill(String... body) {
    List<String> lines = new java.util.ArrayList<>(List.of(
        "@PreMigration(release = \"1.0.0\", step = 2)",
        "final class Backfill implements JavaMigration, NonTransactional {"));
    lines.addAll(List.of(body));
    lines.add("}");
    return Compilations.source("Backfill", lines.toArray(new String[0]));
  }

  private static final JavaFileObject BACKFILL = backfill(
      "  @Override public void migrate(MigrationContext context) throws Exception {",
      "    context.inBatches(\"UPDATE jobs SET id = id WHERE id IN (SELECT id FROM jobs LIMIT 1000)\");",
      "  }");

  @Test
  void editingTheCodeOfAShippedJavaMigrationIsAnError() throws Exception {
    assertThat(compile(options("-Atwostep.ship=1.0.0"), SET, A, BACKFILL, B, C)).succeeded();
    JavaFileObject edited = backfill(
        "  @Override public void migrate(MigrationContext context) throws Exception {",
        "    context.inBatches(\"UPDATE jobs SET id = id WHERE id IN (SELECT id FROM jobs LIMIT 50000)\");",
        "  }");
    Compilation c = compile(options(), SET, A, edited, B, C);
    assertThat(c).hadErrorContaining("[twostep:shipped-changed] pre-migration 1.0.0 step 2 (Backfill) was changed after "
        + "release 1.0.0 shipped").inFile(edited).onLine(4);
    assertThat(c).hadErrorContaining("Restore the shipped code of the class");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void reformattingOrCommentingAShippedJavaMigrationIsNoChange() throws Exception {
    assertThat(compile(options("-Atwostep.ship=1.0.0"), SET, A, BACKFILL, B, C)).succeeded();
    JavaFileObject reformatted = backfill(
        "  /** Touches every job, in batches. */",
        "  @Override",
        "  public void migrate(MigrationContext context) throws Exception {",
        "    // 1000 rows per transaction",
        "    context.inBatches(",
        "        \"UPDATE jobs SET id = id WHERE id IN (SELECT id FROM jobs LIMIT 1000)\");",
        "  }");
    assertThat(compile(options(), SET, A, reformatted, B, C)).succeededWithoutWarnings();
  }

  @Test
  void unchangedBuildPassesAndDoesNotRewriteTheFile() throws Exception {
    ship100();
    Files.writeString(lock(), Files.readString(lock()) + "# a comment a reviewer added\n");
    String before = Files.readString(lock());
    assertThat(compile(options(), SET, A, B, C)).succeededWithoutWarnings();
    assertThat(Files.readString(lock())).isEqualTo(before);
  }

  @Test
  void shippingKeepsExistingEntries() throws Exception {
    ship100();
    String before = Files.readString(lock());
    assertThat(compile(options("-Atwostep.ship=2.0.0"), SET, A, B, C)).succeeded();
    String after = Files.readString(lock());
    assertThat(after.lines().filter(l -> !l.startsWith("#"))).hasSize(3);
    assertThat(after).contains(before.lines().filter(l -> l.startsWith("1.0.0")).toList().get(0));
  }

  @Test
  void changedShippedMigrationIsAnErrorOnTheClass() throws Exception {
    ship100();
    JavaFileObject edited = sqlMigration("CreateJobs", "Pre", "1.0.0", 1, "CREATE TABLE jobs (id bigint);");
    Compilation c = compile(options(), SET, edited, B, C);
    assertThat(c).hadErrorContaining("[twostep:shipped-changed] pre-migration 1.0.0 step 1 (CreateJobs) was changed after release 1.0.0 shipped")
        .inFile(edited).onLine(3);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void addedMigrationInShippedReleaseIsAnError() throws Exception {
    ship100();
    JavaFileObject late = sqlMigration("LateOne", "Pre", "1.0.0", 2, "CREATE TABLE late (id int);");
    Compilation c = compile(options(), SET, A, B, C, late);
    assertThat(c).hadErrorContaining("[twostep:shipped-added] pre-migration 1.0.0 step 2 (LateOne) belongs to release 1.0.0, but releases up to 1.0.0 have shipped")
        .inFile(late).onLine(3);
    JavaFileObject older = sqlMigration("Older", "Pre", "0.9", 1, "CREATE TABLE older (id int);");
    assertThat(compile(options(), SET, A, B, C, older)).hadErrorContaining("[twostep:shipped-added]").inFile(older).onLine(3);
  }

  @Test
  void removedMigrationIsAnErrorOnTheMigrationSet() throws Exception {
    ship100();
    Compilation c = compile(options(), SET, A, C);
    assertThat(c).hadErrorContaining("[twostep:shipped-removed] post-migration 1.0.0 step 1 (create queues) is listed in the lock file as shipped")
        .inFile(SET).onLine(1);
  }

  @Test
  void removedMigrationWithoutMigrationSetIsAPlainError() throws Exception {
    ship100();
    Compilation c = compile(options(), A, C);
    assertThat(c).hadErrorContaining("[twostep:shipped-removed] post-migration 1.0.0 step 1 (create queues)");
  }

  @Test
  void malformedLockFileIsAClearErrorNotACrash() throws Exception {
    Files.writeString(lock(), "# Twostep lock file\n1.0.0 pre one deadbeef create jobs\n");
    Compilation c = compile(options(), SET, A);
    assertThat(c).hadErrorContaining("[twostep:lock-file] lock file " + lock() + ", line 2: \"one\" is not a step");
    Files.writeString(lock(), "1.0.0 pre 1 " + "a".repeat(64) + " x\n1.0 pre 1 " + "b".repeat(64) + " y\n");
    assertThat(compile(options(), SET, A)).hadErrorContaining("line 2: lists pre-migration 1.0 step 1 again (first on line 1)");
  }

  @Test
  void missingLockFileWarns() {
    Compilation c = compile(options(), SET, A);
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("[twostep:lock-file] lock file " + lock() + " does not exist");
  }

  @Test
  void shipNeedsALockFileAndAKnownRelease() {
    assertThat(compile(List.of("-Atwostep.ship=1.0.0"), SET, A)).hadErrorContaining("-Atwostep.ship needs -Atwostep.lockfile");
    assertThat(compile(options("-Atwostep.ship=3.0"), SET, A)).hadErrorContaining("names a release that has no migration");
    assertThat(Files.exists(lock())).isFalse();
  }
}
