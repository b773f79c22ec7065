package dev.twostep.runtime;

import static dev.twostep.Phase.POST;
import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VerifyTest extends RuntimeTestSupport {
  private static final TestCatalog ORIGINAL = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id int)"),
      sql("1.0.0", POST, 1, "fill jobs", "INSERT INTO jobs VALUES (1)"),
      sql("2.0.0", PRE, 1, "add priority", "ALTER TABLE jobs ADD COLUMN priority int"));
  private static final TestCatalog EDITED = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id bigint)"),
      sql("1.0.0", POST, 1, "fill jobs", "INSERT INTO jobs VALUES (1)"),
      sql("2.0.0", PRE, 1, "add priority", "ALTER TABLE jobs ADD COLUMN priority int"));

  @Test
  void aChangedChecksumIsRefusedByMigrateAndReportedByVerify() throws Exception {
    twostep(ORIGINAL).build().migrate(Target.parse("1.0.0"));
    Twostep edited = twostep(EDITED).build();
    String found = ORIGINAL.migrations().get(0).checksum();
    String expected = EDITED.migrations().get(0).checksum();

    assertThatThrownBy(() -> edited.migrate(Target.parse("pre")))
        .isInstanceOf(TwostepException.class)
        .hasMessageContaining("1.0.0:pre #1 create jobs was applied with checksum " + found
            + " but the catalog has " + expected)
        .hasMessageContaining("Never edit a shipped migration: restore its original text and put the change into a new migration");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:post#1");

    VerifyReport report = edited.verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.applied()).isEqualTo(1);
    assertThat(report.drift()).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(Drift.Kind.CHECKSUM_MISMATCH);
      assertThat(d.migration()).isEqualTo("1.0.0:pre #1 create jobs");
    });
    assertThat(edited.status().drift()).singleElement().satisfies(e -> {
      assertThat(e.state()).isEqualTo(StatusEntry.State.DRIFT);
      assertThat(e.drift()).hasValue(Drift.Kind.CHECKSUM_MISMATCH);
      assertThat(e.label()).isEqualTo("checksum mismatch");
    });
    assertThat(edited.plan(Target.parse("pre")).refused()).isTrue();
    assertThat(twostep(ORIGINAL).build().verify().ok()).isTrue();
  }

  @Test
  void historyRowsUnknownToTheCatalogAreReported() throws Exception {
    twostep(ORIGINAL).build().migrate(Target.parse("pre"));
    execute("INSERT INTO twostep_history (release, phase, step, description, checksum, kind, execution_ms) VALUES "
        + "('1.0.0', 'pre', 2, 'removed step', 'abc', 'sql', 1), "
        + "('3.0.0', 'pre', 1, 'from the future', 'def', 'sql', 1)");
    Twostep twostep = twostep(ORIGINAL).build();

    VerifyReport report = twostep.verify();

    assertThat(report.applied()).isEqualTo(3);
    assertThat(report.drift()).extracting(Drift::kind, Drift::migration).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Drift.Kind.UNKNOWN_MIGRATION, "1.0.0:pre #2 removed step"),
        org.assertj.core.groups.Tuple.tuple(Drift.Kind.UNKNOWN_RELEASE, "3.0.0:pre #1 from the future"));
    assertThat(report.drift().get(1).message()).contains("newer than catalog Test knows");
    // status and verify share one vocabulary: the entries carry the kinds verify reports
    assertThat(twostep.status().drift()).extracting(StatusEntry::displayName, e -> e.drift().orElseThrow(), StatusEntry::label)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1.0.0:pre #2 removed step", Drift.Kind.UNKNOWN_MIGRATION, "unknown"),
            org.assertj.core.groups.Tuple.tuple("3.0.0:pre #1 from the future", Drift.Kind.UNKNOWN_RELEASE, "unknown"));
    assertThat(twostep.status().drift()).allSatisfy(e -> assertThat(e.migration()).isEmpty());
    assertThat(twostep.status().state()).hasToString("3.0.0:pre");
  }

  @Test
  void aMigrationAddedToAnAlreadyAppliedReleaseIsDrift() throws Exception {
    twostep(ORIGINAL).build().migrate(Target.parse("2.0.0:pre"));
    TestCatalog added = TestCatalog.of(
        sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id int)"),
        sql("1.0.0", PRE, 2, "late index", "CREATE INDEX jobs_id ON jobs (id)"),
        sql("1.0.0", POST, 1, "fill jobs", "INSERT INTO jobs VALUES (1)"),
        sql("2.0.0", PRE, 1, "add priority", "ALTER TABLE jobs ADD COLUMN priority int"),
        sql("2.0.0", PRE, 2, "still pending", "ALTER TABLE jobs ADD COLUMN queue text"),
        sql("2.0.0", POST, 1, "pending post", "UPDATE jobs SET queue = 'q'"));
    Twostep twostep = twostep(added).build();

    VerifyReport report = twostep.verify();

    assertThat(report.ok()).isFalse();
    assertThat(report.applied()).isEqualTo(3);
    // 2.0.0:pre #2 and the post come after the last applied migration: pending, not drift
    assertThat(report.drift()).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(Drift.Kind.ADDED_TO_APPLIED_RELEASE);
      assertThat(d.migration()).isEqualTo("1.0.0:pre #2 late index");
      assertThat(d.message()).startsWith("the history row of 1.0.0:pre #2 late index is missing, although the later "
          + "2.0.0:pre #1 add priority has one: the row was deleted, or the migration was added to a release that had "
          + "already been applied.").endsWith("An added migration: move it to a new release.");
    });
    assertThatThrownBy(() -> twostep.migrate(Target.parse("post")))
        .isInstanceOf(TwostepException.class)
        .hasMessageContaining("1.0.0:pre #2 late index is not applied, but the later 2.0.0:pre #1 add priority is");
    StatusReport status = twostep.status();
    assertThat(status.drift()).extracting(StatusEntry::displayName).containsExactly("1.0.0:pre #2 late index");
    assertThat(status.pending()).extracting(StatusEntry::displayName)
        .containsExactly("2.0.0:pre #2 still pending", "2.0.0:post #1 pending post");
    assertThat(twostep(ORIGINAL).build().verify().ok()).isTrue();
  }
}
