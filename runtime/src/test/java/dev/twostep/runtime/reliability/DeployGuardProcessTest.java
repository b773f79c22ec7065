package dev.twostep.runtime.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.runtime.cli.TwostepCommandLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The deploy guard with real processes: application JVMs register instances, deployer runs of the
 * command line see them, and a SIGKILLed instance stops counting once its lease ends.
 */
class DeployGuardProcessTest extends ReliabilitySupport {
  private final List<DeployerProcess> processes = new ArrayList<>();

  @AfterEach
  void stopProcesses() throws InterruptedException {
    for (DeployerProcess p : processes) {
      if (p.isAlive()) {
        p.kill();
      }
      p.cleanUp();
    }
  }

  private DeployerProcess app(String release, Duration lease) throws InterruptedException {
    DeployerProcess app = DeployerProcess.startMain(InstanceApp.class, Map.of(), List.of(),
        List.of(url(), release, String.valueOf(lease.toMillis())));
    processes.add(app);
    await("the instance of " + release + " in pid " + app.pid() + " is registered", Duration.ofSeconds(60),
        () -> !app.isAlive() || exists("SELECT 1 FROM twostep_instances WHERE pid = " + app.pid()));
    assertThat(app.isAlive()).as(app.err()).isTrue();
    return app;
  }

  private CommandLineRun cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--url");
    all.add(url());
    return CommandLineRun.run(ReliabilityCatalogs.BLUE_GREEN, all.toArray(String[]::new));
  }

  @Test
  void anOldInstanceInAnotherJvmHoldsPostBackUntilItIsKilledAndItsLeaseEnds() throws Exception {
    assertThat(cli("migrate", "--to", "2.0.0:pre").exitCode()).isZero();
    DeployerProcess old = app("1.0.0", Duration.ofMillis(1500));
    String host = value("SELECT host FROM twostep_instances WHERE pid = " + old.pid());

    CommandLineRun instances = cli("instances");
    assertThat(instances.exitCode()).isZero();
    assertThat(instances.out()).contains("\nLive instances: 1.0.0: 1\n").contains(host).contains(" " + old.pid() + " ");
    assertThat(cli("instances", "--json").out()).contains("\"release\":\"1.0.0\",\"host\":\"" + host + "\",\"pid\":"
        + old.pid() + ",");
    assertThat(cli("status").out()).contains("Live instances: 1.0.0: 1");

    CommandLineRun refused = cli("migrate", "--to", "2.0.0:post");
    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(TwostepCommandLine.REFUSED);
    assertThat(refused.err()).startsWith("twostep: error: refusing to migrate to 2.0.0:post: post of 2.0.0 drops what "
        + "older code uses, but 1 instance of older releases is live:\n  release 1.0.0 on " + host + " pid " + old.pid()
        + " (instance ");
    assertThat(cli("post").exitCode()).as("post would also apply pre(3) and post(3)").isEqualTo(TwostepCommandLine.REFUSED);
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:post#1", "2.0.0:pre#1");

    old.kill();
    // SIGKILL runs no shutdown hook: the row stays and only its lease, by the database clock, ends it
    String expiry = value("SELECT heartbeat_at + lease_ms * interval '1 millisecond' FROM twostep_instances "
        + "WHERE pid = " + old.pid());
    await("the lease of the killed instance ended", Duration.ofSeconds(30),
        () -> exists("SELECT 1 WHERE clock_timestamp() > '" + expiry + "'::timestamptz"));
    CommandLineRun post = cli("migrate", "--to", "2.0.0:post");
    assertThat(post.exitCode()).as(post.err()).isZero();
    assertThat(value("SELECT count(*) FROM twostep_instances WHERE pid = " + old.pid())).isEqualTo("1");
    assertThat(cli("instances").out()).endsWith(")\nLive instances: none\n");
  }

  @Test
  void postAndMigrateToPostRefuseWherePreWasNotAppliedByAnEarlierRun() throws Exception {
    assertThat(cli("migrate", "--to", "2.0.0:pre").exitCode()).isZero();

    for (String[] command : List.of(new String[] {"post"}, new String[] {"migrate", "--to", "3.0.0:post"})) {
      CommandLineRun run = cli(command);
      assertThat(run.exitCode()).as(run.err()).isEqualTo(TwostepCommandLine.REFUSED);
      assertThat(run.out().lines()).as("only the target line").singleElement().asString().startsWith("Target: ");
      assertThat(run.err()).startsWith("twostep: error: refusing to migrate to 3.0.0:post: post of 3.0.0 needs pre of "
          + "3.0.0 applied by an earlier run").contains("Go step by step:").doesNotContain("\tat ");
    }
    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:post#1", "2.0.0:pre#1");
    CommandLineRun plan = cli("plan");
    assertThat(plan.exitCode()).isEqualTo(TwostepCommandLine.FAILURE);
    assertThat(plan.err()).contains("migrate would refuse: post of 3.0.0 needs pre of 3.0.0");
  }

  @Test
  void waitForInstancesReturnsAsSoonAsTheLastOldInstanceLeaves() throws Exception {
    assertThat(cli("migrate", "--to", "2.0.0:pre").exitCode()).isZero();
    DeployerProcess first = app("1.0.0", Duration.ofMinutes(5));
    DeployerProcess second = app("1.0.0", Duration.ofMinutes(5));
    DeployerProcess current = app("2.0.0", Duration.ofMinutes(5));

    DeployerProcess deployer = DeployerProcess.start("blue-green", "migrate", "--to", "2.0.0:post",
        "--wait-for-instances", "10m", "--url", url());
    processes.add(deployer);
    await("the deployer waits", Duration.ofSeconds(60),
        () -> deployer.err().contains("guard    Waiting up to 10 min for 2 instances of releases older than 2.0.0 to stop:"));
    assertThat(deployer.err()).contains("pid " + first.pid()).contains("pid " + second.pid())
        .doesNotContain("pid " + current.pid());

    first.terminate();
    await("the deployer sees the first leave", Duration.ofSeconds(60),
        () -> deployer.err().contains("still waiting for 1 instance"));
    assertThat(deployer.isAlive()).isTrue();
    second.terminate();

    assertThat(deployer.waitFor(60)).as(deployer.err()).isZero();
    assertThat(deployer.err()).contains("No instance of a release older than 2.0.0 is live any more");
    assertThat(deployer.out()).contains("2.0.0:pre -> 2.0.0:post");
    assertThat(current.isAlive()).isTrue();
    assertThat(historyKeys()).endsWith("2.0.0:post#1");
  }
}
