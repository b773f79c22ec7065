package dev.twostep.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The demo walks all three releases on a fresh database, and every check() answer holds. */
class DemoTest {
  @Test
  void demoRunsEveryReleaseAndTheMatrixHolds() throws Exception {
    try (TestDatabase db = TestPostgres.shared().createDatabase("demo")) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int status = new Demo(new PrintStream(bytes, true, StandardCharsets.UTF_8), db.dataSource()).run();
      String output = bytes.toString(StandardCharsets.UTF_8);
      assertThat(status).as(output).isZero();
      assertThat(output)
          .contains("== release 3.0.0")
          .contains("  2.0.0:pre      runs    runs    -")
          .contains("  3.0.0:post     -       -       runs")
          .contains("code 2.0.0 is refused here, and rightly")
          .contains("  post    refused by the deploy guard: instance of 1.0.0 on ")
          .contains("  post    refused by the deploy guard: instance of 2.0.0 on ")
          .contains("  stop    the instance of code 2.0.0 is switched off: Twostep.instances() now lists [3.0.0]")
          .contains("Every check() answer matched");
    }
  }
}
