package dev.twostep.runtime;

import static dev.twostep.Phase.POST;
import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.Waiver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrateTest extends RuntimeTestSupport {
  private static final TestCatalog TWO_RELEASES = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create log", "CREATE TABLE log (n serial PRIMARY KEY, what text)",
          "INSERT INTO log (what) VALUES ('1.0.0:pre#1')"),
      sql("1.0.0", PRE, 2, "second pre", "INSERT INTO log (what) VALUES ('1.0.0:pre#2')"),
      sql("1.0.0", POST, 1, "first post", "INSERT INTO log (what) VALUES ('1.0.0:post#1')"),
      sql("2.0.0", PRE, 1, "next pre", "INSERT INTO log (what) VALUES ('2.0.0:pre#1')"),
      sql("2.0.0", POST, 1, "next post", "INSERT INTO log (what) VALUES ('2.0.0:post#1')"));

  @Test
  void createsTheHistoryTableOnFirstMigrateButNotOnStatus() throws Exception {
    Twostep twostep = twostep(TWO_RELEASES).build();
    StatusReport status = twostep.status();
    assertThat(status.state()).isEqualTo(SchemaState.EMPTY);
    assertThat(status.pending()).hasSize(5);
    assertThat(tableExists("twostep_history")).isFalse();

    twostep.migrate(Target.parse("1.0.0:pre"));

    assertThat(column("SELECT column_name || ' ' || data_type FROM information_schema.columns "
        + "WHERE table_name = 'twostep_history' ORDER BY ordinal_position")).containsExactly(
            "release text", "phase text", "step integer", "description text", "checksum text", "kind text",
            "applied_at timestamp with time zone", "execution_ms bigint", "applied_by text", "waivers text",
            "baseline boolean", "run_id text", "run_target text", "guard text");
    assertThat(column("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        + "AND a.attnum = ANY (i.indkey) WHERE i.indrelid = 'twostep_history'::regclass AND i.indisprimary "
        + "ORDER BY a.attnum")).containsExactly("release", "phase", "step");
    assertThat(value("SELECT obj_description('twostep_history'::regclass, 'pg_class')")).isEqualTo("twostep history v2");
  }

  @Test
  void appliesInOrderAndRecordsEachMigration() throws Exception {
    Twostep twostep = twostep(TWO_RELEASES).build();
    MigrateResult result = twostep.migrate(Target.parse("post"));

    assertThat(result.before()).isEqualTo(SchemaState.EMPTY);
    assertThat(result.after()).hasToString("2.0.0:post");
    assertThat(result.applied()).extracting(a -> a.migration().displayName()).containsExactly(
        "1.0.0:pre #1 create log", "1.0.0:pre #2 second pre", "1.0.0:post #1 first post", "2.0.0:pre #1 next pre",
        "2.0.0:post #1 next post");
    assertThat(column("SELECT what FROM log ORDER BY n"))
        .containsExactly("1.0.0:pre#1", "1.0.0:pre#2", "1.0.0:post#1", "2.0.0:pre#1", "2.0.0:post#1");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:pre#2", "1.0.0:post#1", "2.0.0:pre#1", "2.0.0:post#1");
    assertThat(value("SELECT count(*) FROM twostep_history WHERE kind = 'sql' AND applied_by = current_user "
        + "AND execution_ms >= 0 AND NOT baseline AND applied_at <= now()")).isEqualTo("5");
    assertThat(value("SELECT checksum FROM twostep_history WHERE release = '1.0.0' AND phase = 'pre' AND step = 2"))
        .isEqualTo(TWO_RELEASES.migrations().get(1).checksum());

    MigrateResult again = twostep.migrate(Target.parse("post"));
    assertThat(again.applied()).isEmpty();
    assertThat(again.after()).hasToString("2.0.0:post");
    assertThat(twostep.status().state()).hasToString("2.0.0:post");
    assertThat(twostep.verify().ok()).isTrue();
  }

  @Test
  void aMigrationFailingHalfWayLeavesNothingAndNamesStatementLineAndSqlState() throws Exception {
    TestCatalog catalog = TestCatalog.of(
        sql("1.0.0", PRE, 1, "create log", "CREATE TABLE log (what text)"),
        sql("1.0.0", PRE, 2, "broken", "CREATE TABLE half (id int)", "INSERT INTO missing_table VALUES (1)",
            "CREATE TABLE never (id int)"));
    Twostep twostep = twostep(catalog).build();

    assertThatThrownBy(() -> twostep.migrate(Target.parse("pre")))
        .isInstanceOf(TwostepException.class)
        .hasMessageContaining("1.0.0:pre #2 broken (release 1.0.0, phase pre, step 2)")
        .hasMessageContaining("statement 2 of 3 (line 2 of its SQL)")
        .hasMessageContaining("SQLSTATE 42P01")
        .hasMessageContaining("relation \"missing_table\" does not exist")
        .hasMessageContaining("INSERT INTO missing_table VALUES (1)")
        .hasMessageContaining("rolled back")
        .satisfies(e -> assertThat(((TwostepException) e).sqlState()).hasValue("42P01"));

    assertThat(tableExists("half")).isFalse();
    assertThat(tableExists("log")).isTrue();
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1");
    assertThat(twostep.status().state()).isEqualTo(SchemaState.EMPTY);
  }

  @Test
  void worksWithQuotedSchemaAndTableNamesAndRecordsWaivers() throws Exception {
    TestCatalog catalog = TestCatalog.of(sql("1.0.0", PRE, 1, "waived one", true,
        List.of(new Waiver("pre-contract", "nobody reads t yet"), new Waiver("versioned-name", "legacy")),
        "CREATE TABLE t (id int)"));
    Twostep twostep = twostep(catalog).schema("Odd \"Schema\"").table("history; DROP TABLE t").build();

    twostep.migrate(Target.parse("post"));

    assertThat(twostep.historyTable()).isEqualTo("Odd \"Schema\".history; DROP TABLE t");
    assertThat(value("SELECT waivers FROM \"Odd \"\"Schema\"\"\".\"history; DROP TABLE t\""))
        .isEqualTo("pre-contract: nobody reads t yet\nversioned-name: legacy");
    assertThat(twostep.status().state()).hasToString("1.0.0:pre");
    assertThat(tableExists("twostep_history")).isFalse();
  }

  @Test
  void refusesAHistoryTableOfANewerFormatOrAForeignTable() throws Exception {
    execute("CREATE TABLE twostep_history (release text, phase text, step int)");
    Twostep twostep = twostep(TWO_RELEASES).build();
    assertThatThrownBy(twostep::status).isInstanceOf(TwostepException.class)
        .hasMessageContaining("exists but is not a Twostep history table");

    execute("COMMENT ON TABLE twostep_history IS 'twostep history v3'");
    assertThatThrownBy(() -> twostep.migrate(Target.parse("pre"))).isInstanceOf(TwostepException.class)
        .hasMessageContaining("format v3")
        .hasMessageContaining("newer Twostep");
    assertThat(tableExists("log")).isFalse();
  }

  @Test
  void targetOfAnUnknownReleaseIsRefused() {
    Twostep twostep = twostep(TWO_RELEASES).build();
    assertThatThrownBy(() -> twostep.migrate(Target.parse("9.0.0:pre")))
        .isInstanceOf(TwostepException.class)
        .hasMessageContaining("release 9.0.0 has no migrations in catalog Test");
  }

  @Test
  void refusesAMigrationMissingBeforeAppliedOnes() throws Exception {
    twostep(TestCatalog.of(
        sql("1.0.0", PRE, 1, "a", "CREATE TABLE a (id int)"),
        sql("2.0.0", PRE, 1, "c", "CREATE TABLE c (id int)"))).build().migrate(Target.parse("pre"));
    TestCatalog withInsertedStep = TestCatalog.of(
        sql("1.0.0", PRE, 1, "a", "CREATE TABLE a (id int)"),
        sql("1.0.0", PRE, 2, "b", "CREATE TABLE b (id int)"),
        sql("2.0.0", PRE, 1, "c", "CREATE TABLE c (id int)"));

    assertThatThrownBy(() -> twostep(withInsertedStep).allowDowntime(true).build().migrate(Target.parse("post")))
        .isInstanceOf(TwostepException.class)
        .hasMessageContaining("1.0.0:pre #2 b is not applied, but the later 2.0.0:pre #1 c is");
    assertThat(tableExists("b")).isFalse();
  }

  @Test
  void planShowsPendingMigrationsAndChangesNothing() throws Exception {
    Twostep twostep = twostep(TWO_RELEASES).build();
    twostep.migrate(Target.parse("1.0.0"));

    Plan plan = twostep.plan(Target.parse("2.0.0:pre"));

    assertThat(plan.current()).hasToString("1.0.0:post");
    assertThat(plan.target()).hasToString("2.0.0:pre");
    assertThat(plan.migrations()).extracting(m -> m.displayName()).containsExactly("2.0.0:pre #1 next pre");
    assertThat(plan.refusal()).isEmpty();
    assertThat(plan.refused()).isFalse();
    assertThat(historyKeys()).hasSize(3);
  }

  @Test
  void historyRowsAreReadBackWithTheirDetails() throws Exception {
    Twostep twostep = twostep(TWO_RELEASES).build();
    twostep.migrate(Target.parse("1.0.0:pre"));
    List<StatusEntry> entries = twostep.status().entries();
    assertThat(entries).extracting(StatusEntry::state).containsExactly(
        StatusEntry.State.APPLIED, StatusEntry.State.APPLIED, StatusEntry.State.PENDING, StatusEntry.State.PENDING,
        StatusEntry.State.PENDING);
    HistoryEntry first = entries.get(0).history().orElseThrow();
    assertThat(entries.get(2).history()).isEmpty();
    assertThat(entries).extracting(StatusEntry::label).containsExactly("applied", "applied", "pending", "pending", "pending");
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_user")) {
      rs.next();
      assertThat(first.appliedBy()).isEqualTo(rs.getString(1));
    }
    assertThat(first.kind()).isEqualTo("sql");
    assertThat(first.appliedAt()).isNotNull();
    assertThat(first.displayName()).isEqualTo("1.0.0:pre #1 create log");
  }
}
