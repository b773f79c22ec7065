package dev.twostep.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Benchmark 3, compile cost: {@code javac} over N generated migration classes with
 * {@code -proc:none} and with the Twostep processor, each a process of its own measured as a
 * whole (wall time, peak RSS), interleaved, into fresh output folders. The processor's cost is
 * the difference; the goal compares it with javac's own time.
 *
 * <pre>bench/run.sh compile [--sizes 100,1000,5000] [--repeat 3]</pre>
 */
public final class CompileBenchmark {
  private CompileBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args, Set.of("sizes", "repeat", "results"));
    List<Integer> sizes = options.integers("sizes", "100,1000,5000");
    int repeat = options.integer("repeat", 3);
    ChildProcess.requireGnuTime();
    Path work = Files.createTempDirectory("twostep-bench-compile");
    try (Report report = Report.open(Path.of(options.string("results", "bench/results")), "compile")) {
      report.header("compile", "bench/run.sh compile " + String.join(" ", args), null);
      report.line("javac:      " + Javac.binary() + " --release 17, class path twostep-dsl; "
          + "plain = -proc:none; processor = -processorpath <twostep-processor, twostep-dsl, javapoet> -processor "
          + Javac.PROCESSOR);
      report.line("measure:    wall = process start to exit; peak = max RSS of the javac process (GNU time %M)");
      report.line("repeat:     %d measured runs per mode and size, interleaved, after 1 warm-up run each", repeat);
      report.line("");
      Map<Integer, List<double[]>> all = new LinkedHashMap<>();
      for (int n : sizes) {
        Path dir = Files.createDirectories(work.resolve("n" + n));
        List<Path> sources = MigrationSources.writeJava(dir.resolve("src"), MigrationSources.Layout.single(n));
        List<double[]> runs = new ArrayList<>();
        for (int rep = 0; rep <= repeat; rep++) {
          double[] run = new double[4];
          for (int mode = 0; mode < 2; mode++) {
            boolean processor = mode == 1;
            Path out = dir.resolve(processor ? "with" : "without");
            ApplyBenchmark.deleteTree(out);
            List<String> command = Javac.command(sources, out.resolve("classes"), out.resolve("generated"), processor);
            ChildProcess.Measured m = ChildProcess.run(command, Map.of(), dir.resolve("javac.log"))
                .requireSuccess("javac over " + n + " migrations" + (processor ? " with the processor" : ""));
            if (processor && !Files.exists(out.resolve("classes").resolve(
                MigrationSources.CATALOG_CLASS.replace('.', '/') + ".class"))) {
              throw new IllegalStateException("the processor generated no " + MigrationSources.CATALOG_CLASS);
            }
            run[mode * 2] = m.wallMs();
            run[mode * 2 + 1] = m.peakRssMb();
            report.line("N=%-5d %-9s %-9s wall %9.1f ms  peak %7.1f MiB", n, processor ? "processor" : "plain",
                rep == 0 ? "warm-up" : "run " + rep, m.wallMs(), m.peakRssMb());
          }
          if (rep > 0) {
            runs.add(run);
          }
        }
        all.put(n, runs);
      }

      report.line("");
      report.line("## Summary (medians; 'added/javac' is the median per repetition of (processor - plain) / plain)");
      report.line("");
      List<List<String>> rows = new ArrayList<>();
      Integer previous = null;
      double previousAdded = 0;
      for (var entry : all.entrySet()) {
        int n = entry.getKey();
        List<double[]> runs = entry.getValue();
        double plain = Stats.median(runs.stream().map(r -> r[0]).toList());
        double with = Stats.median(runs.stream().map(r -> r[2]).toList());
        double added = with - plain;
        double ratio = Stats.median(runs.stream().map(r -> (r[2] - r[0]) / r[0]).toList());
        rows.add(List.of(Integer.toString(n), fmt("%.0f", plain), fmt("%.0f", with), fmt("%.0f", added),
            fmt("%.2f", ratio), fmt("%.2f", added / n),
            previous == null ? "-" : fmt("%.2f", (added - previousAdded) / (n - previous)),
            fmt("%.0f", Stats.median(runs.stream().map(r -> r[1]).toList())),
            fmt("%.0f", Stats.median(runs.stream().map(r -> r[3]).toList()))));
        previous = n;
        previousAdded = added;
      }
      report.table(List.of("N", "javac ms", "javac+processor ms", "processor adds ms", "added/javac",
          "added ms/class", "marginal added ms/class", "javac peak MiB", "javac+processor peak MiB"), rows);
      report.footer();
    } finally {
      ApplyBenchmark.deleteTree(work);
    }
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
