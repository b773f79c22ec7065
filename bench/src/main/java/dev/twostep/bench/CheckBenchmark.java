package dev.twostep.bench;

import dev.twostep.MigrationCatalog;
import dev.twostep.runtime.CheckResult;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Benchmark 2, start-up check (JMH, sample time): {@code Twostep.check(release)} on a database
 * with 2000 applied migrations, as an application calls it at start-up. The migrations are the
 * generated ones of benchmark 1, compiled with the processor and applied by Twostep in the trial's
 * set-up; {@code layout} spreads them over releases ({@code 1x2000}: one release of 2000 steps;
 * {@code 100x20}: 100 releases of 20). {@code connection=warm} hands Twostep one open connection
 * (a warm pool); {@code fresh} opens a new one per call.
 *
 * <pre>bench/run.sh check [--layouts 1x2000,100x20] [--connections warm,fresh] [--iterations 5] [--time 2s]</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CheckBenchmark {
  /** Releases x steps of the applied migrations. */
  @Param({"1x2000", "100x20"})
  public String layout;

  /** {@code warm}: one open connection; {@code fresh}: a new connection per check. */
  @Param({"warm", "fresh"})
  public String connection;

  private Path work;
  private URLClassLoader loader;
  private TestDatabase database;
  private Connection open;
  private Twostep twostep;
  private String release;

  /** Generates, compiles and applies the migrations; fails when check would say incompatible. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    MigrationSources.Layout parsed = MigrationSources.Layout.parse(layout);
    work = Files.createTempDirectory("twostep-bench-check");
    Path classes = Javac.compileWithProcessor(MigrationSources.writeJava(work.resolve("src"), parsed), work);
    loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, CheckBenchmark.class.getClassLoader());
    MigrationCatalog catalog = null;
    for (MigrationCatalog c : ServiceLoader.load(MigrationCatalog.class, loader)) {
      if (c.getClass().getName().equals(MigrationSources.CATALOG_CLASS)) {
        catalog = c;
      }
    }
    if (catalog == null) {
      throw new IllegalStateException("no " + MigrationSources.CATALOG_CLASS + " registered in " + classes);
    }
    database = TestPostgres.shared().createDatabase("bench_check");
    Twostep.builder().url(database.url()).user(database.user()).password(database.password()).catalog(catalog).build()
        .migrate(Target.parse("post"));
    open = database.connect();
    DataSource source = switch (connection) {
      case "warm" -> new SingleConnectionDataSource(open);
      case "fresh" -> database.dataSource();
      default -> throw new IllegalArgumentException("connection must be warm or fresh: " + connection);
    };
    twostep = Twostep.builder().dataSource(source).catalog(catalog).build();
    release = parsed.newestRelease();
    CheckResult result = twostep.check(release);
    if (!result.compatible()) {
      throw new IllegalStateException("check(" + release + ") says incompatible: " + result);
    }
  }

  @Benchmark
  public CheckResult check() {
    return twostep.check(release);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    open.close();
    database.close();
    loader.close();
    ApplyBenchmark.deleteTree(work);
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args, Set.of("layouts", "connections", "iterations", "warmups", "time", "results"));
    int iterations = options.integer("iterations", 5);
    int warmups = options.integer("warmups", 3);
    long timeMs = options.duration("time", "2s").toMillis();
    ChildProcess.requireGnuTime();
    Path jmhOutput = Files.createTempFile("twostep-bench-check", ".txt");
    try (Report report = Report.start("check", args, options, TestPostgres.shared())) {
      report.line("jmh:        mode SampleTime, %d warm-up + %d measured iterations of %d ms, 1 fork; "
          + "the fork starts its own embedded PostgreSQL unless TWOSTEP_TEST_URL is set", warmups, iterations, timeMs);
      report.line("");
      ChainedOptionsBuilder jmh = new OptionsBuilder()
          .include(CheckBenchmark.class.getName())
          .warmupIterations(warmups)
          .measurementIterations(iterations)
          .warmupTime(TimeValue.milliseconds(timeMs))
          .measurementTime(TimeValue.milliseconds(timeMs))
          .output(jmhOutput.toString());
      jmh.param("layout", options.string("layouts", "1x2000,100x20").split(","));
      jmh.param("connection", options.string("connections", "warm,fresh").split(","));
      Collection<RunResult> results = new Runner(jmh.build()).run();
      report.line("## JMH output");
      report.line("");
      for (String line : Files.readAllLines(jmhOutput)) {
        report.line(line);
      }
      report.line("");
      report.line("## Summary (ms per check)");
      report.line("");
      List<List<String>> rows = new ArrayList<>();
      for (RunResult result : results) {
        Statistics s = result.getPrimaryResult().getStatistics();
        rows.add(List.of(result.getParams().getParam("layout"), result.getParams().getParam("connection"),
            Long.toString(s.getN()), fmt(s.getPercentile(50)), fmt(s.getPercentile(99)), fmt(s.getMax()),
            fmt(s.getMean())));
      }
      report.table(List.of("layout (releases x steps)", "connection", "samples", "median ms", "p99 ms", "max ms",
          "mean ms"), rows);
      report.footer();
    } finally {
      Files.deleteIfExists(jmhOutput);
    }
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
