package dev.twostep.runtime;

import static dev.twostep.Phase.POST;
import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.Release;
import org.junit.jupiter.api.Test;

class BaselineTest extends RuntimeTestSupport {
  private static final TestCatalog CATALOG = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id int)"),
      sql("1.0.0", POST, 1, "fill jobs", "INSERT INTO jobs VALUES (1)"),
      sql("1.1.0", PRE, 1, "create queues", "CREATE TABLE queues (id int)"),
      sql("2.0.0", PRE, 1, "add priority", "ALTER TABLE jobs ADD COLUMN priority int"));

  @Test
  void recordsMigrationsUpToTheReleaseWithoutRunningThem() throws Exception {
    execute("CREATE TABLE jobs (id int)");
    execute("CREATE TABLE queues (id int)");
    Twostep twostep = twostep(CATALOG).build();

    BaselineResult result = twostep.baseline("1.1.0");

    assertThat(result.recorded()).isEqualTo(3);
    assertThat(result.state()).hasToString("1.1.0:pre");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:post#1", "1.1.0:pre#1");
    assertThat(column("SELECT count(*) FROM jobs")).containsExactly("0");
    assertThat(value("SELECT count(*) FROM twostep_history WHERE baseline AND execution_ms = 0")).isEqualTo("3");
    assertThat(value("SELECT checksum FROM twostep_history WHERE release = '1.1.0'"))
        .isEqualTo(CATALOG.migrations().get(2).checksum());
    assertThat(twostep.verify().ok()).isTrue();

    MigrateResult migrated = twostep.migrate(Target.parse("pre"));
    assertThat(migrated.applied()).extracting(a -> a.migration().displayName())
        .containsExactly("2.0.0:pre #1 add priority");
  }

  @Test
  void refusesADatabaseWithHistory() throws Exception {
    Twostep twostep = twostep(CATALOG).build();
    twostep.migrate(Target.parse("1.0.0:pre"));

    assertThatThrownBy(() -> twostep.baseline("1.1.0"))
        .isInstanceOf(TwostepException.class)
        .hasMessageContaining("already has history (state 1.0.0:pre)");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1");
  }

  @Test
  void takesAReleaseAsWellAsItsText() throws Exception {
    Twostep twostep = twostep(CATALOG).build();

    BaselineResult result = twostep.baseline(Release.parse("1.0"), true);

    assertThat(result.state()).hasToString("1.0.0:post");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:post#1");
    assertThat(column("SELECT DISTINCT run_target FROM twostep_history")).containsExactly("baseline 1.0.0:post trust-schema");
    assertThatThrownBy(() -> twostep.baseline(Release.parse("1.1.0")))
        .isInstanceOf(TwostepException.class)
        .hasMessageContaining("already has history (state 1.0.0:post)");
  }

  @Test
  void refusesAReleaseTheCatalogDoesNotHave() throws Exception {
    Twostep twostep = twostep(CATALOG).build();
    assertThatThrownBy(() -> twostep.baseline("1.5.0"))
        .isInstanceOf(TwostepException.class)
        .hasMessageContaining("release 1.5.0 has no migrations in catalog Test");
    assertThatThrownBy(() -> twostep.baseline("one"))
        .isInstanceOf(TwostepException.class)
        .hasMessageContaining("not 1 to 4 dot-separated non-negative integers");
    assertThat(tableExists("twostep_history")).isFalse();
  }
}
