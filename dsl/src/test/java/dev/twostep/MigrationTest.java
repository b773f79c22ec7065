package dev.twostep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationTest {
  private static final String SUM = "0".repeat(64);

  @Test
  void anSqlMigrationKnowsItsPlaceAndScript() {
    Migration m = Migration.sql("2.0.0", Phase.PRE, 1, "add priority", "com.acme.AddPriority", SUM, true, List.of(),
        List.of(new SqlStatement(1, "ALTER TABLE t ADD COLUMN p int"), new SqlStatement(3, "SELECT 1")));
    assertThat(m.kind()).isEqualTo("sql");
    assertThat(m.isJava()).isFalse();
    assertThat(m.displayName()).isEqualTo("2.0.0:pre #1 add priority");
    assertThat(m.sql()).isEqualTo("ALTER TABLE t ADD COLUMN p int;\nSELECT 1;\n");
  }

  @Test
  void aTrailingCommentCannotSwallowTheSemicolonInTheDisplayedScript() {
    Migration m = Migration.sql("1", Phase.PRE, 1, "d", "C", SUM, true, List.of(),
        List.of(new SqlStatement(1, "SELECT 1 -- one"), new SqlStatement(2, "SELECT '--'")));
    assertThat(m.sql()).isEqualTo("SELECT 1 -- one\n;\nSELECT '--'\n;\n");
  }

  @Test
  void orderIsReleaseThenPreBeforePostThenStep() {
    Migration pre2 = Migration.sql("1.10", Phase.PRE, 2, "b", "B", SUM, true, List.of(), List.of(new SqlStatement(1, "x")));
    Migration post1 = Migration.sql("1.10", Phase.POST, 1, "c", "C", SUM, true, List.of(), List.of(new SqlStatement(1, "x")));
    Migration old = Migration.sql("1.9", Phase.POST, 7, "a", "A", SUM, true, List.of(), List.of(new SqlStatement(1, "x")));
    assertThat(old.compareOrder(pre2)).isNegative();
    assertThat(pre2.compareOrder(post1)).isNegative();
    assertThat(post1.compareOrder(old)).isPositive();
  }

  @Test
  void aMigrationIsEitherSqlOrJava() {
    assertThatThrownBy(() -> Migration.sql("1", Phase.PRE, 1, "d", "C", SUM, true, List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("either SQL statements or a Java factory");
    assertThatThrownBy(() -> Migration.sql("1", Phase.PRE, 0, "d", "C", SUM, true, List.of(), List.of(new SqlStatement(1, "x"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step");
    Migration java = Migration.java("1", Phase.POST, 1, "backfill", "C", SUM, false, List.of(), () -> context -> { });
    assertThat(java.kind()).isEqualTo("java");
    assertThat(java.transactional()).isFalse();
  }

  @Test
  void phaseLabels() {
    assertThat(Phase.parse("PRE")).isEqualTo(Phase.PRE);
    assertThat(Phase.POST.label()).isEqualTo("post");
    assertThatThrownBy(() -> Phase.parse("during")).hasMessageContaining("'pre' or 'post'");
  }
}
