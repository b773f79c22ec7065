package dev.twostep.bench;

import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark 7, rehearse: the command line's {@code rehearse} on N generated migrations spread over
 * several releases (the generated runner {@code BenchMigrations rehearse}, a JVM process measured
 * as a whole), against one plain apply of the same catalog ({@code BenchMigrations post} on an
 * empty database, as {@link ApplyBenchmark} runs it). The two alternate, each on a fresh database,
 * after one unmeasured warm-up run each; the ratio rehearse/apply is taken per repetition (side by
 * side) and its median reported. Goal (issue 18): at most 2.5x one plain apply.
 *
 * <p>{@code rehearse} creates its two scratch databases on the server of {@code --url} and drops
 * them; its {@code --url} is a fresh empty database, which it does not change.
 *
 * <pre>bench/run.sh rehearse [--size 500] [--releases 25] [--repeat 3]</pre>
 */
public final class RehearseBenchmark {
  static final double GOAL = 2.5;

  private RehearseBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args, Set.of("size", "releases", "repeat", "results"));
    int size = options.integer("size", 500);
    int releases = options.integer("releases", 25);
    int repeat = options.integer("repeat", 3);
    if (releases < 2 || size % releases != 0) {
      throw new IllegalArgumentException("--size must be a multiple of --releases (at least 2): " + size + ", " + releases);
    }
    MigrationSources.Layout layout = new MigrationSources.Layout(releases, size / releases);
    ChildProcess.requireGnuTime();
    TestPostgres server = TestPostgres.shared();
    Path work = Files.createTempDirectory("twostep-bench-rehearse");
    try (Report report = Report.start("rehearse", args, options, server)) {
      report.line("layout:     %s (releases x pre-migrations; a table, an index and a function each), %d migrations", layout, size);
      report.line("tools:      rehearse = generated runner `BenchMigrations rehearse` (default settings; two scratch "
          + "databases on the server of --url, --url a fresh empty database); apply = `BenchMigrations post` on an empty database");
      report.line("measure:    wall = process start to exit; peak = max RSS of the process (GNU time %M); "
          + "every JVM with default flags (java -cp ...)");
      report.line("repeat:     %d measured runs of each, interleaved (apply, rehearse, ...), after 1 warm-up run each", repeat);
      report.line("");

      List<Path> sources = MigrationSources.writeJava(work.resolve("src"), layout);
      Path classes = Javac.compileWithProcessor(sources, work);
      String classPath = ChildProcess.join(classes.toString(), ChildProcess.classPath());
      List<String> runner = List.of(ChildProcess.java(), "-cp", classPath, MigrationSources.CATALOG_CLASS);

      List<ChildProcess.Measured> applies = new ArrayList<>();
      List<ChildProcess.Measured> rehearsals = new ArrayList<>();
      for (int rep = 0; rep <= repeat; rep++) {
        String what = rep == 0 ? "warm-up" : "run " + rep;
        ChildProcess.Measured apply = ApplyBenchmark.runOnce(server, ApplyBenchmark.Tool.TWOSTEP, with(runner, "post"), size, work);
        report.line("N=%-5d %-8s %-9s wall %9.1f ms  peak %7.1f MiB", size, "apply", what, apply.wallMs(), apply.peakRssMb());
        Rehearsed rehearsed = rehearse(server, with(runner, "rehearse"), layout, work);
        ChildProcess.Measured rehearse = rehearsed.process();
        report.line("N=%-5d %-8s %-9s wall %9.1f ms  peak %7.1f MiB  rehearse/apply %.2f", size, "rehearse", what,
            rehearse.wallMs(), rehearse.peakRssMb(), rehearse.wallMs() / apply.wallMs());
        report.line("        of which the rehearsal itself (its report) %d ms: stepping through %d phases %d ms (the "
            + "migrations' own run %d ms), snapshots + one-go apply + comparison %d ms", rehearsed.totalMs(),
            layout.releases(), rehearsed.phasesMs(), rehearsed.migrationsMs(), rehearsed.totalMs() - rehearsed.phasesMs());
        if (rep > 0) {
          applies.add(apply);
          rehearsals.add(rehearse);
        }
      }

      report.line("");
      report.line("## Summary (medians over the measured runs; the ratio is the median of per-repetition ratios)");
      report.line("");
      double ratio = ApplyBenchmark.pairedRatio(rehearsals, applies);
      report.table(List.of("N", "layout", "apply wall ms", "rehearse wall ms", "apply peak MiB", "rehearse peak MiB",
              "rehearse/apply", "goal"),
          List.of(List.of(Integer.toString(size), layout.toString(),
              String.format("%.0f", Stats.median(applies.stream().map(ChildProcess.Measured::wallMs).toList())),
              String.format("%.0f", Stats.median(rehearsals.stream().map(ChildProcess.Measured::wallMs).toList())),
              String.format("%.0f", Stats.median(applies.stream().map(ChildProcess.Measured::peakRssMb).toList())),
              String.format("%.0f", Stats.median(rehearsals.stream().map(ChildProcess.Measured::peakRssMb).toList())),
              String.format("%.2f", ratio),
              String.format("<= %.1f: %s", GOAL, ratio <= GOAL ? "met" : "missed"))));
      report.footer();
    } finally {
      ApplyBenchmark.deleteTree(work);
    }
  }

  private static long sum(Matcher matcher) {
    long sum = 0;
    while (matcher.find()) {
      sum += Long.parseLong(matcher.group(1));
    }
    return sum;
  }

  private static List<String> with(List<String> runner, String command) {
    List<String> out = new ArrayList<>(runner);
    out.add(command);
    return out;
  }

  /**
   * A measured {@code rehearse} process and what its report says: the rehearsal's own time, the
   * sum of its phases' times (stepping release by release, with the lock observation of every
   * migration) and the sum of the migrations' execution times.
   */
  record Rehearsed(ChildProcess.Measured process, long totalMs, long phasesMs, long migrationsMs) {}

  private static final Pattern TOTAL = Pattern.compile("PASSED \\(\\d+ phases, \\d+ migrations, (\\d+) ms");
  private static final Pattern PHASE = Pattern.compile("^\\S+: \\d+ migrations?, (\\d+) ms", Pattern.MULTILINE);
  private static final Pattern MIGRATION = Pattern.compile("^  #\\d+ .*?\\s(\\d+) ms", Pattern.MULTILINE);

  /**
   * One measured {@code rehearse} with {@code --url} a fresh empty database; checks that it passed
   * and stepped through every release of the layout.
   */
  private static Rehearsed rehearse(TestPostgres server, List<String> command, MigrationSources.Layout layout,
      Path dir) throws Exception {
    try (TestDatabase db = server.createDatabase("bench_rehearse")) {
      Path log = dir.resolve("rehearse.log");
      ChildProcess.Measured m = ChildProcess.run(command, ApplyBenchmark.environment(db), log)
          .requireSuccess("rehearse of " + layout.size() + " migrations");
      String output = Files.readString(log, StandardCharsets.UTF_8);
      String expected = "PASSED (" + layout.releases() + " phases, " + layout.size() + " migrations";
      if (!output.contains(expected)) {
        throw new IllegalStateException("rehearse did not report '" + expected + "'; see " + log);
      }
      Matcher total = TOTAL.matcher(output);
      if (!total.find()) {
        throw new IllegalStateException("no total time in the rehearsal report; see " + log);
      }
      return new Rehearsed(m, Long.parseLong(total.group(1)), sum(PHASE.matcher(output)), sum(MIGRATION.matcher(output)));
    }
  }
}
