package dev.twostep.bench;

import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The raw output of one benchmark run: every line goes to standard output and, as it is written,
 * to {@code <results>/<benchmark>-<date>.txt} (a suffix {@code -2}, {@code -3}... keeps earlier
 * files of the same day). Starts with the machine, the JVM, the PostgreSQL version, the date, the
 * command and the load average, and ends with the load average again.
 */
final class Report implements AutoCloseable {
  private final PrintWriter file;
  private final Path path;

  private Report(Path path) throws IOException {
    this.path = path;
    this.file = new PrintWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW));
  }

  /** Opens a new results file for {@code benchmark} in {@code dir}. */
  static Report open(Path dir, String benchmark) throws IOException {
    Files.createDirectories(dir);
    String base = benchmark + "-" + LocalDate.now();
    Path path = dir.resolve(base + ".txt");
    for (int i = 2; Files.exists(path); i++) {
      path = dir.resolve(base + "-" + i + ".txt");
    }
    return new Report(path);
  }

  /**
   * Opens the results file of {@code benchmark} in {@code --results} (default {@code bench/results})
   * and writes the header, reading the server's version on a scratch database of {@code server}.
   */
  static Report start(String benchmark, String[] args, Options options, TestPostgres server) throws IOException {
    Report report = open(Path.of(options.string("results", "bench/results")), benchmark);
    try (TestDatabase info = server.createDatabase("bench_info"); Connection c = info.connect()) {
      report.header(benchmark, "bench/run.sh " + benchmark + " " + String.join(" ", args), c);
      return report;
    } catch (SQLException | RuntimeException e) {
      report.close();
      throw new IllegalStateException("cannot read the server's version for the results header: " + e.getMessage(), e);
    }
  }

  Path path() {
    return path;
  }

  /** Writes one line to standard output and the file. */
  void line(String text) {
    System.out.println(text);
    System.out.flush();
    file.println(text);
    file.flush();
  }

  void line(String format, Object... args) {
    line(String.format(Locale.ROOT, format, args));
  }

  /** The header: what ran, where, when; {@code postgres} is null for a benchmark without a database. */
  void header(String benchmark, String command, Connection postgres) {
    line("# twostep-bench " + benchmark);
    line("date:       " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    line("command:    " + command);
    line("twostep:    git " + System.getenv().getOrDefault("TWOSTEP_BENCH_REVISION", "unknown")
        + " (-dirty: with uncommitted changes of the work tree)");
    line("machine:    " + Machine.describe());
    line("java:       " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    line("postgresql: " + (postgres == null ? "not used" : postgresVersion(postgres) + " (" + Machine.serverKind() + ")"));
    line("loadavg:    " + Machine.loadAverage() + " (before)");
  }

  /** The footer: the load average after the run. */
  void footer() {
    line("loadavg:    " + Machine.loadAverage() + " (after)");
    line("raw output: " + path);
  }

  /** A markdown table, its columns padded. */
  void table(List<String> headers, List<List<String>> rows) {
    int[] widths = new int[headers.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = headers.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    line(tableRow(headers, widths));
    StringBuilder rule = new StringBuilder("|");
    for (int width : widths) {
      rule.append(' ').append("-".repeat(width)).append(" |");
    }
    line(rule.toString());
    for (List<String> row : rows) {
      line(tableRow(row, widths));
    }
  }

  private static String tableRow(List<String> cells, int[] widths) {
    StringBuilder out = new StringBuilder("|");
    for (int c = 0; c < widths.length; c++) {
      out.append(' ').append(String.format("%-" + widths[c] + "s", cells.get(c))).append(" |");
    }
    return out.toString();
  }

  static String postgresVersion(Connection connection) {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
      rs.next();
      return "PostgreSQL " + rs.getString(1);
    } catch (SQLException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    file.close();
    if (file.checkError()) {
      throw new UncheckedIOException(new IOException("could not write " + path));
    }
  }
}
