package dev.twostep.bench;

import dev.twostep.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the benchmarks ran on, read from {@code /proc} and the JVM. */
final class Machine {
  private Machine() {}

  /** {@code Intel(R) Xeon(R) Processor, 2 cores, 23.5 GiB RAM, Linux 6.1.0 amd64}. */
  static String describe() {
    String cpu = "unknown CPU";
    String memory = "";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse(cpu);
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("\\D+", ""));
          memory = String.format(", %.1f GiB RAM", kb / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: say less
    }
    return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores" + memory + ", "
        + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
  }

  /** The 1, 5 and 15 minute load averages. */
  static String loadAverage() {
    try {
      List<String> fields = List.of(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+"));
      return String.join(" ", fields.subList(0, 3));
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The version of a Maven artifact on the class path, from its {@code pom.properties}. */
  static String artifactVersion(String groupId, String artifactId) {
    String resource = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (var in = Machine.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return "(version unknown)";
      }
      java.util.Properties properties = new java.util.Properties();
      properties.load(in);
      return properties.getProperty("version", "(version unknown)");
    } catch (IOException e) {
      return "(version unknown)";
    }
  }

  /** Whether the server is the embedded one or {@code TWOSTEP_TEST_URL}'s. */
  static String serverKind() {
    return TestPostgres.shared().isEmbedded()
        ? "embedded io.zonky, same machine"
        : "server of " + TestPostgres.URL_VARIABLE;
  }
}
