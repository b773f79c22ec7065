package dev.twostep.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.twostep.processor.Compilations.compile;
import static dev.twostep.processor.Compilations.loadCatalog;
import static dev.twostep.processor.Compilations.sqlMigration;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import dev.twostep.MigrationCatalog;
import dev.twostep.Release;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code release = "next"}: the release under development, checked like any other. */
class NextReleaseTest {
  @TempDir Path dir;

  private static final JavaFileObject SET = Compilations.packageInfo("com.acme", "@dev.twostep.MigrationSet(name = \"Shop\")");
  private static final JavaFileObject V1 = sqlMigration("CreateJobs", "Pre", "1.0.0", 1,
      "CREATE TABLE jobs (id int); CREATE FUNCTION shop_fetch_v1() RETURNS int LANGUAGE sql AS 'SELECT 1';");
  private static final JavaFileObject NEXT_1 = sqlMigration("AddQueue", "Pre", "next", 1,
      "ALTER TABLE jobs ADD COLUMN queue text;");
  private static final JavaFileObject NEXT_2 = sqlMigration("FetchV2", "Pre", "next", 2,
      "CREATE FUNCTION shop_fetch_v2() RETURNS int LANGUAGE sql AS 'SELECT 2';");

  @Test
  void nextOrdersAfterEveryNumberedReleaseAndIsTheNewestForTheSchemaConstants() throws Exception {
    JavaFileObject v2 = sqlMigration("AddPriority", "Pre", "2.0.0", 1, "ALTER TABLE jobs ADD COLUMN p int;");
    Compilation c = compile(SET, NEXT_2, v2, NEXT_1, V1);
    assertThat(c).succeededWithoutWarnings();
    MigrationCatalog catalog = loadCatalog(c, "com.acme.ShopMigrations");
    assertThat(catalog.migrations()).extracting(m -> m.release().text() + ":" + m.step())
        .containsExactly("1.0.0:1", "2.0.0:1", "next:1", "next:2");
    assertThat(catalog.migrations().get(3).release()).isSameAs(Release.NEXT);
    String schema = c.generatedFile(StandardLocation.SOURCE_OUTPUT, "com/acme/ShopSchema.java").orElseThrow()
        .getCharContent(true).toString();
    assertThat(schema).contains("FETCH = \"shop_fetch_v2\"");
  }

  @Test
  void nextIsCheckedLikeAnyRelease() {
    JavaFileObject drop = sqlMigration("DropFetchV1", "Pre", "next", 3, "DROP FUNCTION shop_fetch_v1();");
    Compilation c = compile(SET, V1, NEXT_1, NEXT_2, drop);
    assertThat(c).hadErrorContaining("[twostep:pre-contract] pre-migration next step 3 (DropFetchV1)").inFile(drop).onLine(3);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void twoPullRequestsTakingTheSameNextStepAreADuplicateOnBothNamingTheFreeStep() {
    JavaFileObject mine = sqlMigration("AddColour", "Pre", "next", 3, "ALTER TABLE jobs ADD COLUMN colour text;");
    JavaFileObject theirs = sqlMigration("AddSize", "Pre", "next", 3, "ALTER TABLE jobs ADD COLUMN size int;");
    Compilation c = compile(SET, V1, NEXT_1, NEXT_2, mine, theirs);
    assertThat(c).hadErrorContaining("[twostep:duplicate-step] pre-migration next step 3 (AddColour) has the same "
        + "release, phase and step as AddSize").inFile(mine).onLine(3);
    assertThat(c).hadErrorContaining("the next free pre step of next is 4");
    assertThat(c).hadErrorContaining("(AddSize) has the same release, phase and step as AddColour").inFile(theirs).onLine(3);
    assertThat(c).hadErrorCount(2);
  }

  @Test
  void nextMigrationsAreNeverShippedAndNeverShippedAdded() throws Exception {
    Path lock = dir.resolve("twostep.lock");
    List<String> ship = List.of("-Atwostep.lockfile=" + lock, "-Atwostep.ship=1.0.0");
    assertThat(compile(ship, SET, V1, NEXT_1, NEXT_2)).succeeded();
    assertThat(Files.readString(lock)).doesNotContain("next");
    assertThat(compile(List.of("-Atwostep.lockfile=" + lock), SET, V1, NEXT_1, NEXT_2)).succeededWithoutWarnings();
  }

  @Test
  void shippingNextOrANextEntryInTheLockFileIsAnError() throws Exception {
    Path lock = dir.resolve("twostep.lock");
    Compilation ship = compile(List.of("-Atwostep.lockfile=" + lock, "-Atwostep.ship=next"), SET, V1, NEXT_1);
    assertThat(ship).hadErrorContaining("[twostep:lock-file] -Atwostep.ship=next is not a release to ship");
    Files.writeString(lock, "next  pre    1     " + "0".repeat(64) + "  add queue\n");
    Compilation edited = compile(List.of("-Atwostep.lockfile=" + lock), SET, V1, NEXT_1);
    assertThat(edited).hadErrorContaining("a \"next\" migration is recorded, but only numbered releases are shipped");
  }

  @Test
  void checkedFromMustBeANumberedRelease() {
    Compilation c = compile(Compilations.packageInfo("com.acme",
        "@dev.twostep.MigrationSet(name = \"Shop\", checkedFrom = \"next\")"), V1, NEXT_1);
    assertThat(c).hadErrorContaining("[twostep:release-format] @MigrationSet(checkedFrom = \"next\")");
  }

  @Test
  void releaseNextComparesAfterNumberedReleases() {
    assertThat(Release.parse("next")).isSameAs(Release.NEXT);
    assertThat(Release.NEXT.compareTo(Release.parse("999.999"))).isPositive();
    assertThat(Release.parse("1").compareTo(Release.NEXT)).isNegative();
    assertThat(Release.NEXT).isEqualTo(Release.parse("next")).hasSameHashCodeAs(Release.parse("next"));
    assertThat(Release.NEXT.parts()).isEmpty();
    assertThat(Release.isValid("Next")).isFalse();
  }

  @Test
  void theChecksumDoesNotCoverTheReleaseSoAShippedNextMigrationKeepsIt() throws Exception {
    MigrationCatalog before = loadCatalog(compile(SET, V1, NEXT_1), "com.acme.ShopMigrations");
    JavaFileObject shipped = sqlMigration("AddQueue", "Pre", "1.1.0", 1, "ALTER TABLE jobs ADD COLUMN queue text;");
    MigrationCatalog after = loadCatalog(compile(SET, V1, shipped), "com.acme.ShopMigrations");
    assertThat(after.migrations().get(1).checksum()).isEqualTo(before.migrations().get(1).checksum());
  }
}
