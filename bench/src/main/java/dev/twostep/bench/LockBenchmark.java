package dev.twostep.bench;

import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What the lock-safety rules are about, measured: on a table of {@code --rows} rows, each hazard
 * the compiler rejects and the recipe its message gives instead. For each statement: the lock it
 * holds on the table (read from {@code pg_locks} while it runs), how long it runs (and so holds
 * that lock), whether it rewrote the table (relfilenode), and how long one application
 * {@code INSERT}, started while the statement runs, waited for it. Every case gets a fresh table.
 *
 * <pre>bench/run.sh locks [--rows 1000000]</pre>
 */
public final class LockBenchmark {
  private static final List<String> MODES = List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock",
      "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");

  private LockBenchmark() {}

  /** A statement to measure, the statements that prepare it, and the rule it draws (or "-"). */
  private record Case(String rule, List<String> prepare, String statement) {}

  private static final List<Case> CASES = List.of(
      new Case("blocking-index-build", List.of(), "CREATE INDEX bench_locks_note ON bench_locks (note)"),
      new Case("-", List.of(), "CREATE INDEX CONCURRENTLY bench_locks_note ON bench_locks (note)"),
      new Case("table-rewrite", List.of(), "ALTER TABLE bench_locks ALTER COLUMN amount TYPE bigint"),
      new Case("-", List.of(), "ALTER TABLE bench_locks ADD COLUMN amount_big bigint"),
      new Case("table-rewrite", List.of(), "ALTER TABLE bench_locks ADD COLUMN uid uuid DEFAULT gen_random_uuid()"),
      new Case("-", List.of(), "ALTER TABLE bench_locks ADD COLUMN seen_at timestamptz NOT NULL DEFAULT now()"),
      new Case("validating-constraint", List.of(), "ALTER TABLE bench_locks ADD CONSTRAINT amount_positive CHECK (amount > 0)"),
      new Case("-", List.of(), "ALTER TABLE bench_locks ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID"),
      new Case("-", List.of("ALTER TABLE bench_locks ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID"),
          "ALTER TABLE bench_locks VALIDATE CONSTRAINT amount_positive"),
      new Case("set-not-null-scan", List.of(), "ALTER TABLE bench_locks ALTER COLUMN note SET NOT NULL"),
      new Case("-", List.of("ALTER TABLE bench_locks ADD CONSTRAINT note_present CHECK (note IS NOT NULL) NOT VALID",
          "ALTER TABLE bench_locks VALIDATE CONSTRAINT note_present"), "ALTER TABLE bench_locks ALTER COLUMN note SET NOT NULL"));

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args, Set.of("rows", "results"));
    int rows = options.integer("rows", 1_000_000);
    Path results = Path.of(options.string("results", "bench/results"));
    TestPostgres server = TestPostgres.shared();
    try (Report report = Report.open(results, "locks"); TestDatabase db = server.createDatabase("bench_locks")) {
      try (Connection c = db.connect()) {
        report.header("locks", "bench/run.sh locks --rows " + rows, c);
      }
      report.line("");
      report.line("table bench_locks: %,d rows (id bigint primary key, amount int, note text, created_at timestamptz)", rows);
      List<List<String>> table = new ArrayList<>();
      for (Case each : CASES) {
        table.add(measure(db, rows, each));
      }
      report.line("");
      report.table(List.of("statement", "rule", "lock held on the table", "held for", "rewrote", "an INSERT waited"), table);
      report.footer();
    }
  }

  private static List<String> measure(TestDatabase db, int rows, Case each) throws Exception {
    try (Connection setup = db.connect()) {
      execute(setup, "DROP TABLE IF EXISTS bench_locks");
      execute(setup, "CREATE TABLE bench_locks (id bigint PRIMARY KEY, amount int, note text, created_at timestamptz)");
      execute(setup, "INSERT INTO bench_locks SELECT i, 1 + i % 1000, 'note ' || i, now() FROM generate_series(1, " + rows + ") i");
      execute(setup, "VACUUM ANALYZE bench_locks");
      for (String sql : each.prepare()) {
        execute(setup, sql);
      }
    }
    try (Connection migrator = db.connect(); Connection observer = db.connect(); Connection app = db.connect()) {
      long file = relfilenode(observer);
      int pid;
      try (Statement s = migrator.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        pid = rs.getInt(1);
      }
      long start = System.nanoTime();
      CompletableFuture<Long> running = CompletableFuture.supplyAsync(() -> {
        try {
          execute(migrator, each.statement());
          return System.nanoTime();
        } catch (SQLException e) {
          throw new IllegalStateException(each.statement() + ": " + e.getMessage(), e);
        }
      });
      String mode = "none seen";
      long insertWaitedNanos = -1;
      while (!running.isDone()) {
        String held = strongestLock(observer, pid);
        if (held != null) {
          mode = held;
          long insertStart = System.nanoTime();
          execute(app, "INSERT INTO bench_locks (id, amount, note) VALUES (-1, 1, 'app')");
          insertWaitedNanos = System.nanoTime() - insertStart;
          break;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
      long end = running.get(1, TimeUnit.HOURS);
      boolean rewrote = relfilenode(observer) != file;
      return List.of(each.statement().replace("bench_locks", "t"), each.rule(), mode, ms(end - start),
          rewrote ? "yes" : "no", insertWaitedNanos < 0 ? "(finished first)" : ms(insertWaitedNanos));
    }
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%,d ms", TimeUnit.NANOSECONDS.toMillis(nanos));
  }

  private static String strongestLock(Connection observer, int pid) throws SQLException {
    String strongest = null;
    try (PreparedStatement s = observer.prepareStatement("SELECT mode FROM pg_locks WHERE pid = ? AND granted "
        + "AND relation = 'bench_locks'::regclass")) {
      s.setInt(1, pid);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String mode = rs.getString(1);
          strongest = strongest == null || MODES.indexOf(mode) > MODES.indexOf(strongest) ? mode : strongest;
        }
      }
    }
    return strongest;
  }

  private static long relfilenode(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT relfilenode FROM pg_class WHERE oid = 'bench_locks'::regclass")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
