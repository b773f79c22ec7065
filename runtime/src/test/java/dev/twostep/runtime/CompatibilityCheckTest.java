package dev.twostep.runtime;

import static dev.twostep.Phase.POST;
import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompatibilityCheckTest extends RuntimeTestSupport {
  private static final TestCatalog THREE_RELEASES = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create a", "CREATE TABLE a (id int)"),
      sql("1.0.0", POST, 1, "fill a", "INSERT INTO a VALUES (1)"),
      sql("2.0.0", PRE, 1, "create b", "CREATE TABLE b (id int)"),
      sql("2.0.0", POST, 1, "fill b", "INSERT INTO b VALUES (1)"),
      sql("3.0.0", PRE, 1, "create c", "CREATE TABLE c (id int)"),
      sql("3.0.0", POST, 1, "fill c", "INSERT INTO c VALUES (1)"),
      sql("3.0.0", POST, 2, "fill c again", "INSERT INTO c VALUES (2)"));

  /** The matrix: code of N runs on N:pre, N:post and (N+1):pre, nowhere else. */
  @ParameterizedTest(name = "schema {0}: 1.0.0 {1}, 2.0.0 {2}, 3.0.0 {3}")
  @CsvSource({
    "empty,     no,  no,  no",
    "1.0.0:pre,  yes, no,  no",
    "1.0.0:post, yes, no,  no",
    "2.0.0:pre,  yes, yes, no",
    "2.0.0:post, no,  yes, no",
    "3.0.0:pre,  no,  yes, yes",
    "3.0.0:post, no,  no,  yes",
  })
  void answersTheCompatibilityMatrix(String state, String v1, String v2, String v3) {
    Twostep twostep = twostep(THREE_RELEASES).build();
    if (!state.equals("empty")) {
      twostep.migrate(Target.parse(state));
    }
    assertThat(twostep.status().state()).hasToString(state);

    Map<String, Boolean> expected = new LinkedHashMap<>();
    expected.put("1.0.0", v1.equals("yes"));
    expected.put("2.0.0", v2.equals("yes"));
    expected.put("3.0.0", v3.equals("yes"));
    Map<String, Boolean> actual = new LinkedHashMap<>();
    for (String release : expected.keySet()) {
      CheckResult result = twostep.check(release);
      assertThat(result.state()).hasToString(state);
      assertThat(result.explanation()).contains("release " + release).contains(state);
      actual.put(release, result.compatible());
    }
    assertThat(actual).isEqualTo(expected);
  }

  /** Expand-only releases are common: a release without post-migrations must not lock out the code before it. */
  @Test
  void aReleaseWithoutPostMigrationsKeepsThePreviousCodeAllowed() {
    TestCatalog expandOnly = TestCatalog.of(
        sql("1.0.0", PRE, 1, "create a", "CREATE TABLE a (id int)"),
        sql("1.0.0", POST, 1, "fill a", "INSERT INTO a VALUES (1)"),
        sql("2.0.0", PRE, 1, "create b", "CREATE TABLE b (id int)"),
        sql("3.0.0", PRE, 1, "create c", "CREATE TABLE c (id int)"));
    Twostep twostep = twostep(expandOnly).build();

    twostep.migrate(Target.parse("2.0.0:post"));

    assertThat(twostep.status().state()).hasToString("2.0.0:pre");
    assertThat(twostep.check("1.0.0").compatible()).as("S(2.0.0) is S_pre(2.0.0): code 1.0.0 still runs").isTrue();
    assertThat(twostep.check("2.0.0").compatible()).isTrue();
    assertThat(twostep.check("3.0.0").compatible()).isFalse();

    twostep.migrate(Target.parse("3.0.0:pre"));

    assertThat(twostep.status().state()).hasToString("3.0.0:pre");
    assertThat(twostep.check("1.0.0").compatible()).isFalse();
    assertThat(twostep.check("2.0.0").compatible()).isTrue();
    assertThat(twostep.check("3.0.0").compatible()).isTrue();
  }

  @Test
  void supportedStatesAreListed() {
    CheckResult result = twostep(THREE_RELEASES).build().check("2.0.0");
    assertThat(result.supported()).extracting(SchemaState::toString).containsExactly("2.0.0:pre", "2.0.0:post", "3.0.0:pre");
    assertThat(result.compatible()).isFalse();
    assertThat(result.explanation()).contains("needs schema state 2.0.0:pre or later, but the database is at empty");
  }

  @Test
  void historyOfAReleaseNewerThanTheCatalogCounts() throws Exception {
    twostep(THREE_RELEASES).build().migrate(Target.parse("3.0.0:pre"));
    TestCatalog oldCatalog = TestCatalog.of(THREE_RELEASES.migrations().subList(0, 4).toArray(new dev.twostep.Migration[0]));
    Twostep oldCode = twostep(oldCatalog).build();

    CheckResult onPre = oldCode.check("2.0.0");
    assertThat(onPre.state()).hasToString("3.0.0:pre");
    assertThat(onPre.supported()).extracting(SchemaState::toString).containsExactly("2.0.0:pre", "2.0.0:post", "3.0.0:pre");
    assertThat(onPre.compatible()).isTrue();
    assertThat(oldCode.check("1.0.0").compatible()).isFalse();
    assertThat(oldCode.status().entries()).filteredOn(e -> e.drift().equals(Optional.of(Drift.Kind.UNKNOWN_RELEASE)))
        .extracting(StatusEntry::displayName).containsExactly("3.0.0:pre #1 create c");

    twostep(THREE_RELEASES).build().migrate(Target.parse("post"));
    CheckResult onPost = oldCode.check("2.0.0");
    assertThat(onPost.state()).hasToString("3.0.0:post");
    assertThat(onPost.compatible()).isFalse();
    assertThat(onPost.explanation()).contains("3.0.0:post is newer than it supports").contains("Deploy code of release 3.0.0");
  }

  @Test
  void aPartlyAppliedPostPhaseAlreadyExcludesOlderCode() throws Exception {
    TestCatalog failingSecondPost = TestCatalog.of(Arrays.stream(new dev.twostep.Migration[] {
        THREE_RELEASES.migrations().get(0), THREE_RELEASES.migrations().get(1), THREE_RELEASES.migrations().get(2),
        THREE_RELEASES.migrations().get(3), THREE_RELEASES.migrations().get(4), THREE_RELEASES.migrations().get(5),
        sql("3.0.0", POST, 2, "fill c again", "INSERT INTO c VALUES (1 / 0)")}).toArray(dev.twostep.Migration[]::new));
    Twostep twostep = twostep(failingSecondPost).build();
    try {
      twostep.migrate(Target.parse("post"));
    } catch (TwostepException expected) {
      assertThat(expected).hasMessageContaining("SQLSTATE 22012");
    }
    assertThat(historyKeys()).endsWith("3.0.0:pre#1", "3.0.0:post#1");

    CheckResult older = twostep.check("2.0.0");
    assertThat(older.state()).hasToString("3.0.0:pre");
    assertThat(older.reached()).hasToString("3.0.0:post");
    assertThat(older.compatible()).isFalse();
    assertThat(twostep.check("3.0.0").compatible()).isTrue();
  }

  @Test
  void aReleaseWithoutMigrationsNeedsTheSchemaOfTheReleaseBefore() {
    Twostep twostep = twostep(THREE_RELEASES).build();
    twostep.migrate(Target.parse("2.0.0:pre"));
    assertThat(twostep.check("2.5").compatible()).isFalse();
    twostep.migrate(Target.parse("2.0.0:post"));
    CheckResult result = twostep.check("2.5");
    assertThat(result.compatible()).isTrue();
    assertThat(result.supported()).extracting(SchemaState::toString).containsExactly("2.0.0:post", "3.0.0:pre");
    assertThat(result.explanation()).contains("Release 2.5 has no migrations");
    twostep.migrate(Target.parse("3.0.0:pre"));
    assertThat(twostep.check("2.5").compatible()).isTrue();
    assertThat(List.of(twostep.check("4.0.0").compatible(), twostep.check("3.0.0").compatible()))
        .containsExactly(false, true);
  }

  /** check() reads only aggregates of the history; it must agree with status(), which reads every row. */
  @Test
  void agreesWithStatusOnIrregularHistories() throws Exception {
    Twostep twostep = twostep(THREE_RELEASES).build();
    twostep.migrate(Target.parse("2.0.0:post"));
    assertSameStateAsStatus(twostep, "2.0.0:post", "2.0.0:post");

    // a hole: 2.0.0:post #1 gone while a later row exists
    execute("DELETE FROM twostep_history WHERE release = '2.0.0' AND phase = 'post'");
    insertRow("2.0.0", "post", 3);
    assertSameStateAsStatus(twostep, "2.0.0:pre", "2.0.0:post");

    // the hole filled under another spelling of the release
    insertRow("2.0", "post", 1);
    assertSameStateAsStatus(twostep, "2.0.0:post", "2.0.0:post");

    // steps that are not 1..n of a release the catalog does not know still count as applied
    insertRow("3.0.0", "pre", 1);
    insertRow("3.0.0", "post", 2);
    insertRow("3.0.0", "post", 1);
    insertRow("3.5", "pre", 2);
    insertRow("3.5", "pre", 7);
    assertSameStateAsStatus(twostep, "3.5:pre", "3.5:pre");
  }

  @Test
  void aHistoryWithoutACompleteReleaseNamesTheReleaseHoldingTheStateBack() throws Exception {
    Twostep twostep = twostep(THREE_RELEASES).build();
    twostep.migrate(Target.parse("1.0.0:post"));
    execute("DELETE FROM twostep_history WHERE release = '1.0.0' AND phase = 'pre'");

    CheckResult result = twostep.check("1.0.0");

    assertThat(result.state()).isEqualTo(SchemaState.EMPTY);
    assertThat(result.reached()).hasToString("1.0.0:post");
    assertThat(result.compatible()).isFalse();
    assertThat(result.explanation()).contains("the schema state stays at empty because the history has migrations of "
        + "release 1.0.0 that this catalog does not have, or not all of them");
  }

  @Test
  void checkOnADatabaseWithoutHistoryChangesNothing() throws Exception {
    CheckResult result = twostep(THREE_RELEASES).build().check("1.0.0");
    assertThat(result.state()).isEqualTo(SchemaState.EMPTY);
    assertThat(result.reached()).isEqualTo(SchemaState.EMPTY);
    assertThat(result.compatible()).isFalse();
    assertThat(tableExists("twostep_history")).isFalse();
  }

  @Test
  void checkRefusesAHistoryTableOfANewerFormatOrAForeignTable() throws Exception {
    Twostep twostep = twostep(THREE_RELEASES).build();
    twostep.migrate(Target.parse("1.0.0:pre"));
    execute("COMMENT ON TABLE twostep_history IS 'twostep history v3'");
    assertThatThrownBy(() -> twostep.check("1.0.0")).isInstanceOf(TwostepException.class)
        .hasMessage("history table public.twostep_history has format v3 but this Twostep reads formats v1 to v2: it was "
            + "written by a newer Twostep. Upgrade twostep-runtime.");

    execute("COMMENT ON TABLE twostep_history IS NULL");
    assertThatThrownBy(() -> twostep.check("1.0.0")).isInstanceOf(TwostepException.class)
        .hasMessageContaining("exists but is not a Twostep history table (its comment is empty");
  }

  @Test
  void checkRefusesAHistoryRowWhoseReleaseIsNotANumber() throws Exception {
    Twostep twostep = twostep(THREE_RELEASES).build();
    twostep.migrate(Target.parse("1.0.0:pre"));
    insertRow("2.x", "pre", 1);
    assertThatThrownBy(() -> twostep.check("1.0.0")).isInstanceOf(TwostepException.class)
        .hasMessageContaining("the history has a row with release '2.x', which is not a release number");
  }

  private void insertRow(String release, String phase, int step) throws Exception {
    execute("INSERT INTO twostep_history (release, phase, step, description, checksum, kind, execution_ms) VALUES ('"
        + release + "', '" + phase + "', " + step + ", 'by hand', 'x', 'sql', 0)");
  }

  private static void assertSameStateAsStatus(Twostep twostep, String state, String reached) {
    CheckResult result = twostep.check("2.0.0");
    assertThat(twostep.status().state()).hasToString(state);
    assertThat(result.state()).hasToString(state);
    assertThat(result.reached()).hasToString(reached);
    for (String release : List.of("1.0.0", "2.0.0", "2.5", "3.0.0", "3.5", "4")) {
      CheckResult check = twostep.check(release);
      assertThat(check.state()).as(release).isEqualTo(result.state());
      assertThat(check.reached()).as(release).isEqualTo(result.reached());
    }
  }
}
