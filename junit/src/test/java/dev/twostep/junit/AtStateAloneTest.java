package dev.twostep.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.junit.TestCatalogs.ShopCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** No class annotation: {@code @AtState} alone registers the extension. */
class AtStateAloneTest {
  @Test
  void oneAnnotationOnTheParameterIsEnough(@AtState(value = "1.0.0:pre", catalog = ShopCatalog.class) DataSource ds)
      throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO shop_jobs (queue) VALUES ('mail')");
      assertThat(StateDatabasesTest.single(s, "SELECT state FROM shop_jobs")).isEqualTo("new");
    }
  }
}
