package dev.twostep.runtime;

import static dev.twostep.Phase.POST;
import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The deploy guard through the Java API: post of N needs pre(N) from an earlier run and no older live instance. */
class DeployGuardTest extends RuntimeTestSupport {
  static final TestCatalog V2 = TestCatalog.blueGreen(2);
  static final TestCatalog V3 = TestCatalog.blueGreen(3);

  @Test
  void postRefusesWhenPreOfItsReleaseWasNotAppliedByAnEarlierRun() throws Exception {
    twostep(V2).build().migrate(Target.parse("pre"));
    twostep(V2).build().migrate(Target.parse("1.0.0:post"));
    twostep(V2).build().migrate(Target.parse("pre"));
    Twostep v3 = twostep(V3).build();

    // the case: at 2.0.0:pre, post of the release-3 catalog would run post(2), pre(3), post(3) at once
    for (String target : List.of("post", "3.0.0:post", "3.0.0")) {
      assertThatThrownBy(() -> v3.migrate(Target.parse(target)))
          .isInstanceOf(DeployRefusedException.class)
          .hasMessageStartingWith("refusing to migrate to 3.0.0:post: post of 3.0.0 needs pre of 3.0.0 applied by an "
              + "earlier run (so that 3.0.0 code could be deployed on it before post of 3.0.0 drops what 2.0.0 code "
              + "uses), but the database is at 2.0.0:pre and this run would apply first: 2.0.0:post #1 drop queue, "
              + "3.0.0:pre #1 add owner. Go step by step:\n"
              + "  1. while only 2.0.0 code runs, run `migrate --to 2.0.0:post` (post of 2.0.0)\n"
              + "  2. while only 2.0.0 code runs, run `migrate --to 3.0.0:pre` (that is `pre`), then deploy 3.0.0 code "
              + "everywhere\n"
              + "  3. while only 3.0.0 code runs, run `migrate --to 3.0.0:post` (post of 3.0.0; that is `post`)\n"
              + "If no application code runs at all (downtime accepted), pass --allow-downtime instead.");
    }
    assertThat(v3.status().state()).hasToString("2.0.0:pre");
    assertThat(v3.plan(Target.parse("post")).refusal()).contains("needs pre of 3.0.0");
    assertThat(column("SELECT column_name FROM information_schema.columns WHERE table_name = 'jobs' ORDER BY 1"))
        .containsExactly("id", "priority", "queue");

    // the path the refusal names works, one run per step
    assertThat(v3.migrate(Target.parse("2.0.0:post")).after()).hasToString("2.0.0:post");
    assertThat(v3.migrate(Target.parse("pre")).after()).hasToString("3.0.0:pre");
    assertThat(v3.migrate(Target.parse("post")).after()).hasToString("3.0.0:post");
    assertThat(column("SELECT DISTINCT coalesce(guard, 'guarded') FROM twostep_history WHERE release = '3.0.0'"))
        .containsExactly("guarded");
    assertThat(value("SELECT count(DISTINCT run_id) FROM twostep_history WHERE release = '3.0.0'")).isEqualTo("2");
  }

  @Test
  void aFreshDatabaseIsExemptButACompletedFirstRunIsNot() throws Exception {
    MigrateResult first = twostep(V2).build().migrate(Target.parse("pre"));
    assertThat(first.after()).hasToString("2.0.0:pre");
    assertThat(column("SELECT DISTINCT guard || ' ' || run_target FROM twostep_history"))
        .containsExactly("fresh 2.0.0:pre");

    // pre(2) was applied by an earlier run: post(2) may run
    assertThat(twostep(V2).build().migrate(Target.parse("post")).after()).hasToString("2.0.0:post");
    // but that first run does not make post(3) in the same run as pre(3) fine
    assertThatThrownBy(() -> twostep(V3).build().migrate(Target.parse("post")))
        .isInstanceOf(DeployRefusedException.class).hasMessageContaining("needs pre of 3.0.0");
  }

  @Test
  void anInterruptedFirstDeploymentResumesWithoutTheGuard() throws Exception {
    TestCatalog gated = TestCatalog.of(
        sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id int)"),
        sql("1.0.0", POST, 1, "fill jobs", "INSERT INTO jobs VALUES (1)"),
        sql("2.0.0", PRE, 1, "needs gate", "INSERT INTO gate VALUES (1)"),
        sql("2.0.0", POST, 1, "drop jobs", "DROP TABLE jobs"));
    assertThatThrownBy(() -> twostep(gated).build().migrate(Target.parse("post")))
        .isInstanceOf(TwostepException.class).hasMessageContaining("gate");
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:post#1");
    execute("CREATE TABLE gate (id int)");

    assertThat(twostep(gated).build().migrate(Target.parse("post")).after()).hasToString("2.0.0:post");
    assertThat(column("SELECT DISTINCT guard || ' ' || run_target FROM twostep_history"))
        .containsExactly("fresh 2.0.0:post");
    assertThat(value("SELECT count(DISTINCT run_id) FROM twostep_history")).isEqualTo("2");
  }

  @Test
  void aLiveInstanceOfAnOlderReleaseHoldsPostBackUntilItDeregisters() throws Exception {
    twostep(V2).build().migrate(Target.parse("pre"));
    Twostep twostep = twostep(V2).build();
    InstanceRegistration old = twostep.registerInstance("1.0.0", Duration.ofMinutes(1));
    try (InstanceRegistration current = twostep.registerInstance("2.0.0", Duration.ofMinutes(1))) {
      assertThat(twostep.instances()).extracting(LiveInstance::instanceId)
          .containsExactly(old.instanceId(), current.instanceId());

      DeployRefusedException refused = org.junit.jupiter.api.Assertions.assertThrows(DeployRefusedException.class,
          () -> twostep.migrate(Target.parse("post")));
      LiveInstance live = refused.liveInstances().get(0);
      assertThat(refused.liveInstances()).hasSize(1);
      assertThat(live.instanceId()).isEqualTo(old.instanceId());
      assertThat(live.pid()).isEqualTo(ProcessHandle.current().pid());
      assertThat(refused.getMessage())
          .startsWith("refusing to migrate to 2.0.0:post: post of 2.0.0 drops what older code uses, but 1 instance "
              + "of older releases is live:\n  release 1.0.0 on " + live.host() + " pid " + live.pid()
              + " (instance " + old.instanceId() + "), started ")
          .contains(", last seen ")
          .contains("--wait-for-instances").contains("--allow-downtime");
      assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:post#1", "2.0.0:pre#1");

      old.close();
      assertThat(twostep.instances()).extracting(LiveInstance::release).containsExactly("2.0.0");
      assertThat(twostep.migrate(Target.parse("post")).after()).hasToString("2.0.0:post");
    } finally {
      old.close();
    }
    assertThat(twostep.instances()).isEmpty();
  }

  @Test
  void allowDowntimeOverridesLiveInstancesAndIsRecorded() throws Exception {
    twostep(V2).build().migrate(Target.parse("pre"));
    try (InstanceRegistration old = twostep(V2).build().registerInstance("1.0.0", Duration.ofMinutes(1))) {
      assertThat(twostep(V2).build().instances()).extracting(LiveInstance::instanceId).containsExactly(old.instanceId());
      MigrateResult result = twostep(V2).allowDowntime(true).build().migrate(Target.parse("post"));
      assertThat(result.after()).hasToString("2.0.0:post");
    }
    assertThat(column("SELECT coalesce(guard, '-') FROM twostep_history WHERE release = '2.0.0' ORDER BY phase"))
        .containsExactly("downtime", "fresh");
  }

  @Test
  void waitForInstancesReturnsAsSoonAsTheLastOldInstanceLeaves() throws Exception {
    twostep(V2).build().migrate(Target.parse("pre"));
    List<String> progress = java.util.Collections.synchronizedList(new ArrayList<>());
    Twostep waiting = twostep(V2).waitForInstances(Duration.ofMinutes(5)).instancePollInterval(Duration.ofMillis(50))
        .instanceWaitProgress(progress::add).build();
    InstanceRegistration first = waiting.registerInstance("1.0.0", Duration.ofMinutes(1));
    InstanceRegistration second = waiting.registerInstance("1.5.0", Duration.ofMinutes(1));

    CompletableFuture<MigrateResult> post = CompletableFuture.supplyAsync(() -> waiting.migrate(Target.parse("post")));
    await("the deployer waits", Duration.ofSeconds(30), () -> !progress.isEmpty());
    assertThat(progress.get(0)).startsWith("Waiting up to 5 min for 2 instances of releases older than 2.0.0 to stop:");
    first.close();
    await("the deployer sees one leave", Duration.ofSeconds(30), () -> progress.size() >= 2);
    assertThat(progress.get(1)).startsWith("  still waiting for 1 instance after ").contains("1.5.0 on ");
    assertThat(post).isNotDone();
    second.close();

    assertThat(post.get(30, TimeUnit.SECONDS).after()).hasToString("2.0.0:post");
    assertThat(progress.get(progress.size() - 1)).startsWith("No instance of a release older than 2.0.0 is live any more");
  }
}
