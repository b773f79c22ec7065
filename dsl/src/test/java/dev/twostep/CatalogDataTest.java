package dev.twostep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogDataTest {
  private static final String SUM = "a".repeat(64);
  private static final String[] HEADER = {"twostep-catalog", "3", "9.9.9"};

  @Test
  void decodesSqlAndJavaMigrationsAcrossCutArrays() {
    JavaMigration backfill = context -> { };
    String[][] data = {
      HEADER,
      {"sql", "1.0.0", "pre", "1", "create jobs", "com.acme.CreateJobs", SUM, "t", "0", "2",
       "1", "CREATE TABLE jobs (id int)", "", "3"},
      {"CREATE INDEX jobs_id ON jobs (id)", "",
       "java", "1.0.0", "post", "2", "backfill", "com.acme.Backfill", SUM, "f", "1", "step-sequence", "withdrawn",
       "0"},
    };
    List<Migration> migrations = CatalogData.decode(data, i -> backfill);

    assertThat(migrations).extracting(Migration::displayName)
        .containsExactly("1.0.0:pre #1 create jobs", "1.0.0:post #2 backfill");
    Migration sql = migrations.get(0);
    assertThat(sql.statements()).containsExactly(
        new SqlStatement(1, "CREATE TABLE jobs (id int)"), new SqlStatement(3, "CREATE INDEX jobs_id ON jobs (id)"));
    assertThat(sql.transactional()).isTrue();
    assertThat(sql.checksum()).isEqualTo(SUM);
    Migration java = migrations.get(1);
    assertThat(java.isJava()).isTrue();
    assertThat(java.transactional()).isFalse();
    assertThat(java.waivers()).containsExactly(new Waiver("step-sequence", "withdrawn"));
    assertThat(java.javaFactory().get()).isSameAs(backfill);
  }

  @Test
  void concurrentIndexFactsComeFromTheData() {
    String sql = "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"Odd Name\" ON app.\"My Table\" (x)";
    String[][] data = {HEADER, {
      "sql", "1.0.0", "pre", "1", "odd index", "com.acme.OddIndex", SUM, "f", "0", "2",
      "1", sql, "concurrent-index", "f", "t", "app", "My Table", "Odd Name", "(x)",
      "2", "CREATE UNIQUE INDEX CONCURRENTLY ON jobs USING btree (id)", "concurrent-index", "t", "f", "", "jobs", "",
      "USING btree (id)"}};
    List<SqlStatement> statements = CatalogData.decode(data, null).get(0).statements();

    ConcurrentIndexBuild odd = statements.get(0).concurrentIndex().orElseThrow();
    assertThat(odd.schema()).contains("app");
    assertThat(odd.table()).isEqualTo("My Table");
    assertThat(odd.index()).contains("Odd Name");
    assertThat(odd.unique()).isFalse();
    assertThat(odd.ifNotExists()).isTrue();
    assertThat(odd.definition()).isEqualTo("(x)");
    assertThat(statements.get(0)).isEqualTo(
        new SqlStatement(1, sql, ConcurrentIndexBuild.of("app", "My Table", "Odd Name", false, true, "(x)")));
    ConcurrentIndexBuild unnamed = statements.get(1).concurrentIndex().orElseThrow();
    assertThat(unnamed.schema()).isEmpty();
    assertThat(unnamed.index()).isEmpty();
    assertThat(unnamed.unique()).isTrue();
    assertThat(unnamed.definition()).isEqualTo("USING btree (id)");
  }

  @Test
  void aStatementWithoutFactsHasNone() {
    String[][] data = {HEADER, {
      "sql", "1.0.0", "pre", "1", "index", "com.acme.Index", SUM, "f", "0", "1",
      "1", "CREATE INDEX CONCURRENTLY jobs_id ON jobs (id)", ""}};
    // the SQL alone says nothing to the runtime: only the processor's facts do
    assertThat(CatalogData.decode(data, null).get(0).statements().get(0).concurrentIndex()).isEmpty();
  }

  @Test
  void unknownStatementFactsAreRefused() {
    String[][] data = {HEADER, {
      "sql", "1.0.0", "pre", "1", "index", "com.acme.Index", SUM, "f", "0", "1", "1", "VACUUM", "vacuum-facts"}};
    assertThatThrownBy(() -> CatalogData.decode(data, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown statement facts 'vacuum-facts'");
  }

  @Test
  void javaMigrationsAreNumberedInOrder() {
    String[][] data = {HEADER, {
      "java", "1", "pre", "1", "a", "A", SUM, "t", "0", "0",
      "java", "1", "pre", "2", "b", "B", SUM, "t", "0", "0"}};
    JavaMigration[] made = {context -> { }, context -> { }};
    List<Migration> migrations = CatalogData.decode(data, i -> made[i]);
    assertThat(migrations.get(0).javaFactory().get()).isSameAs(made[0]);
    assertThat(migrations.get(1).javaFactory().get()).isSameAs(made[1]);
  }

  @Test
  void malformedDataIsRefusedClearly() {
    assertThatThrownBy(() -> CatalogData.decode(new String[][] {HEADER, {"sql", "1", "pre", "x"}}, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a number").hasMessageContaining("'x'");
    assertThatThrownBy(() -> CatalogData.decode(new String[][] {HEADER, {"sql", "1", "pre", "1", "d"}}, null))
        .hasMessageContaining("ends in the middle of a migration");
    assertThatThrownBy(() -> CatalogData.decode(new String[][] {HEADER, {"java", "1", "pre", "1", "d", "C", SUM, "t", "0", "0"}}, null))
        .hasMessageContaining("no factory");
  }

  @Test
  void anUnknownFormatNamesTheVersionsToAlign() {
    assertThatThrownBy(() -> CatalogData.decode(new String[][] {{"twostep-catalog", "4", "1.4.0", "sql"}}, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("generated by twostep-processor 1.4.0 in catalog format 4")
        .hasMessageContaining("twostep-dsl " + CatalogData.twostepVersion() + " on the class path reads format 3 only")
        .hasMessageContaining("Use the same Twostep version");
    // format 2 (no statement facts) would be misread as format 3
    assertThatThrownBy(() -> CatalogData.decode(new String[][] {{"twostep-catalog", "2", "0.9.0", "sql"}}, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("generated by twostep-processor 0.9.0 in catalog format 2");
  }

  @Test
  void dataWithoutHeaderIsTwostep01AndIsRefusedClearly() {
    assertThatThrownBy(() -> CatalogData.decode(new String[][] {{"sql", "1", "pre", "1", "d", "C", SUM, "t", "0", "0"}}, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("generated by Twostep 0.1")
        .hasMessageContaining("Recompile the migrations with twostep-processor " + CatalogData.twostepVersion());
  }

  @Test
  void theVersionIsTheBuildsVersion() {
    assertThat(CatalogData.twostepVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
  }
}
