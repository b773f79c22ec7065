package dev.twostep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PgBouncer of its own in front of the test server ({@link TestPostgres#shared()}), for tests
 * of what Twostep does behind a connection pooler. It runs Debian's {@code pgbouncer} executable
 * with a generated configuration in a temporary directory, on a free port, in session or
 * transaction pooling mode; every database of the server is reachable through it under its own
 * name. Close it to stop the process and delete the directory.
 *
 * <p>Tests call {@link #unavailableReason()} first: without the executable, a CI run (environment
 * variable {@code CI} set) must fail, a developer's run may report why it did not run.
 */
public final class PgBouncer implements AutoCloseable {
  /** PgBouncer's {@code pool_mode}. */
  public enum PoolMode {
    /** A server connection belongs to one client for the client's whole session. */
    SESSION,
    /** A server connection is lent to a client for one transaction, then to the next client. */
    TRANSACTION;

    String setting() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final List<Path> SEARCHED = List.of(Path.of("/usr/sbin/pgbouncer"), Path.of("/usr/bin/pgbouncer"),
      Path.of("/usr/local/sbin/pgbouncer"), Path.of("/usr/local/bin/pgbouncer"));

  private static final int POOL_SIZE = 10;

  private final Process process;
  private final Path directory;
  private final int port;
  private final PoolMode mode;
  private PgBouncer(Process process, Path directory, int port, PoolMode mode) {
    this.process = process;
    this.directory = directory;
    this.port = port;
    this.mode = mode;
  }

  /** The {@code pgbouncer} executable: on the {@code PATH} or where Debian installs it. */
  public static Optional<Path> executable() {
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(Path.of(dir, "pgbouncer"));
        }
      }
    }
    candidates.addAll(SEARCHED);
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  /** True when the environment variable {@code CI} is set: there a missing PgBouncer is a failure. */
  public static boolean required() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
  }

  /** Why the PgBouncer tests cannot run here, with how to fix it; empty when they can. */
  public static Optional<String> unavailableReason() {
    if (executable().isPresent()) {
      return Optional.empty();
    }
    return Optional.of("PgBouncer is not installed (no pgbouncer executable on the PATH or in /usr/sbin), so the "
        + "tests through a connection pooler cannot run. Install it: sudo apt-get install -y pgbouncer "
        + "(Debian/Ubuntu), brew install pgbouncer (macOS) or dnf install pgbouncer (Fedora).");
  }

  /**
   * Starts a PgBouncer in {@code mode} in front of {@code server} and waits until it accepts
   * connections.
   *
   * @throws IllegalStateException when PgBouncer is not installed or does not start
   */
  public static PgBouncer start(TestPostgres server, PoolMode mode) {
    Path executable = executable().orElseThrow(() -> new IllegalStateException(unavailableReason().orElseThrow()));
    Path directory = null;
    try {
      directory = Files.createTempDirectory("twostep-pgbouncer-");
      int port = freePort();
      String password = server.password() == null ? "" : server.password();
      Files.writeString(directory.resolve("userlist.txt"),
          quote(server.user()) + " " + quote(password) + "\n", StandardCharsets.UTF_8);
      Files.writeString(directory.resolve("pgbouncer.ini"), String.join("\n",
          "[databases]",
          "* = host=" + server.host() + " port=" + server.port(),
          "[pgbouncer]",
          "listen_addr = 127.0.0.1",
          "listen_port = " + port,
          "unix_socket_dir =",
          "auth_type = trust",
          "auth_file = " + directory.resolve("userlist.txt"),
          "pool_mode = " + mode.setting(),
          // PgBouncer's defaults: hand out the most recently released server connection first
          "server_round_robin = 0",
          "max_client_conn = 200",
          "default_pool_size = " + POOL_SIZE,
          "ignore_startup_parameters = extra_float_digits",
          ""), StandardCharsets.UTF_8);
      List<String> command = new ArrayList<>(List.of(executable.toString()));
      if ("root".equals(System.getProperty("user.name"))) {
        // PgBouncer refuses to run as root; it reads its files after switching user
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String file : List.of("userlist.txt", "pgbouncer.ini")) {
          Files.setPosixFilePermissions(directory.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
        }
        command.addAll(List.of("-u", "nobody"));
      }
      command.add(directory.resolve("pgbouncer.ini").toString());
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(directory.resolve("pgbouncer.log").toFile()).start();
      PgBouncer bouncer = new PgBouncer(process, directory, port, mode);
      // a test JVM that ends without closing it must not leave PgBouncer running
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "twostep-pgbouncer-stop"));
      bouncer.awaitListening();
      return bouncer;
    } catch (IOException e) {
      deleteQuietly(directory);
      throw new UncheckedIOException("could not start PgBouncer", e);
    }
  }

  private void awaitListening() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      if (!process.isAlive()) {
        String log = log();
        close();
        throw new IllegalStateException("PgBouncer exited with " + process.exitValue() + " at start:\n" + log);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          String log = log();
          close();
          throw new IllegalStateException("PgBouncer did not listen on port " + port + " within 20 s:\n" + log);
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          close();
          throw new IllegalStateException("interrupted while starting PgBouncer", e);
        }
      }
    }
  }

  /** The port it listens on, on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** Its pooling mode. */
  public PoolMode mode() {
    return mode;
  }

  /** The JDBC URL of {@code database} through this PgBouncer, without credentials. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /**
   * At most this many server connections per database and user: a test that takes this many at
   * once (each in an open transaction) has seen every backend the pool could lend.
   */
  public int poolSize() {
    return POOL_SIZE;
  }

  /** What PgBouncer logged so far, for failure messages. */
  public String log() {
    try {
      return Files.readString(directory.resolve("pgbouncer.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops PgBouncer (closing its server connections) and deletes its directory. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    deleteQuietly(directory);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String quote(String value) {
    return '"' + value.replace("\"", "\"\"") + '"';
  }

  private static void deleteQuietly(Path directory) {
    if (directory == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory; the OS cleans it eventually
    }
  }
}
