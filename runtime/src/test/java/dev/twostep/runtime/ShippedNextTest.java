package dev.twostep.runtime;

import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.Migration;
import dev.twostep.runtime.cli.TwostepCommandLine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A development database that applied {@code next} migrations, after {@code ship} renamed them to
 * 1.1.0: it recognises them by checksum, runs nothing again and re-keys their rows once.
 */
class ShippedNextTest extends RuntimeTestSupport {
  private static final Migration CREATE = sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id int)");
  private static final String ADD_QUEUE = "ALTER TABLE jobs ADD COLUMN queue text";
  private static final String ADD_SIZE = "ALTER TABLE jobs ADD COLUMN size int";

  /** Before the ship: two pull requests' migrations under next. */
  private static final TestCatalog BEFORE = TestCatalog.of(CREATE,
      sql("next", PRE, 1, "add queue", ADD_QUEUE), sql("next", PRE, 2, "add size", ADD_SIZE));
  /** After the ship of 1.1.0, with a third pull request's next migration merged since. */
  private static final TestCatalog AFTER = TestCatalog.of(CREATE,
      sql("1.1.0", PRE, 1, "add queue", ADD_QUEUE), sql("1.1.0", PRE, 2, "add size", ADD_SIZE),
      sql("next", PRE, 1, "add owner", "ALTER TABLE jobs ADD COLUMN owner text"));

  @Test
  void readOnlyCommandsTreatShippedNextRowsAsAppliedAndTheNextDeployReKeysThemOnce() throws Exception {
    twostep(BEFORE).build().migrate(Target.parse("pre"));
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "next:pre#1", "next:pre#2");
    Twostep after = twostep(AFTER).build();

    StatusReport status = after.status();
    assertThat(status.state()).hasToString("1.1.0:pre");
    assertThat(status.pending()).extracting(StatusEntry::displayName).containsExactly("next:pre #1 add owner");
    assertThat(status.drift()).isEmpty();
    assertThat(status.notes()).containsExactly(
        "history row next:pre #1 is 1.1.0:pre #1 (shipped; the next pre, post or migrate re-keys it)",
        "history row next:pre #2 is 1.1.0:pre #2 (shipped; the next pre, post or migrate re-keys it)");
    assertThat(after.verify().ok()).isTrue();
    assertThat(after.verify().applied()).isEqualTo(3);
    assertThat(after.check("1.1.0").compatible()).isTrue();
    assertThat(after.plan(Target.parse("pre")).migrations()).extracting(Migration::displayName)
        .containsExactly("next:pre #1 add owner");
    assertThat(historyKeys()).as("read-only commands change nothing").containsExactly("1.0.0:pre#1", "next:pre#1", "next:pre#2");

    MigrateResult result = after.migrate(Target.parse("pre"));

    assertThat(result.notes()).containsExactly("history row next:pre #1 is now 1.1.0:pre #1 (shipped)",
        "history row next:pre #2 is now 1.1.0:pre #2 (shipped)");
    assertThat(result.applied()).extracting(a -> a.migration().displayName()).containsExactly("next:pre #1 add owner");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.1.0:pre#1", "1.1.0:pre#2", "next:pre#1");
    assertThat(after.status().notes()).isEmpty();
    assertThat(after.verify().ok()).isTrue();
    assertThat(after.migrate(Target.parse("pre")).notes()).isEmpty();
  }

  @Test
  void theCommandLineSaysSoOnceWhenItReKeys() throws Exception {
    twostep(BEFORE).build().migrate(Target.parse("pre"));
    StringWriter status = new StringWriter();
    assertThat(run(status, "status")).isZero();
    assertThat(status.toString()).contains("note: history row next:pre #2 is 1.1.0:pre #2 (shipped; the next pre, post or "
        + "migrate re-keys it)").contains("3 applied, 1 pending, 0 drift");

    StringWriter pre = new StringWriter();
    assertThat(run(pre, "pre")).isZero();
    assertThat(pre.toString()).contains("note: history row next:pre #1 is now 1.1.0:pre #1 (shipped)")
        .contains("note: history row next:pre #2 is now 1.1.0:pre #2 (shipped)")
        .contains("applied  next:pre #1 add owner").doesNotContain("applied  1.1.0");

    StringWriter again = new StringWriter();
    assertThat(run(again, "status")).isZero();
    assertThat(again.toString()).doesNotContain("note:").contains("4 applied, 0 pending, 0 drift");
  }

  private int run(StringWriter out, String command) {
    return new TwostepCommandLine(new PrintWriter(out, true), new PrintWriter(out, true), Map.of())
        .run(AFTER, new String[] {command, "--url", db.url(), "--user", db.user()});
  }

  @Test
  void aNextRowMatchingNothingIsDriftThatSaysSo() throws Exception {
    twostep(BEFORE).build().migrate(Target.parse("pre"));
    // the second pull request's migration was changed before it shipped, the first one dropped
    TestCatalog changed = TestCatalog.of(CREATE, sql("1.1.0", PRE, 1, "add size", "ALTER TABLE jobs ADD COLUMN size bigint"));

    VerifyReport report = twostep(changed).build().verify();

    assertThat(report.applied()).isEqualTo(1);
    assertThat(report.drift()).extracting(Drift::migration).containsExactly("next:pre #1 add queue", "next:pre #2 add size");
    assertThat(report.drift().get(0).message()).contains("next:pre #1 add queue was applied as a \"next\" migration, but "
        + "catalog Test has no such migration any more: no next pre-migration step 1, and no migration with its checksum")
        .contains("recreate this development or test database");
    assertThat(twostep(changed).build().status().notes()).isEmpty();
  }

  @Test
  void aNextMigrationEditedAfterItWasAppliedIsAChecksumMismatchNamingNext() throws Exception {
    twostep(BEFORE).build().migrate(Target.parse("pre"));
    TestCatalog edited = TestCatalog.of(CREATE, sql("next", PRE, 1, "add queue", ADD_QUEUE),
        sql("next", PRE, 2, "add size", "ALTER TABLE jobs ADD COLUMN size bigint"));
    Twostep twostep = twostep(edited).build();

    assertThat(twostep.verify().drift()).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(Drift.Kind.CHECKSUM_MISMATCH);
      assertThat(d.message()).contains("this \"next\" migration was changed after this database applied it");
    });
    assertThatThrownBy(() -> twostep.migrate(Target.parse("pre"))).isInstanceOf(TwostepException.class)
        .hasMessageContaining("next:pre #2 add size was applied with checksum");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "next:pre#1", "next:pre#2");
  }
}
