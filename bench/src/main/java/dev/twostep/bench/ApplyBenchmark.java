package dev.twostep.bench;

import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Benchmark 1, apply: N generated migrations (a table, an index and an SQL function each) applied
 * to an empty database by Twostep (the processor-generated runner's {@code post} command), by
 * Flyway (the same SQL as {@code V<i>__m<i>.sql} files) and by bare JDBC (the floor), each run a
 * JVM process of its own measured as a whole (wall time, peak RSS). Tools run interleaved
 * (twostep, flyway, jdbc, twostep, ...), each on a fresh database, after one unmeasured warm-up
 * run per tool and size; ratios are taken per repetition (side by side) and their median reported.
 *
 * <pre>bench/run.sh apply [--sizes 100,500,2000] [--repeat 5] [--tools twostep,flyway,jdbc]</pre>
 */
public final class ApplyBenchmark {
  /** The tools compared. */
  enum Tool {
    TWOSTEP, FLYWAY, JDBC;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private ApplyBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args, Set.of("sizes", "repeat", "tools", "results"));
    List<Integer> sizes = options.integers("sizes", "100,500,2000");
    int repeat = options.integer("repeat", 5);
    List<Tool> tools = new ArrayList<>();
    for (String t : options.string("tools", "twostep,flyway,jdbc").split(",")) {
      tools.add(Tool.valueOf(t.trim().toUpperCase(Locale.ROOT)));
    }
    ChildProcess.requireGnuTime();
    TestPostgres server = TestPostgres.shared();
    Path work = Files.createTempDirectory("twostep-bench-apply");
    try (Report report = Report.start("apply", args, options, server)) {
      report.line("tools:      twostep = generated runner `BenchMigrations post` (default settings); "
          + "flyway = flyway-core " + Machine.artifactVersion("org.flywaydb", "flyway-core")
          + " Flyway.migrate() with defaults; jdbc = one transaction + one history insert per migration");
      report.line("measure:    wall = process start to exit; peak = max RSS of the process (GNU time %M); "
          + "every JVM with default flags (java -cp ...)");
      report.line("repeat:     %d measured runs per tool and size, interleaved, after 1 warm-up run each", repeat);
      report.line("");

      Map<Integer, Map<Tool, List<ChildProcess.Measured>>> all = new LinkedHashMap<>();
      for (int n : sizes) {
        Path dir = Files.createDirectories(work.resolve("n" + n));
        Map<Tool, List<String>> commands = prepare(n, dir);
        Map<Tool, List<ChildProcess.Measured>> runs = new EnumMap<>(Tool.class);
        for (int rep = 0; rep <= repeat; rep++) {
          for (Tool tool : tools) {
            ChildProcess.Measured m = runOnce(server, tool, commands.get(tool), n, dir);
            String what = rep == 0 ? "warm-up" : "run " + rep;
            report.line("N=%-5d %-7s %-9s wall %9.1f ms  peak %7.1f MiB", n, tool.label(), what, m.wallMs(), m.peakRssMb());
            if (rep > 0) {
              runs.computeIfAbsent(tool, t -> new ArrayList<>()).add(m);
            }
          }
        }
        all.put(n, runs);
      }
      summarize(report, all, tools);
      report.footer();
    } finally {
      deleteTree(work);
    }
  }

  /** Writes the three forms of the migrations and compiles the Java one (not measured). */
  private static Map<Tool, List<String>> prepare(int n, Path dir) throws IOException, InterruptedException {
    List<Path> sources = MigrationSources.writeJava(dir.resolve("src"), MigrationSources.Layout.single(n));
    Path classes = Javac.compileWithProcessor(sources, dir);
    MigrationSources.writeFlyway(dir.resolve("flyway"), n);
    MigrationSources.writeJdbc(dir.resolve("jdbc.sql"), n);
    // one class path for all three, so that none gains from a shorter one
    String classPath = ChildProcess.join(classes.toString(), ChildProcess.classPath());
    String java = ChildProcess.java();
    Map<Tool, List<String>> commands = new EnumMap<>(Tool.class);
    commands.put(Tool.TWOSTEP, List.of(java, "-cp", classPath, MigrationSources.CATALOG_CLASS, "post"));
    commands.put(Tool.FLYWAY, List.of(java, "-cp", classPath, FlywayApply.class.getName(), dir.resolve("flyway").toString()));
    commands.put(Tool.JDBC, List.of(java, "-cp", classPath, JdbcApply.class.getName(), dir.resolve("jdbc.sql").toString()));
    return commands;
  }

  /** One measured run of {@code tool} on a fresh database, checked afterwards; its output goes to {@code <dir>/<tool>.log}. */
  static ChildProcess.Measured runOnce(TestPostgres server, Tool tool, List<String> command, int n, Path dir)
      throws Exception {
    try (TestDatabase db = server.createDatabase("bench_apply_" + tool.label())) {
      ChildProcess.Measured m = ChildProcess.run(command, environment(db), dir.resolve(tool.label() + ".log"))
          .requireSuccess(tool.label() + " applying " + n + " migrations");
      verify(db, tool, n);
      return m;
    }
  }

  /** The environment naming {@code db} to a child process: {@code TWOSTEP_URL}, {@code _USER}, {@code _PASSWORD}. */
  static Map<String, String> environment(TestDatabase db) {
    Map<String, String> env = new HashMap<>();
    env.put("TWOSTEP_URL", db.url());
    env.put("TWOSTEP_USER", db.user());
    if (db.password() != null) {
      env.put("TWOSTEP_PASSWORD", db.password());
    }
    env.put("REDGATE_DISABLE_TELEMETRY", "true");
    return env;
  }

  /** Checks that the run really created N tables, N functions and N history rows. */
  private static void verify(TestDatabase db, Tool tool, int n) throws SQLException {
    String history = switch (tool) {
      case TWOSTEP -> "SELECT count(*) FROM twostep_history";
      case FLYWAY -> "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL";
      case JDBC -> "SELECT count(*) FROM bench_history";
    };
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      long tables = count(s, "SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relname LIKE 'bench\\_t%'");
      long functions = count(s, "SELECT count(*) FROM pg_proc WHERE proname LIKE 'bench\\_fn\\_%\\_v1'");
      long rows = count(s, history);
      if (tables != n || functions != n || rows != n) {
        throw new IllegalStateException(tool.label() + " left " + tables + " tables, " + functions + " functions and "
            + rows + " history rows; expected " + n + " of each");
      }
    }
  }

  static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void summarize(Report report, Map<Integer, Map<Tool, List<ChildProcess.Measured>>> all, List<Tool> tools) {
    report.line("");
    report.line("## Summary (medians over the measured runs; ratios are medians of per-repetition ratios)");
    report.line("");
    List<String> headers = new ArrayList<>(List.of("N"));
    for (Tool tool : tools) {
      headers.add(tool.label() + " wall ms");
    }
    for (Tool tool : tools) {
      headers.add(tool.label() + " peak MiB");
    }
    boolean ratios = tools.contains(Tool.TWOSTEP);
    if (ratios && tools.contains(Tool.JDBC)) {
      headers.add("twostep/jdbc");
    }
    if (ratios && tools.contains(Tool.FLYWAY)) {
      headers.add("twostep/flyway");
    }
    List<List<String>> rows = new ArrayList<>();
    for (var entry : all.entrySet()) {
      Map<Tool, List<ChildProcess.Measured>> runs = entry.getValue();
      List<String> row = new ArrayList<>(List.of(Integer.toString(entry.getKey())));
      for (Tool tool : tools) {
        row.add(fmt("%.0f", Stats.median(runs.get(tool).stream().map(ChildProcess.Measured::wallMs).toList())));
      }
      for (Tool tool : tools) {
        row.add(fmt("%.0f", Stats.median(runs.get(tool).stream().map(ChildProcess.Measured::peakRssMb).toList())));
      }
      if (ratios && tools.contains(Tool.JDBC)) {
        row.add(fmt("%.2f", pairedRatio(runs.get(Tool.TWOSTEP), runs.get(Tool.JDBC))));
      }
      if (ratios && tools.contains(Tool.FLYWAY)) {
        row.add(fmt("%.2f", pairedRatio(runs.get(Tool.TWOSTEP), runs.get(Tool.FLYWAY))));
      }
      rows.add(row);
    }
    report.table(headers, rows);

    report.line("");
    report.line("## Cost per migration (median wall / N, and the marginal cost between sizes)");
    report.line("");
    List<String> perHeaders = new ArrayList<>(List.of("N"));
    for (Tool tool : tools) {
      perHeaders.add(tool.label() + " ms/migration");
      perHeaders.add(tool.label() + " marginal ms/migration");
    }
    List<List<String>> perRows = new ArrayList<>();
    Integer previous = null;
    for (int n : all.keySet()) {
      List<String> row = new ArrayList<>(List.of(Integer.toString(n)));
      for (Tool tool : tools) {
        double wall = medianWall(all.get(n).get(tool));
        row.add(fmt("%.2f", wall / n));
        row.add(previous == null ? "-" : fmt("%.2f (%d->%d)",
            (wall - medianWall(all.get(previous).get(tool))) / (n - previous), previous, n));
      }
      perRows.add(row);
      previous = n;
    }
    report.table(perHeaders, perRows);
  }

  private static double medianWall(List<ChildProcess.Measured> runs) {
    return Stats.median(runs.stream().map(ChildProcess.Measured::wallMs).toList());
  }

  /** The median of {@code a[i] / b[i]} over repetitions i: runs side by side, same machine state. */
  static double pairedRatio(List<ChildProcess.Measured> a, List<ChildProcess.Measured> b) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      ratios.add(a.get(i).wallMs() / b.get(i).wallMs());
    }
    return Stats.median(ratios);
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
