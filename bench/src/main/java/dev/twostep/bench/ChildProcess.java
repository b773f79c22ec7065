package dev.twostep.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a command as a child process under GNU time ({@code /usr/bin/time}, Debian package
 * {@code time}) and measures it as a whole: wall time from start to exit on this JVM's monotonic
 * clock, and the peak resident set size the kernel reports for the child ({@code %M}, from
 * {@code wait4}'s rusage, in KiB). Its output goes to a log file.
 */
final class ChildProcess {
  static final Path GNU_TIME = Path.of("/usr/bin/time");

  /** One measured run. */
  record Measured(double wallMs, long peakRssKb, int exitCode, Path log) {
    double peakRssMb() {
      return peakRssKb / 1024.0;
    }

    /**
     * @throws IllegalStateException when the command failed, with the end of its log
     */
    Measured requireSuccess(String what) throws IOException {
      if (exitCode != 0) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        throw new IllegalStateException(what + " failed with exit code " + exitCode + "; end of " + log + ":\n" + tail);
      }
      return this;
    }
  }

  private ChildProcess() {}

  /** Fails early, saying how to install GNU time, when it is missing. */
  static void requireGnuTime() {
    if (!Files.isExecutable(GNU_TIME)) {
      throw new IllegalStateException(GNU_TIME + " (GNU time) is needed to measure peak memory: "
          + "apt-get install time");
    }
  }

  /** The {@code java} launcher of this JVM. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** This JVM's class path. */
  static String classPath() {
    return System.getProperty("java.class.path");
  }

  /** {@code first + File.pathSeparator + rest}. */
  static String join(String... paths) {
    return String.join(File.pathSeparator, paths);
  }

  /** Runs {@code command} with {@code env} added to this process's environment, output to {@code log}. */
  static Measured run(List<String> command, Map<String, String> env, Path log) throws IOException, InterruptedException {
    requireGnuTime();
    Path timeFile = Files.createTempFile("twostep-bench-time", ".txt");
    try {
      List<String> full = new ArrayList<>(List.of(GNU_TIME.toString(), "-f", "%e %M", "-o", timeFile.toString()));
      full.addAll(command);
      ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      long start = System.nanoTime();
      Process process = builder.start();
      int exit = process.waitFor();
      double wallMs = (System.nanoTime() - start) / 1e6;
      String[] time = Files.readString(timeFile, StandardCharsets.UTF_8).trim().split("\\s+");
      // GNU time prefixes "Command exited with non-zero status" lines; the last two fields are ours
      long rss = Long.parseLong(time[time.length - 1]);
      return new Measured(wallMs, rss, exit, log);
    } finally {
      Files.deleteIfExists(timeFile);
    }
  }
}
