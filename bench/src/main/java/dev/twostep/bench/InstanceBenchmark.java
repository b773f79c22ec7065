package dev.twostep.bench;

import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.Phase;
import dev.twostep.SqlStatement;
import dev.twostep.runtime.InstanceRegistration;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What registered application instances cost the database: {@code bench/run.sh instances
 * [instances] [seconds] [lease]} (default 50, 62, PT30S) registers that many instances, each on a
 * DataSource without a pool (a new connection per heartbeat: the worst case), and reports the
 * UPDATEs on the instance table per minute, the sessions they open (sampled every 50 ms), the
 * table's size and the WAL of one heartbeat.
 */
public final class InstanceBenchmark {
  private InstanceBenchmark() {}

  public static void main(String[] args) throws Exception {
    int instances = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    long seconds = args.length > 1 ? Long.parseLong(args[1]) : 62;
    Duration lease = args.length > 2 ? Duration.parse(args[2]) : Duration.ofSeconds(30);
    MigrationCatalog catalog = new MigrationCatalog() {
      @Override
      public String name() {
        return "InstanceBench";
      }

      @Override
      public List<Migration> migrations() {
        return List.of(Migration.sql("1.0.0", Phase.PRE, 1, "create t", "bench.T", "0".repeat(64), true, List.of(),
            List.of(new SqlStatement(1, "CREATE TABLE t (id int)"))));
      }
    };
    try (TestDatabase db = TestPostgres.shared().createDatabase("instance_bench")) {
      String url = db.url() + "?user=" + db.user() + (db.password() == null ? "" : "&password=" + db.password());
      Twostep.builder().url(url).catalog(catalog).build().migrate(Target.parse("pre"));
      List<InstanceRegistration> registrations = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        registrations.add(Twostep.builder().dataSource(dataSource).catalog(catalog).build()
            .registerInstance("1.0.0", lease));
      }
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        long[] before = stats(s);
        long start = System.nanoTime();
        int maxSessions = 0;
        long samples = 0;
        long sessionSum = 0;
        while (System.nanoTime() - start < seconds * 1_000_000_000L) {
          try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity "
              + "WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            rs.next();
            maxSessions = Math.max(maxSessions, rs.getInt(1));
            sessionSum += rs.getInt(1);
            samples++;
          }
          Thread.sleep(50);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] after = stats(s);
        for (InstanceRegistration r : registrations) {
          r.close();
        }
        System.out.printf("instances %d, lease %s, %.1f s: %d UPDATEs (%.1f per minute, %d HOT), %d INSERTs, "
            + "%d DELETEs%n", instances, lease, elapsed, after[0] - before[0], (after[0] - before[0]) * 60 / elapsed,
            after[1] - before[1], after[2] - before[2], after[3] - before[3]);
        System.out.printf("sessions on the database opened by heartbeats: max %d, mean %.2f (%d samples)%n",
            maxSessions, (double) sessionSum / samples, samples);
        try (ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('twostep_instances')")) {
          rs.next();
          System.out.println("twostep_instances with its index: " + rs.getLong(1) + " bytes");
        }
        s.execute("INSERT INTO twostep_instances (instance_id, release, host, pid, lease_ms) "
            + "VALUES ('probe', '1.0.0', 'h', 1, 30000)");
        try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, WAL) UPDATE twostep_instances "
            + "SET heartbeat_at = clock_timestamp() WHERE instance_id = 'probe'")) {
          while (rs.next()) {
            if (rs.getString(1).contains("WAL")) {
              System.out.println("one heartbeat:" + rs.getString(1));
            }
          }
        }
      }
    }
  }

  private static long[] stats(Statement s) throws SQLException {
    s.execute("SELECT pg_stat_force_next_flush()");
    s.execute("SELECT pg_stat_clear_snapshot()");
    try (ResultSet rs = s.executeQuery("SELECT n_tup_upd, n_tup_hot_upd, n_tup_ins, n_tup_del FROM pg_stat_user_tables "
        + "WHERE relname = 'twostep_instances'")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
    }
  }
}
