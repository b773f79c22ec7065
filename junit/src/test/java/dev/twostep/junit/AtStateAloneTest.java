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
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** No class annotation: {@code @AtState} alone registers the extension. */
class AtStateAloneTest {
  private static final List<String> USED = new ArrayList<>();

  /** Runs after every test's store was closed, on each JUnit line (5.x and 6 close stores differently). */
  @AfterAll
  static void eachTestsDatabaseIsDroppedAfterIt() throws SQLException {
    assertThat(USED).hasSize(1);
    try (Connection c = TestPostgres.shared().connect("postgres");
        var s = c.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
      s.setString(1, USED.get(0));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).as("database %s after its test", USED.get(0)).isZero();
      }
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
