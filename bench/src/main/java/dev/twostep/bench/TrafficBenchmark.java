package dev.twostep.bench;

import dev.twostep.MigrationCatalog;
import dev.twostep.runtime.AppliedMigration;
import dev.twostep.runtime.MigrateResult;
import dev.twostep.runtime.RetryPolicy;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.flywaydb.core.Flyway;

/**
 * Benchmark 4, traffic during a migration. Clients issue short primary-key reads at a steady
 * total rate over their own connections (open loop: each query has an intended start time, and a
 * query's latency counts from it, so time spent queued behind an earlier slow query counts too).
 * After a warm-up, another session opens a transaction that reads the table (ACCESS SHARE) and
 * holds it; a second later the pre-migration {@code ALTER TABLE ... ADD COLUMN} starts and needs
 * ACCESS EXCLUSIVE, so it waits, and every client query queues behind it: the classic outage.
 * Twostep waits at most {@code lock_timeout} per attempt and retries with backoff; Flyway (no
 * lock_timeout by default) waits until the transaction ends. Tools alternate, each run on a fresh
 * database.
 *
 * <pre>bench/run.sh traffic [--repeat 3] [--clients 8] [--rate 200] [--hold 10s] [--lock-timeout 2s]
 *     [--attempts 10] [--max-backoff 2s]</pre>
 */
public final class TrafficBenchmark {
  private static final String ALTER = "ALTER TABLE bench_traffic ADD COLUMN note text";

  private TrafficBenchmark() {}

  /** One query: intended start, actual start and end (ns, one clock), and whether it failed. */
  private record Sample(long intended, long start, long end, boolean failed) {
    double latencyMs() {
      return (end - intended) / 1e6;
    }

    double serviceMs() {
      return (end - start) / 1e6;
    }
  }

  /** One run of one tool. */
  private record Run(String tool, List<Sample> samples, double migrationMs, int attempts, List<String> errors) {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args, Set.of("repeat", "clients", "rate", "hold", "lock-timeout", "attempts",
        "initial-backoff", "max-backoff", "rows", "tools", "results"));
    int repeat = options.integer("repeat", 3);
    int clients = options.integer("clients", 8);
    int rate = options.integer("rate", 200);
    Duration hold = options.duration("hold", "10s");
    Duration lockTimeout = options.duration("lock-timeout", "2s");
    RetryPolicy retry = new RetryPolicy(options.integer("attempts", 10),
        options.duration("initial-backoff", "200ms"), options.duration("max-backoff", "2s"));
    int rows = options.integer("rows", 10_000);
    List<String> tools = List.of(options.string("tools", "twostep,flyway").split(","));
    ChildProcess.requireGnuTime();
    TestPostgres server = TestPostgres.shared();
    Path work = Files.createTempDirectory("twostep-bench-traffic");
    try (Report report = Report.start("traffic", args, options, server)) {
      report.line("clients:    %d connections, %d queries/s in all (open loop), SELECT payload FROM bench_traffic "
          + "WHERE id = ? over %d rows; latency = end - intended start", clients, rate, rows);
      report.line("timeline:   2 s warm-up; then a transaction reads the table and holds ACCESS SHARE for %d ms; "
          + "1 s later the migration runs: %s", hold.toMillis(), ALTER);
      report.line("twostep:    in-process Twostep.builder()...lockTimeout(%d ms).retryPolicy(new RetryPolicy(%d, %d ms, "
          + "%d ms)).migrate(pre); catalog compiled by the processor", lockTimeout.toMillis(), retry.maxAttempts(),
          retry.initialBackoff().toMillis(), retry.maxBackoff().toMillis());
      report.line("flyway:     in-process Flyway.configure().dataSource(..).locations(filesystem:..).baselineOnMigrate(true)"
          + ".baselineVersion(\"0\").load().migrate(), otherwise defaults (no lock_timeout)");
      report.line("");

      MigrationCatalog catalog = compileCatalog(work);
      Path flywayDir = Files.createDirectories(work.resolve("flyway"));
      Files.writeString(flywayDir.resolve("V1__add_note.sql"), ALTER + ";\n", StandardCharsets.UTF_8);

      List<Run> runs = new ArrayList<>();
      for (int rep = 1; rep <= repeat; rep++) {
        for (String tool : tools) {
          Run run = runOnce(server, tool.trim(), catalog, flywayDir, clients, rate, hold, lockTimeout, retry, rows);
          runs.add(run);
          double[] latency = Stats.sorted(run.samples().stream().map(Sample::latencyMs).toList());
          double[] service = Stats.sorted(run.samples().stream().map(Sample::serviceMs).toList());
          report.line("%-7s run %d: %5d queries, latency p50 %7.2f ms, p99 %8.1f ms, max %8.1f ms (service max %8.1f ms), "
                  + "%d errors; migration %6.0f ms, %d attempt(s)",
              run.tool(), rep, latency.length, Stats.percentile(latency, 50), Stats.percentile(latency, 99),
              Stats.percentile(latency, 100), Stats.percentile(service, 100), run.errors().size(), run.migrationMs(),
              run.attempts());
          run.errors().stream().distinct().limit(3).forEach(e -> report.line("        error: " + e));
        }
      }

      report.line("");
      report.line("## Summary (client latency over all runs of a tool pooled; max = worst single query)");
      report.line("");
      List<List<String>> table = new ArrayList<>();
      for (String tool : tools) {
        List<Run> mine = runs.stream().filter(r -> r.tool().equals(tool.trim())).toList();
        double[] latency = Stats.sorted(mine.stream().flatMap(r -> r.samples().stream()).map(Sample::latencyMs).toList());
        int errors = mine.stream().mapToInt(r -> r.errors().size()).sum();
        table.add(List.of(tool.trim(), Integer.toString(mine.size()), Integer.toString(latency.length),
            fmt("%.2f", Stats.percentile(latency, 50)), fmt("%.1f", Stats.percentile(latency, 99)),
            fmt("%.1f", Stats.percentile(latency, 100)), Integer.toString(errors),
            fmt("%.0f", Stats.median(mine.stream().map(Run::migrationMs).toList())),
            mine.stream().map(r -> Integer.toString(r.attempts())).reduce((a, b) -> a + "," + b).orElse("")));
      }
      report.table(List.of("tool", "runs", "queries", "p50 ms", "p99 ms", "max ms", "errors", "migration ms (median)",
          "attempts per run"), table);
      report.line("");
      report.line("goal: twostep max latency < lock_timeout + 100 ms = %d ms with 0 errors", lockTimeout.toMillis() + 100);
      report.footer();
    } finally {
      ApplyBenchmark.deleteTree(work);
    }
  }

  /** Compiles the one pre-migration with the processor and loads the generated catalog. */
  private static MigrationCatalog compileCatalog(Path work) throws Exception {
    Path pkg = Files.createDirectories(work.resolve("src").resolve(MigrationSources.PACKAGE.replace('.', '/')));
    List<Path> sources = List.of(MigrationSources.writePackageInfo(pkg),
        MigrationSources.writeMigrationClass(pkg, "AddNote", "1", 1, ALTER + ";\n"));
    Path classes = Javac.compileWithProcessor(sources, work);
    // stays open for the whole run: the catalog's classes are loaded from it
    URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, TrafficBenchmark.class.getClassLoader());
    for (MigrationCatalog c : ServiceLoader.load(MigrationCatalog.class, loader)) {
      if (c.getClass().getName().equals(MigrationSources.CATALOG_CLASS)) {
        return c;
      }
    }
    throw new IllegalStateException("no " + MigrationSources.CATALOG_CLASS + " registered in " + classes);
  }

  private static Run runOnce(TestPostgres server, String tool, MigrationCatalog catalog, Path flywayDir, int clients,
      int rate, Duration hold, Duration lockTimeout, RetryPolicy retry, int rows) throws Exception {
    try (TestDatabase db = server.createDatabase("bench_traffic_" + tool)) {
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE bench_traffic (id bigint PRIMARY KEY, payload text NOT NULL)");
        s.execute("INSERT INTO bench_traffic SELECT g, md5(g::text) FROM generate_series(1, " + rows + ") g");
        s.execute("ANALYZE bench_traffic");
      }
      long periodNs = 1_000_000_000L * clients / rate;
      long t0 = System.nanoTime() + 300_000_000L;
      AtomicBoolean stop = new AtomicBoolean();
      ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
      List<Thread> threads = new ArrayList<>();
      for (int k = 0; k < clients; k++) {
        Connection connection = db.connect();
        long offset = periodNs * k / clients;
        Thread thread = new Thread(() -> client(connection, t0 + offset, periodNs, rows, stop, samples, errors),
            "bench-client-" + k);
        threads.add(thread);
        thread.start();
      }
      double migrationMs;
      int attempts;
      try (Connection blocker = db.connect()) {
        sleepUntil(t0 + 2_000_000_000L);
        blocker.setAutoCommit(false);
        try (Statement s = blocker.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM bench_traffic")) {
          rs.next();
        }
        long blockerEnd = System.nanoTime() + hold.toNanos();
        Thread release = new Thread(() -> {
          sleepUntil(blockerEnd);
          try {
            blocker.commit();
          } catch (SQLException e) {
            // the run failed and closed the connection; main reports that failure
          }
        }, "bench-blocker");
        release.start();
        sleepUntil(t0 + 3_000_000_000L);
        long start = System.nanoTime();
        if (tool.equals("twostep")) {
          MigrateResult result = Twostep.builder().url(db.url()).user(db.user()).password(db.password())
              .catalog(catalog).lockTimeout(lockTimeout).retryPolicy(retry).build()
              .migrate(Target.parse("pre"));
          attempts = result.applied().stream().mapToInt(AppliedMigration::attempts).max().orElse(0);
        } else if (tool.equals("flyway")) {
          // the table predates Flyway, as in an application adopting it: baseline at version 0
          Flyway.configure().dataSource(db.url(), db.user(), db.password())
              .locations("filesystem:" + flywayDir).baselineOnMigrate(true).baselineVersion("0").load().migrate();
          attempts = 1;
        } else {
          throw new IllegalArgumentException("tools are twostep and flyway: " + tool);
        }
        long end = System.nanoTime();
        migrationMs = (end - start) / 1e6;
        release.join();
        sleepUntil(Math.max(end, blockerEnd) + 2_000_000_000L);
      } finally {
        stop.set(true);
        for (Thread thread : threads) {
          thread.join();
        }
      }
      try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT count(*) FROM pg_attribute WHERE attrelid = 'bench_traffic'::regclass AND attname = 'note'")) {
        rs.next();
        if (rs.getInt(1) != 1) {
          throw new IllegalStateException(tool + " did not add the column");
        }
      }
      return new Run(tool, new ArrayList<>(samples), migrationMs, attempts, new ArrayList<>(errors));
    }
  }

  /** One client: a query every {@code periodNs} from {@code first}, on its own connection, until stopped. */
  private static void client(Connection connection, long first, long periodNs, int rows, AtomicBoolean stop,
      ConcurrentLinkedQueue<Sample> samples, ConcurrentLinkedQueue<String> errors) {
    try (connection; PreparedStatement query = connection.prepareStatement("SELECT payload FROM bench_traffic WHERE id = ?")) {
      for (long intended = first; !stop.get(); intended += periodNs) {
        sleepUntil(intended);
        long start = System.nanoTime();
        boolean failed = false;
        try {
          query.setLong(1, ThreadLocalRandom.current().nextLong(1, rows + 1));
          try (ResultSet rs = query.executeQuery()) {
            rs.next();
          }
        } catch (SQLException e) {
          failed = true;
          errors.add("SQLSTATE " + e.getSQLState() + ": " + e.getMessage());
        }
        samples.add(new Sample(intended, start, System.nanoTime(), failed));
      }
    } catch (SQLException e) {
      errors.add("client connection: " + e.getMessage());
    }
  }

  private static void sleepUntil(long nanoTime) {
    for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
