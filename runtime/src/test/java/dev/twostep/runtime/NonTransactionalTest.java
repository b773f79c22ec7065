package dev.twostep.runtime;

import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.concurrentIndex;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.ConcurrentIndexBuild;
import dev.twostep.JavaMigration;
import dev.twostep.MigrationContext;
import dev.twostep.NonTransactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class NonTransactionalTest extends RuntimeTestSupport {
  private static final ConcurrentIndexBuild JOBS_NAME_KEY =
      ConcurrentIndexBuild.of(null, "jobs", "jobs_name_key", true, false, "(name)");
  private static final TestCatalog UNIQUE_INDEX = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id int, name text)",
          "INSERT INTO jobs VALUES (1, 'same'), (2, 'same')"),
      concurrentIndex("1.0.0", PRE, 2, "unique names", "CREATE UNIQUE INDEX CONCURRENTLY jobs_name_key ON jobs (name)",
          JOBS_NAME_KEY));

  @Test
  void aFailedCreateIndexConcurrentlyLeavesNoInvalidIndex() throws Exception {
    Twostep twostep = twostep(UNIQUE_INDEX).build();

    assertThatThrownBy(() -> twostep.migrate(Target.parse("pre")))
        .isInstanceOf(TwostepException.class)
        .hasMessageContaining("1.0.0:pre #2 unique names")
        .hasMessageContaining("statement 1 of 1 (line 1 of its SQL)")
        .hasMessageContaining("SQLSTATE 23505")
        .hasMessageContaining("ran in autocommit and was not recorded")
        .hasMessageContaining("The INVALID index jobs_name_key it left behind was dropped");

    assertThat(column("SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'jobs'::regclass")).isEmpty();
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1");
  }

  @Test
  void anInvalidIndexLeftByACrashedRunIsDroppedBeforeBuildingAgain() throws Exception {
    execute("CREATE TABLE jobs (id int, name text)");
    execute("INSERT INTO jobs VALUES (1, 'same'), (2, 'same')");
    try {
      execute("CREATE UNIQUE INDEX CONCURRENTLY jobs_name_key ON jobs (name)");
    } catch (SQLException expected) {
      assertThat(expected.getSQLState()).isEqualTo("23505");
    }
    assertThat(column("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'jobs_name_key'::regclass"))
        .containsExactly("false");
    execute("DELETE FROM jobs WHERE id = 2");
    TestCatalog catalog = TestCatalog.of(concurrentIndex("1.0.0", PRE, 1, "unique names",
        "CREATE UNIQUE INDEX CONCURRENTLY jobs_name_key ON jobs (name)", JOBS_NAME_KEY));

    MigrateResult result = twostep(catalog).build().migrate(Target.parse("pre"));

    assertThat(result.applied()).hasSize(1);
    assertThat(column("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'jobs_name_key'::regclass"))
        .containsExactly("true");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1");
  }

  @Test
  void theIndexToCleanUpComesFromTheCatalogNotFromTheSql() throws Exception {
    execute("CREATE SCHEMA app");
    execute("CREATE TABLE app.\"My Table\" (x int)");
    execute("INSERT INTO app.\"My Table\" VALUES (1), (1)");
    String sql = "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS /* the odd one */ \"Odd Name\" ON app.\"My Table\" (x)";
    TestCatalog catalog = TestCatalog.of(concurrentIndex("1.0.0", PRE, 1, "odd index", sql,
        ConcurrentIndexBuild.of("app", "My Table", "Odd Name", true, true, "(x)")));
    String indexes = "SELECT indexrelid::regclass::text || ' ' || indisvalid FROM pg_index"
        + " WHERE indrelid = 'app.\"My Table\"'::regclass";

    assertThatThrownBy(() -> twostep(catalog).build().migrate(Target.parse("pre")))
        .hasMessageContaining("SQLSTATE 23505")
        .hasMessageContaining("The INVALID index app.\"Odd Name\" it left behind was dropped");
    assertThat(column(indexes)).isEmpty();

    // the same statement without the catalog's facts: the runtime does not read its SQL
    TestCatalog withoutFacts = TestCatalog.of(sql("1.0.0", PRE, 1, "odd index", false, List.of(), sql));
    assertThatThrownBy(() -> twostep(withoutFacts).build().migrate(Target.parse("pre")))
        .hasMessageContaining("SQLSTATE 23505")
        .hasMessageNotContaining("INVALID index app.");
    assertThat(column(indexes)).containsExactly("app.\"Odd Name\" false");

    // with them, the leftover is dropped before the build, which IF NOT EXISTS would otherwise skip
    execute("TRUNCATE app.\"My Table\"");
    execute("INSERT INTO app.\"My Table\" VALUES (1), (2)");
    assertThat(twostep(catalog).build().migrate(Target.parse("pre")).applied()).hasSize(1);
    assertThat(column(indexes)).containsExactly("app.\"Odd Name\" true");
  }

  /** A batched backfill that fails after its batches: the batches stay committed. */
  static final class FailingBackfill implements JavaMigration, NonTransactional {
    @Override
    public void migrate(MigrationContext context) throws Exception {
      try (Statement s = context.connection().createStatement()) {
        s.execute("INSERT INTO seen SELECT current_setting('lock_timeout'), " + context.connection().getAutoCommit());
      }
      long rows = context.inBatches(
          "UPDATE jobs SET done = true WHERE id IN (SELECT id FROM jobs WHERE NOT done ORDER BY id LIMIT 2)");
      context.logger().log(System.Logger.Level.INFO, "backfilled {0} rows", rows);
      throw new IllegalStateException("failing after " + rows + " rows");
    }
  }

  @Test
  void aNonTransactionalJavaMigrationCommitsEachBatchAndIsRecordedOnlyOnSuccess() throws Exception {
    execute("CREATE TABLE jobs (id int, done boolean NOT NULL DEFAULT false)");
    execute("INSERT INTO jobs SELECT g FROM generate_series(1, 5) g");
    execute("CREATE TABLE seen (lock_timeout text, autocommit boolean)");
    TestCatalog catalog = TestCatalog.of(TestCatalog.java("1.0.0", PRE, 1, "backfill done", false, FailingBackfill::new));

    assertThatThrownBy(() -> twostep(catalog).build().migrate(Target.parse("pre")))
        .isInstanceOf(TwostepException.class)
        .hasMessageContaining("1.0.0:pre #1 backfill done")
        .hasMessageContaining("in Java class test.backfill_done")
        .hasMessageContaining("IllegalStateException: failing after 5 rows");

    assertThat(value("SELECT count(*) FROM jobs WHERE done")).isEqualTo("5");
    assertThat(value("SELECT lock_timeout || ' ' || autocommit FROM seen")).isEqualTo("200ms true");
    assertThat(historyKeys()).isEmpty();
  }

  @Test
  void aTransactionalJavaMigrationSharesItsTransactionWithTheHistoryRow() throws Exception {
    execute("CREATE TABLE jobs (id int, done boolean NOT NULL DEFAULT false)");
    execute("INSERT INTO jobs SELECT g FROM generate_series(1, 5) g");
    TestCatalog failing = TestCatalog.of(TestCatalog.java("1.0.0", PRE, 1, "backfill done", true, () -> context -> {
      assertThat(context.connection().getAutoCommit()).isFalse();
      assertThat(context.migration().displayName()).isEqualTo("1.0.0:pre #1 backfill done");
      assertThat(context.logger().getName()).isEqualTo("test.backfill_done");
      context.inBatches("UPDATE jobs SET done = true WHERE id IN (SELECT id FROM jobs WHERE NOT done LIMIT 2)");
      try (Statement s = context.connection().createStatement()) {
        s.execute("SELECT 1 / 0");
      }
    }));

    assertThatThrownBy(() -> twostep(failing).build().migrate(Target.parse("pre")))
        .isInstanceOf(TwostepException.class)
        .hasMessageContaining("SQLSTATE 22012")
        .hasMessageContaining("rolled back");
    assertThat(value("SELECT count(*) FROM jobs WHERE done")).isEqualTo("0");
    assertThat(historyKeys()).isEmpty();

    TestCatalog working = TestCatalog.of(TestCatalog.java("1.0.0", PRE, 1, "backfill done", true, () -> context ->
        assertThat(context.inBatches("UPDATE jobs SET done = true WHERE id IN (SELECT id FROM jobs WHERE NOT done LIMIT 2)"))
            .isEqualTo(5)));
    twostep(working).build().migrate(Target.parse("pre"));
    assertThat(value("SELECT count(*) FROM jobs WHERE done")).isEqualTo("5");
    assertThat(value("SELECT kind FROM twostep_history")).isEqualTo("java");
    try (Connection c = db.connect()) {
      assertThat(c.getAutoCommit()).isTrue();
    }
  }
}
