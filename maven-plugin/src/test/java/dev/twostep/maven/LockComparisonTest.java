package dev.twostep.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.SqlStatement;
import dev.twostep.processor.internal.model.LockFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lock file against a compiled catalog: the three disagreements, and shipping. */
class LockComparisonTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);
  private static final String C = "c".repeat(64);

  private static Migration sql(String release, Phase phase, int step, String checksum) {
    return Migration.sql(release, phase, step, "step " + step, "com.acme.M" + step, checksum, true, List.of(),
        List.of(new SqlStatement(1, "SELECT 1")));
  }

  private static MigrationCatalog catalog(Migration... migrations) {
    return new MigrationCatalog() {
      @Override
      public String name() {
        return "Shop";
      }

      @Override
      public List<Migration> migrations() {
        return List.of(migrations);
      }
    };
  }

  private static LockFile lock(String... lines) throws LockFile.MalformedException {
    return LockFile.parse(String.join("\n", lines));
  }

  @Test
  void agreeingFilesHaveNoProblem() throws Exception {
    MigrationCatalog catalog = catalog(sql("1.0.0", Phase.PRE, 1, A), sql("2.0.0", Phase.PRE, 1, B));
    assertThat(LockComparison.problems(lock("1.0.0 pre 1 " + A + " step 1"), catalog)).isEmpty();
  }

  @Test
  void eachDisagreementIsNamedWithItsRule() throws Exception {
    MigrationCatalog catalog = catalog(sql("1.0.0", Phase.PRE, 1, A), sql("1.0.0", Phase.POST, 1, C));
    List<String> problems = LockComparison.problems(lock("1.0.0 pre 1 " + B + " step 1", "1.0.0 pre 2 " + A + " gone"), catalog);
    assertThat(problems).hasSize(3);
    assertThat(problems.get(0)).startsWith("[twostep:shipped-changed] pre-migration 1.0.0 step 1 (step 1) (line 1 of the lock file)")
        .contains("checksum " + B).contains("has " + A);
    assertThat(problems.get(1)).startsWith("[twostep:shipped-removed] pre-migration 1.0.0 step 2 (gone) (line 2");
    assertThat(problems.get(2)).startsWith("[twostep:shipped-added] post-migration 1.0.0 step 1 (step 1) belongs to release 1.0.0");
  }

  @Test
  void shippingAddsTheReleasesUpToTheShippedOneAndKeepsTheRest() throws Exception {
    MigrationCatalog catalog = catalog(sql("1.0.0", Phase.PRE, 1, A), sql("2.0.0", Phase.PRE, 1, B), sql("3.0.0", Phase.PRE, 1, C));
    LockFile shipped = LockComparison.ship(lock("1.0.0 pre 1 " + A + " step 1"), catalog, Release.parse("2.0.0"));
    assertThat(shipped.entries()).extracting(LockFile.Entry::release).containsExactly("1.0.0", "2.0.0");
    assertThat(shipped.entries().get(1).checksum()).isEqualTo(B);
    assertThat(LockComparison.problems(shipped, catalog)).isEmpty();
  }

  @Test
  void shippingNextRecordsItsMigrationsAsTheShippedRelease() throws Exception {
    MigrationCatalog catalog = catalog(sql("1.0.0", Phase.PRE, 1, A), sql("next", Phase.PRE, 1, B), sql("next", Phase.POST, 1, C));
    LockFile shipped = LockComparison.ship(lock("1.0.0 pre 1 " + A + " step 1"), catalog, Release.parse("1.1.0"));
    assertThat(shipped.entries()).extracting(e -> e.release() + ":" + e.phase().label() + ":" + e.checksum().charAt(0))
        .containsExactly("1.0.0:pre:a", "1.1.0:pre:b", "1.1.0:post:c");
    // the compiled catalog still says next; once recompiled it says 1.1.0 and agrees
    assertThat(LockComparison.problems(shipped, catalog(sql("1.0.0", Phase.PRE, 1, A), sql("1.1.0", Phase.PRE, 1, B),
        sql("1.1.0", Phase.POST, 1, C)))).isEmpty();
  }

  @Test
  void shipRefusesNextAsAnOldReleaseAndAReleaseWithNothingToShip() {
    MigrationCatalog withNext = catalog(sql("1.0.0", Phase.PRE, 1, A), sql("2.0.0", Phase.PRE, 1, B), sql("next", Phase.PRE, 1, C));
    assertThat(ShipMojo.refusal(withNext, Release.parse("2.0.0"))).hasValueSatisfying(r -> assertThat(r)
        .startsWith("[twostep:lock-file] cannot ship the 1 \"next\" migration of catalog Shop as release 2.0.0: it has "
            + "release 2.0.0 already").endsWith("e.g. -Dtwostep.release=2.0.1"));
    assertThat(ShipMojo.refusal(withNext, Release.parse("1.5"))).isPresent();
    assertThat(ShipMojo.refusal(withNext, Release.parse("2.0.0.1"))).isEmpty();
    assertThat(ShipMojo.refusal(withNext, Release.parse("2.1"))).isEmpty();

    MigrationCatalog numbered = catalog(sql("1.0.0", Phase.PRE, 1, A), sql("2.0.0", Phase.PRE, 1, B));
    assertThat(ShipMojo.refusal(numbered, Release.parse("2.0"))).isEmpty();
    assertThat(ShipMojo.refusal(numbered, Release.parse("3.0.0"))).hasValue("[twostep:lock-file] catalog Shop has no "
        + "\"next\" migration and no migration of release 3.0.0: nothing to ship. Check -Dtwostep.release (its newest "
        + "release is 2.0.0)");
  }
}
