package dev.twostep.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TestPostgresTest {
  @Test
  void eachDatabaseIsFreshAndTemplatesCopySchema() throws Exception {
    TestPostgres server = TestPostgres.shared();
    try (TestDatabase a = server.createDatabase("template source")) {
      try (Connection c = a.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (id int)");
      }
      try (TestDatabase copy = server.createDatabase("copy", a.name());
          TestDatabase empty = server.createDatabase("empty")) {
        assertThat(tableCount(copy)).isEqualTo(1);
        assertThat(tableCount(empty)).isZero();
        assertThat(copy.name()).startsWith("twostep_copy_");
      }
    }
  }

  @Test
  void namesAreSanitized() {
    assertThat(TestPostgres.sanitize("My Test: \"x\";")).isEqualTo("my_test_x");
    assertThat(TestPostgres.quote("a\"b")).isEqualTo("\"a\"\"b\"");
  }

  private static int tableCount(TestDatabase db) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
