package dev.twostep.bench;

import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Benchmark: one catalog deployed to many databases (a database per tenant). D databases of M
 * migrations each (the {@link MigrationSources} migrations), deployed three ways, each from empty
 * databases and measured as a whole (wall time from the first process start to the last exit):
 * <ul>
 *   <li>{@code twostep --parallel P}: one process, {@code BenchMigrations pre --urls-file ... --parallel P};</li>
 *   <li>{@code twostep loop}: a sequential loop of {@code BenchMigrations pre --url ...}, one process per
 *       database, as a deploy script without {@code --urls-file} does it;</li>
 *   <li>{@code flyway loop}: the same loop of Flyway processes ({@code Flyway.migrate()}, defaults), which
 *       is how Flyway users deploy many databases.</li>
 * </ul>
 * Every database is checked afterwards (M tables, M functions, M history rows).
 *
 * <pre>bench/run.sh tenants [--databases 200] [--migrations 20] [--parallel 8] [--repeat 1]</pre>
 */
public final class TenantsBenchmark {
  private TenantsBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args, Set.of("databases", "migrations", "parallel", "repeat", "results"));
    int databases = options.integer("databases", 200);
    int migrations = options.integer("migrations", 20);
    int parallel = options.integer("parallel", 8);
    int repeat = options.integer("repeat", 1);
    ChildProcess.requireGnuTime();
    TestPostgres server = TestPostgres.shared();
    Path work = Files.createTempDirectory("twostep-bench-tenants");
    try (Report report = Report.start("tenants", args, options, server)) {
      report.line("layout:     %d databases x %d migrations (a table, an index and a function each)", databases, migrations);
      report.line("tools:      twostep-parallel = one `BenchMigrations pre --urls-file --parallel %d` process; "
          + "twostep-loop = one `BenchMigrations pre --url` process per database, one after the other; "
          + "flyway-loop = one Flyway.migrate() process per database (flyway-core %s), one after the other",
          parallel, Machine.artifactVersion("org.flywaydb", "flyway-core"));
      report.line("measure:    wall = the process's run (twostep-parallel), or the sum of the processes' runs (loops); databases created beforehand");
      report.line("");

      List<Path> sources = MigrationSources.writeJava(work.resolve("src"), MigrationSources.Layout.single(migrations));
      Path classes = Javac.compileWithProcessor(sources, work);
      MigrationSources.writeFlyway(work.resolve("flyway"), migrations);
      String classPath = ChildProcess.join(classes.toString(), ChildProcess.classPath());
      String java = ChildProcess.java();

      Map<String, List<Double>> walls = new HashMap<>();
      List<String> tools = List.of("twostep-parallel", "twostep-loop", "flyway-loop");
      for (int rep = 1; rep <= repeat; rep++) {
        for (String tool : tools) {
          List<TestDatabase> dbs = new ArrayList<>();
          try {
            for (int i = 0; i < databases; i++) {
              dbs.add(server.createDatabase("bench_tenant_" + i));
            }
            double wall = switch (tool) {
              case "twostep-parallel" -> parallelRun(java, classPath, dbs, parallel, work);
              case "twostep-loop" -> loop(dbs, db -> List.of(java, "-cp", classPath, MigrationSources.CATALOG_CLASS,
                  "pre", "--url", url(db)), work, tool);
              default -> loop(dbs, db -> List.of(java, "-cp", classPath, FlywayApply.class.getName(),
                  work.resolve("flyway").toString()), work, tool);
            };
            for (TestDatabase db : dbs) {
              verify(db, tool, migrations);
            }
            report.line("run %d  %-17s wall %10.1f ms  (%.1f ms per database)", rep, tool, wall, wall / databases);
            walls.computeIfAbsent(tool, t -> new ArrayList<>()).add(wall);
          } finally {
            dbs.forEach(TestDatabase::close);
          }
        }
      }
      report.line("");
      report.line("## Summary (medians)");
      report.line("");
      double twostepParallel = Stats.median(walls.get("twostep-parallel"));
      double twostepLoop = Stats.median(walls.get("twostep-loop"));
      double flywayLoop = Stats.median(walls.get("flyway-loop"));
      report.table(List.of("databases x migrations", "twostep --parallel " + parallel + " ms", "twostep loop ms",
              "flyway loop ms", "parallel / flyway loop", "parallel / twostep loop"),
          List.of(List.of(databases + " x " + migrations, String.format("%.0f", twostepParallel),
              String.format("%.0f", twostepLoop), String.format("%.0f", flywayLoop),
              String.format("%.2f", twostepParallel / flywayLoop), String.format("%.2f", twostepParallel / twostepLoop))));
      report.footer();
    } finally {
      ApplyBenchmark.deleteTree(work);
    }
  }

  private static String url(TestDatabase db) {
    return db.url() + "?user=" + db.user() + (db.password() == null ? "" : "&password=" + db.password());
  }

  private static double parallelRun(String java, String classPath, List<TestDatabase> dbs, int parallel, Path work)
      throws Exception {
    List<String> lines = new ArrayList<>();
    for (TestDatabase db : dbs) {
      lines.add(url(db));
    }
    Path file = Files.write(work.resolve("tenants.txt"), lines);
    return ChildProcess.run(List.of(java, "-cp", classPath, MigrationSources.CATALOG_CLASS, "pre",
            "--urls-file", file.toString(), "--parallel", Integer.toString(parallel)), Map.of(),
            work.resolve("twostep-parallel.log"))
        .requireSuccess("twostep --urls-file on " + dbs.size() + " databases").wallMs();
  }

  private interface Command {
    List<String> of(TestDatabase db);
  }

  private static double loop(List<TestDatabase> dbs, Command command, Path work, String tool) throws Exception {
    double total = 0;
    for (TestDatabase db : dbs) {
      total += ChildProcess.run(command.of(db), ApplyBenchmark.environment(db), work.resolve(tool + ".log")).requireSuccess(tool).wallMs();
    }
    return total;
  }

  private static void verify(TestDatabase db, String tool, int n) throws Exception {
    String history = tool.startsWith("flyway")
        ? "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL"
        : "SELECT count(*) FROM twostep_history";
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      long tables = count(s, "SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relname LIKE 'bench\\_t%'");
      long rows = count(s, history);
      if (tables != n || rows != n) {
        throw new IllegalStateException(tool + " left " + tables + " tables and " + rows + " history rows in "
            + db.name() + "; expected " + n);
      }
    }
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
