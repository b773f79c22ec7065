package dev.twostep.runtime.reliability;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Deployer} in a JVM of its own, started light (no JIT beyond C1, small heap, class data
 * sharing), its output captured in files. {@link #kill()} sends SIGKILL on Linux.
 */
final class DeployerProcess {
  private final Process process;
  private final Path out;
  private final Path err;

  private DeployerProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** Starts {@code Deployer <catalog> <args>} with the environment {@code env} added. */
  static DeployerProcess start(String catalog, Map<String, String> env, List<String> jvmOptions, String... args) {
    List<String> all = new ArrayList<>(List.of(catalog));
    all.addAll(List.of(args));
    return startMain(Deployer.class, env, jvmOptions, all);
  }

  /** Starts the {@code main} of {@code mainClass} with {@code args} and the environment {@code env} added. */
  static DeployerProcess startMain(Class<?> mainClass, Map<String, String> env, List<String> jvmOptions,
      List<String> args) {
    try {
      Path out = Files.createTempFile("twostep-deployer", ".out");
      Path err = Files.createTempFile("twostep-deployer", ".err");
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k",
          "-Dorg.slf4j.simpleLogger.showThreadName=false"));
      command.addAll(jvmOptions);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(mainClass.getName());
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().keySet().removeIf(k -> k.startsWith("TWOSTEP_"));
      builder.environment().putAll(env);
      return new DeployerProcess(builder.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static DeployerProcess start(String catalog, String... args) {
    return start(catalog, Map.of(), List.of(), args);
  }

  /** Waits for the exit and returns the exit code; fails the test after {@code seconds}. */
  int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("deployer did not finish within " + seconds + " s; stderr:\n" + err());
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** SIGTERM: the JVM runs its shutdown hooks; waits for the exit. */
  void terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("process did not exit within 30 s after SIGTERM; stderr:\n" + err());
    }
  }

  /** SIGSTOP: the process freezes, its sockets stay open (as a deployer stopped by a debugger or a paused VM). */
  void freeze() throws IOException, InterruptedException {
    Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).inheritIO().start();
    if (stop.waitFor() != 0) {
      throw new AssertionError("kill -STOP " + process.pid() + " failed");
    }
  }

  /** SIGKILL: the JVM gets no chance to clean up, its sockets are closed by the kernel. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  String out() {
    return read(out);
  }

  String err() {
    return read(err);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the captured output. */
  void cleanUp() {
    try {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
