package dev.twostep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogDataTest {
  private static final String SUM = "a".repeat(64);

  @Test
  void decodesSqlAndJavaMigrationsAcrossCutArrays() {
    JavaMigration backfill = context -> { };
    String[][] data = {
      {"sql", "1.0.0", "pre", "1", "create jobs", "com.acme.CreateJobs", SUM, "t", "0", "2",
       "1", "CREATE TABLE jobs (id int)", "3"},
      {"CREATE INDEX jobs_id ON jobs (id)",
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
  void javaMigrationsAreNumberedInOrder() {
    String[][] data = {{
      "java", "1", "pre", "1", "a", "A", SUM, "t", "0", "0",
      "java", "1", "pre", "2", "b", "B", SUM, "t", "0", "0"}};
    JavaMigration[] made = {context -> { }, context -> { }};
    List<Migration> migrations = CatalogData.decode(data, i -> made[i]);
    assertThat(migrations.get(0).javaFactory().get()).isSameAs(made[0]);
    assertThat(migrations.get(1).javaFactory().get()).isSameAs(made[1]);
  }

  @Test
  void malformedDataIsRefusedClearly() {
    assertThatThrownBy(() -> CatalogData.decode(new String[][] {{"sql", "1", "pre", "x"}}, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a number").hasMessageContaining("'x'");
    assertThatThrownBy(() -> CatalogData.decode(new String[][] {{"sql", "1", "pre", "1", "d"}}, null))
        .hasMessageContaining("ends in the middle of a migration");
    assertThatThrownBy(() -> CatalogData.decode(new String[][] {{"java", "1", "pre", "1", "d", "C", SUM, "t", "0", "0"}}, null))
        .hasMessageContaining("no factory");
  }
}
