package dev.twostep.runtime;

import static dev.twostep.Phase.POST;
import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrePostTest extends RuntimeTestSupport {
  private static final TestCatalog V1 = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id int, legacy text)"),
      sql("1.0.0", POST, 1, "drop legacy", "ALTER TABLE jobs DROP COLUMN legacy"));
  private static final TestCatalog V2 = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id int, legacy text)"),
      sql("1.0.0", POST, 1, "drop legacy", "ALTER TABLE jobs DROP COLUMN legacy"),
      sql("2.0.0", PRE, 1, "add priority", "ALTER TABLE jobs ADD COLUMN priority int"),
      sql("2.0.0", POST, 1, "priority not null", "ALTER TABLE jobs ALTER COLUMN priority SET NOT NULL"));

  @Test
  void onAnEmptyDatabasePreAppliesEverythingUpToPreOfTheNewestRelease() throws Exception {
    MigrateResult result = twostep(V2).build().migrate(Target.parse("pre"));

    assertThat(result.after()).hasToString("2.0.0:pre");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:post#1", "2.0.0:pre#1");
  }

  @Test
  void preRefusesAPostMigrationOfAnOlderReleaseAndExplainsThePath() throws Exception {
    twostep(V1).build().migrate(Target.parse("pre"));
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1");
    Twostep twostep = twostep(V2).build();

    assertThatThrownBy(() -> twostep.migrate(Target.parse("pre")))
        .isInstanceOf(TwostepException.class)
        .hasMessageContaining("refusing to migrate to pre")
        .satisfies(e -> assertThat(((TwostepException) e).reason()).isEqualTo(TwostepException.Reason.REFUSED))
        .hasMessageContaining("1.0.0:post #1 drop legacy")
        .hasMessageContaining("The database is at 1.0.0:pre")
        .hasMessageContaining("1. while only 1.0.0 code runs, run `migrate --to 1.0.0:post`")
        .hasMessageContaining("2. while only 1.0.0 code runs, run `migrate --to 2.0.0:pre` (that is `pre`), then deploy 2.0.0")
        .hasMessageContaining("--allow-downtime");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1");
    assertThat(twostep.plan(Target.parse("pre")).refusal()).contains("migrate --to 1.0.0:post");

    // following the path works
    twostep.migrate(Target.parse("1.0.0:post"));
    assertThat(twostep.migrate(Target.parse("pre")).applied()).hasSize(1);
    assertThat(twostep.migrate(Target.parse("post")).after()).hasToString("2.0.0:post");
  }

  @Test
  void allowDowntimeLetsPreApplyOlderPostMigrations() throws Exception {
    twostep(V1).build().migrate(Target.parse("pre"));

    MigrateResult result = twostep(V2).allowDowntime(true).build().migrate(Target.parse("pre"));

    assertThat(result.before()).hasToString("1.0.0:pre");
    assertThat(result.after()).hasToString("2.0.0:pre");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:post#1", "2.0.0:pre#1");
  }

  @Test
  void aPostTargetRefusesToApplyPreAndPostOfOneReleaseInOneRunUnlessDowntimeIsAllowed() throws Exception {
    twostep(V1).build().migrate(Target.parse("pre"));

    assertThatThrownBy(() -> twostep(V2).build().migrate(Target.parse("2.0.0:post")))
        .isInstanceOf(DeployRefusedException.class)
        .hasMessageContaining("post of 2.0.0 needs pre of 2.0.0 applied by an earlier run");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1");

    MigrateResult result = twostep(V2).allowDowntime(true).build().migrate(Target.parse("2.0.0:post"));

    assertThat(result.after()).hasToString("2.0.0:post");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:post#1", "2.0.0:pre#1", "2.0.0:post#1");
    assertThat(column("SELECT DISTINCT guard || ' ' || run_target FROM twostep_history WHERE release = '2.0.0'"))
        .containsExactly("downtime 2.0.0:post");
  }

  @Test
  void theBlueGreenCycleMovesOnePhaseAtATime() throws Exception {
    twostep(V1).build().migrate(Target.parse("post"));
    Twostep twostep = twostep(V2).build();

    assertThat(twostep.migrate(Target.parse("pre")).applied())
        .extracting(a -> a.migration().displayName()).containsExactly("2.0.0:pre #1 add priority");
    assertThat(twostep.status().state()).hasToString("2.0.0:pre");
    assertThat(twostep.migrate(Target.parse("post")).applied())
        .extracting(a -> a.migration().displayName()).containsExactly("2.0.0:post #1 priority not null");
    assertThat(twostep.status().state()).hasToString("2.0.0:post");
  }
}
