package dev.twostep.runtime.cli;

import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.runtime.TestCatalog;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The command line in a JVM whose class path has no SLF4J provider (this module's tests have
 * slf4j-simple, so it runs in a child JVM without it): no {@code SLF4J(W)} lines.
 */
class NoSlf4jProviderTest {
  /** Runs the command line, SLF4J touched first ({@code "slf4j-first"}) or as the command line does. */
  public static void main(String[] args) {
    if (args[0].equals("slf4j-first")) {
      org.slf4j.LoggerFactory.getLogger(NoSlf4jProviderTest.class);
    }
    TestCatalog catalog = TestCatalog.of(sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id int)"));
    int code = new TwostepCommandLine().run(catalog, new String[] {"status", "--url", "jdbc:postgresql://127.0.0.1:1/none"});
    // a logger after the run: SLF4J is initialised whatever path the command took
    org.slf4j.LoggerFactory.getLogger(NoSlf4jProviderTest.class).info("done");
    System.exit(code);
  }

  private static String stderrOf(String mode) throws Exception {
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.contains("slf4j-simple")).collect(Collectors.joining(File.pathSeparator));
    Process process = new ProcessBuilder(List.of(System.getProperty("java.home") + "/bin/java", "-cp", classPath,
        NoSlf4jProviderTest.class.getName(), mode)).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return err;
  }

  @Test
  void theCommandLinePrintsNoSlf4jWarning() throws Exception {
    String err = stderrOf("command-line");
    assertThat(err).contains("twostep:").doesNotContain("SLF4J");
  }

  @Test
  void withoutTheCommandLineSlf4jWouldWarn() throws Exception {
    // the control: SLF4J initialised before the command line could select the no-op provider
    assertThat(stderrOf("slf4j-first")).contains("SLF4J(W): No SLF4J providers were found");
  }
}
