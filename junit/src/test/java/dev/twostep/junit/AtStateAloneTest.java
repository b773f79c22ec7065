package dev.twostep.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.junit.TestCatalogs.ShopCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import dev.twostep.testing.TestPostgres;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** No class annotation: {@code @AtState} alone registers the extension. */
class AtStateAloneTest {
  private static final List<String> USED = new ArrayList<>();

  /**
   * Runs after every test's store was closed, on each JUnit line (5.x and 6 close stores
   * differently): the database is being dropped in the background then, and gone within seconds.
   */
  @AfterAll
  static void eachTestsDatabaseIsDroppedAfterIt() throws SQLException {
    assertThat(USED).hasSize(1);
    try (Connection c = TestPostgres.shared().connect("postgres");
        var s = c.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
      s.setString(1, USED.get(0));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      int left;
      do {
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          left = rs.getInt(1);
        }
        if (left > 0) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // the drop queued after the test shows there
        }
      } while (left > 0 && System.nanoTime() < deadline && !Thread.interrupted());
      assertThat(left).as("database %s after its test", USED.get(0)).isZero();
    }
  }

  @Test
  void aStateDatabaseParameterIsCreatedForTheTest(@AtState(value = "1.0.0", catalog = ShopCatalog.class) StateDatabase db)
      throws SQLException {
    USED.add(db.name());
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      assertThat(StateDatabasesTest.single(s, "SELECT current_database()")).isEqualTo(db.name());
    }
  }

  @Test
  void oneAnnotationOnTheParameterIsEnough(@AtState(value = "1.0.0:pre", catalog = ShopCatalog.class) DataSource ds)
      throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO shop_jobs (queue) VALUES ('mail')");
      assertThat(StateDatabasesTest.single(s, "SELECT state FROM shop_jobs")).isEqualTo("new");
    }
  }
}
