package dev.twostep.bench;

import dev.twostep.MigrationCatalog;
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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Benchmark 8, a {@code twostep-junit} test at a schema state other than the newest: one JVM (this
 * one) runs a generated test class through the JUnit Platform Launcher, as a build tool would. The
 * class is {@code @TwostepTest(catalog = BenchMigrations.class)} with {@code --tests} test methods,
 * each taking {@code @AtState("<release>:post") DataSource db} (by default the middle release of a
 * catalog of {@code --states} releases) and checking, on one connection, that the database holds
 * exactly the tables of that state. A {@link TestExecutionListener} times each test from
 * {@code executionStarted} to {@code executionFinished}: resolving the parameter (the first test of
 * a run also builds the state's template database; every test gets a copy), the body, and dropping
 * the copy. The first test is reported on its own, the following ones as median, p90 and max.
 * {@code --repeat} runs the class again in the same JVM (each launcher run builds its templates anew).
 * Goal (issue 18): at most 30 ms per test after the first.
 *
 * <pre>bench/run.sh junit [--states 20] [--steps 5] [--at 10:post] [--tests 50] [--repeat 3]</pre>
 */
public final class JunitBenchmark {
  static final double GOAL_MS = 30;
  private static final String TEST_CLASS = MigrationSources.PACKAGE + ".BenchStateTest";

  private JunitBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args, Set.of("states", "steps", "at", "tests", "repeat", "results"));
    MigrationSources.Layout layout = new MigrationSources.Layout(options.integer("states", 20), options.integer("steps", 5));
    String at = options.string("at", Math.max(1, layout.releases() / 2) + ":post");
    int release = Integer.parseInt(at.substring(0, at.indexOf(':')));
    int tests = options.integer("tests", 50);
    int repeat = options.integer("repeat", 3);
    if (tests < 2 || release >= layout.releases() || !at.endsWith(":post")) {
      throw new IllegalArgumentException("needs --tests >= 2 and --at <release>:post with a release older than the newest ("
          + layout.releases() + "): " + at);
    }
    TestPostgres server = TestPostgres.shared();
    Path work = Files.createTempDirectory("twostep-bench-junit");
    try (Report report = Report.start("junit", args, options, server)) {
      report.line("catalog:    %s (releases x pre-migrations; a table, an index and a function each), newest state %s:post",
          layout, layout.newestRelease());
      report.line("tests:      %d test methods of one generated @TwostepTest class, each with @AtState(\"%s\") DataSource "
          + "(%d tables there), run by the JUnit Platform Launcher (junit-platform-launcher %s) in this JVM",
          tests, at, release * layout.steps(), Launcher.class.getPackage().getImplementationVersion());
      report.line("measure:    per test, TestExecutionListener executionStarted -> executionFinished (parameter resolution "
          + "= copy of the template database, body = one connection and one query, drop of the copy); "
          + "the first test of a run also builds the template");
      report.line("repeat:     %d launcher runs of the class in this JVM, each with its own templates", repeat);
      report.line("");

      Path classes = Javac.compileWithProcessor(MigrationSources.writeJava(work.resolve("src"), layout), work);
      Path testClasses = compileTestClass(work, classes, at, release * layout.steps(), tests);

      List<Double> firsts = new ArrayList<>();
      List<Double> following = new ArrayList<>();
      List<List<String>> rows = new ArrayList<>();
      try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL(), testClasses.toUri().toURL()},
          JunitBenchmark.class.getClassLoader())) {
        Class<?> testClass = loader.loadClass(TEST_CLASS);
        for (int rep = 1; rep <= repeat; rep++) {
          List<Double> times = runTests(testClass, loader, tests);
          List<Double> rest = times.subList(1, times.size());
          firsts.add(times.get(0));
          following.addAll(rest);
          report.line("run %d  first test %8.1f ms  following %d tests: median %6.1f ms  p90 %6.1f ms  max %6.1f ms", rep,
              times.get(0), rest.size(), Stats.median(rest), Stats.percentile(rest, 90), Stats.percentile(rest, 100));
          rows.add(List.of(Integer.toString(rep), fmt(times.get(0)), Integer.toString(rest.size()), fmt(Stats.median(rest)),
              fmt(Stats.percentile(rest, 90)), fmt(Stats.percentile(rest, 100))));
        }
        double median = Stats.median(following);
        rows.add(List.of("all", fmt(Stats.median(firsts)) + " (median)", Integer.toString(following.size()), fmt(median),
            fmt(Stats.percentile(following, 90)), fmt(Stats.percentile(following, 100))));
        report.line("");
        report.line("## Summary (ms per test; run 1 is the JVM's first, later runs have warm classes but build their templates again)");
        report.line("");
        report.table(List.of("run", "first test ms", "following tests", "median ms", "p90 ms", "max ms"), rows);
        report.line("");
        report.line("goal:       <= %.0f ms per test after the first (median of the following tests): %s (%.1f ms)", GOAL_MS,
            median <= GOAL_MS ? "met" : "missed", median);
        attribute(report, server, (MigrationCatalog) loader.loadClass(MigrationSources.CATALOG_CLASS)
            .getDeclaredConstructor().newInstance(), at, release * layout.steps(), tests);
      }
      report.footer();
    } finally {
      ApplyBenchmark.deleteTree(work);
    }
  }

  /**
   * Where a test's time goes, without JUnit: the calls {@code twostep-junit} makes for each test
   * ({@link TestPostgres#createDatabase(String, String)} from the template, then closing the
   * {@link TestDatabase}, which drops it), timed one by one around the test body's work.
   */
  private static void attribute(Report report, TestPostgres server, MigrationCatalog catalog, String at, int tables,
      int tests) throws Exception {
    List<Double> creates = new ArrayList<>();
    List<Double> bodies = new ArrayList<>();
    List<Double> drops = new ArrayList<>();
    try (TestDatabase template = server.createDatabase("bench tpl")) {
      Twostep.builder().dataSource(template.dataSource()).catalog(catalog).build().migrate(Target.parse(at));
      for (int i = 0; i < tests; i++) {
        long t0 = System.nanoTime();
        TestDatabase copy = server.createDatabase("bench copy", template.name());
        long t1 = System.nanoTime();
        try (Connection c = copy.connect(); Statement s = c.createStatement()) {
          long found = ApplyBenchmark.count(s, "SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relname LIKE 'bench\\_t%'");
          if (found != tables) {
            throw new IllegalStateException(found + " tables in a copy at " + at + ", expected " + tables);
          }
        }
        long t2 = System.nanoTime();
        copy.close();
        long t3 = System.nanoTime();
        creates.add((t1 - t0) / 1e6);
        bodies.add((t2 - t1) / 1e6);
        drops.add((t3 - t2) / 1e6);
      }
    }
    report.line("");
    report.line("## Where the time goes (%d copies of a template at %s, in this JVM without JUnit, after the runs above)", tests, at);
    report.line("");
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("CREATE DATABASE ... TEMPLATE (TestPostgres.createDatabase)", fmt(Stats.median(creates)),
        fmt(Stats.percentile(creates, 90))));
    rows.add(List.of("connect + the test's query", fmt(Stats.median(bodies)), fmt(Stats.percentile(bodies, 90))));
    rows.add(List.of("DROP DATABASE ... WITH (FORCE) (TestDatabase.close)", fmt(Stats.median(drops)),
        fmt(Stats.percentile(drops, 90))));
    report.table(List.of("step", "median ms", "p90 ms"), rows);
  }

  /** Writes and compiles the test class: {@code tests} methods, each checking it sees {@code tables} tables. */
  private static Path compileTestClass(Path work, Path catalogClasses, String at, int tables, int tests) throws Exception {
    StringBuilder source = new StringBuilder()
        .append("package ").append(MigrationSources.PACKAGE).append(";\n\n")
        .append("import dev.twostep.junit.AtState;\n")
        .append("import dev.twostep.junit.TwostepTest;\n")
        .append("import java.sql.Connection;\n")
        .append("import java.sql.ResultSet;\n")
        .append("import java.sql.Statement;\n")
        .append("import javax.sql.DataSource;\n")
        .append("import org.junit.jupiter.api.Test;\n\n")
        .append("@TwostepTest(catalog = BenchMigrations.class)\n")
        .append("class BenchStateTest {\n")
        .append("  static void check(DataSource db) throws Exception {\n")
        .append("    try (Connection c = db.getConnection(); Statement s = c.createStatement();\n")
        .append("        ResultSet rs = s.executeQuery(\"SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relname LIKE 'bench\\\\_t%'\")) {\n")
        .append("      rs.next();\n")
        .append("      if (rs.getLong(1) != ").append(tables).append(") {\n")
        .append("        throw new AssertionError(rs.getLong(1) + \" tables at ").append(at).append(", expected ").append(tables)
        .append("\");\n")
        .append("      }\n")
        .append("    }\n")
        .append("  }\n");
    for (int i = 1; i <= tests; i++) {
      source.append("\n  @Test\n  void test").append(i).append("(@AtState(\"").append(at)
          .append("\") DataSource db) throws Exception {\n    check(db);\n  }\n");
    }
    source.append("}\n");
    Path dir = Files.createDirectories(work.resolve("test-src").resolve(MigrationSources.PACKAGE.replace('.', '/')));
    Path file = Files.writeString(dir.resolve("BenchStateTest.java"), source, StandardCharsets.UTF_8);
    Path testClasses = work.resolve("test-classes");
    List<String> command = Javac.command(List.of(file), testClasses, work.resolve("test-generated"), false,
        ChildProcess.join(catalogClasses.toString(), ChildProcess.classPath()));
    ChildProcess.run(command, Map.of(), work.resolve("javac-tests.log")).requireSuccess("javac of the test class");
    return testClasses;
  }

  /** Runs the test class once; returns each test's time in ms, in the order the tests started. */
  private static List<Double> runTests(Class<?> testClass, ClassLoader loader, int tests) {
    Map<String, Long> started = new ConcurrentHashMap<>();
    List<Double> times = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    TestExecutionListener listener = new TestExecutionListener() {
      @Override
      public void executionStarted(TestIdentifier test) {
        if (test.isTest()) {
          started.put(test.getUniqueId(), System.nanoTime());
        }
      }

      @Override
      public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
          failures.add(test.getDisplayName() + ": " + result.getThrowable().map(Throwable::toString).orElse("?"));
        }
        if (test.isTest()) {
          times.add((System.nanoTime() - started.get(test.getUniqueId())) / 1e6);
        }
      }
    };
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(DiscoverySelectors.selectClass(testClass)).build();
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      Launcher launcher = LauncherFactory.create();
      launcher.execute(request, listener);
    } finally {
      thread.setContextClassLoader(previous);
    }
    if (!failures.isEmpty() || times.size() != tests) {
      throw new IllegalStateException(times.size() + " of " + tests + " tests ran; failures: " + failures);
    }
    return times;
  }

  private static String fmt(double ms) {
    return String.format("%.1f", ms);
  }
}
