package dev.twostep.runtime.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Eight deployer processes run {@code post} at once on a fresh database. */
class ConcurrentDeployersTest extends ReliabilitySupport {
  private static final int DEPLOYERS = 8;

  @Test
  void eightDeployerJvmsApplyEveryMigrationExactlyOnce() throws Exception {
    List<DeployerProcess> deployers = new ArrayList<>();
    try {
      for (int i = 0; i < DEPLOYERS; i++) {
        deployers.add(DeployerProcess.start("concurrent", "post", "--url", url(), "--deployer-lock-wait", "90s"));
      }
      StringBuilder allOut = new StringBuilder();
      StringBuilder allProgress = new StringBuilder();
      for (DeployerProcess deployer : deployers) {
        int code = deployer.waitFor(120);
        assertThat(code).as("exit code; stderr:%n%s", deployer.err()).isZero();
        allOut.append(deployer.out());
        allProgress.append(deployer.err());
      }

      int migrations = ReliabilityCatalogs.CONCURRENT.migrations().size();
      assertThat(historyKeys()).containsExactly(
          "1.0.0:pre#1", "1.0.0:pre#2", "1.0.0:post#1", "2.0.0:pre#1", "2.0.0:pre#2", "2.0.0:post#1");
      // every SQL migration's effect happened once, all in one backend: one deployer did the work
      assertThat(column("SELECT migration || ' x' || count(*) FROM effects GROUP BY migration ORDER BY migration"))
          .containsExactly("1.0.0:post#1 x1", "1.0.0:pre#1 x1", "1.0.0:pre#2 x1", "2.0.0:post#1 x1", "2.0.0:pre#1 x1");
      assertThat(value("SELECT count(DISTINCT pid) FROM effects")).isEqualTo("1");
      assertThat(value("SELECT count(*) FROM jobs")).isEqualTo("2000");
      assertThat(value("SELECT count(*) FROM jobs WHERE priority <> 1")).isEqualTo("0");
      assertThat(value("SELECT count(*) FROM pg_index WHERE indexrelid = 'jobs_queue_idx'::regclass AND indisvalid"))
          .isEqualTo("1");
      // each migration is reported applied by exactly one deployer; the other seven found nothing to do
      assertThat(allProgress.toString().lines().filter(l -> l.matches(" *\\d+\\.\\d{3}s  applied  .*")).count())
          .isEqualTo(migrations);
      assertThat(allOut.toString().lines().filter(l -> l.equals("Nothing to apply: the database is at 2.0.0:post.")))
          .hasSize(DEPLOYERS - 1);
    } finally {
      for (DeployerProcess deployer : deployers) {
        deployer.kill();
        deployer.cleanUp();
      }
    }
  }
}
