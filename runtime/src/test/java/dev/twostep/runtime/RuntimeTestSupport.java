package dev.twostep.runtime;

import dev.twostep.MigrationCatalog;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/** A fresh database per test and a Twostep with short timeouts on it. */
public abstract class RuntimeTestSupport {
  /** Short retries so lock tests stay fast. */
  protected static final RetryPolicy FAST_RETRIES = new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(50));

  protected TestDatabase db;

  @BeforeEach
  void createDatabase(TestInfo info) {
    db = TestPostgres.shared().createDatabase(getClass().getSimpleName() + "_" + info.getTestMethod().orElseThrow().getName());
  }

  @AfterEach
  void dropDatabase() {
    db.close();
  }

  /** A builder on the test database with 200 ms lock timeouts and fast retries. */
  protected Twostep.Builder twostep(MigrationCatalog catalog) {
    return Twostep.builder()
        .dataSource(db.dataSource())
        .catalog(catalog)
        .lockTimeout(Duration.ofMillis(200))
        .retryPolicy(FAST_RETRIES)
        .deployerLockWait(Duration.ofSeconds(10));
  }

  /** Runs {@code sql} in autocommit. */
  protected void execute(String sql) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The first column of every row of {@code sql}, as strings. */
  protected List<String> column(String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  /** The single value of {@code sql}. */
  protected String value(String sql) throws SQLException {
    List<String> values = column(sql);
    if (values.size() != 1) {
      throw new AssertionError("expected one row from " + sql + " but got " + values);
    }
    return values.get(0);
  }

  /** The history rows as {@code release:phase#step}, in order of application ({@code next} last). */
  protected List<String> historyKeys() throws SQLException {
    return column("SELECT release || ':' || phase || '#' || step FROM twostep_history "
        + "ORDER BY release = 'next', CASE WHEN release <> 'next' THEN string_to_array(release, '.')::int[] END, "
        + "phase = 'post', step");
  }

  /**
   * Polls {@code condition} every 20 ms until it holds: how tests wait for observable state
   * ({@code pg_locks}, {@code pg_stat_activity}) instead of sleeping. Fails after {@code timeout},
   * a bound for a broken run only, with {@code what}.
   */
  public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  /** True when {@code sql} returns a row. */
  protected boolean exists(String sql) {
    try {
      return !column(sql).isEmpty();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The {@code pg_locks.waitstart} of each lock request of this database's sessions that waits
   * on relation {@code table}: a new value means a new attempt started waiting.
   */
  protected List<String> lockWaitsOn(String table) throws SQLException {
    return column("SELECT waitstart::text FROM pg_locks WHERE NOT granted AND locktype = 'relation'"
        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        + " AND relation = '" + table + "'::regclass AND waitstart IS NOT NULL");
  }

  /** True when the table exists. */
  protected boolean tableExists(String name) throws SQLException {
    return Boolean.parseBoolean(value("SELECT (to_regclass('" + name + "') IS NOT NULL)::text"));
  }
}
