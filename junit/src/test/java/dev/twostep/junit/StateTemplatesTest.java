package dev.twostep.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.junit.TestCatalogs.ShopCatalog;
import dev.twostep.runtime.SchemaState;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Copies made ahead in the background and dropped behind: fresh for every test, none left over. */
class StateTemplatesTest {
  private static final SchemaState STATE = SchemaState.parse("2.0.0:pre");

  /** The shop catalog under a name of its own, so that no other test's databases share its names. */
  static final class AheadCatalog implements MigrationCatalog {
    @Override
    public String name() {
      return "Ahead";
    }

    @Override
    public List<Migration> migrations() {
      return new ShopCatalog().migrations();
    }
  }

  @Test
  void everyCopyIsFreshAndNoneIsLeftAfterClose() throws SQLException {
    TestPostgres server = TestPostgres.shared();
    StateTemplates templates = new StateTemplates(server);
    Set<String> names = new HashSet<>();
    List<TestDatabase> copies = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        TestDatabase copy = templates.create(AheadCatalog.class, STATE);
        assertThat(names.add(copy.name())).as("a new database every time").isTrue();
        try (Connection c = copy.connect(); Statement s = c.createStatement()) {
          assertThat(count(s, "SELECT count(*) FROM shop_jobs")).as("untouched by the copies before").isZero();
          s.execute("INSERT INTO shop_jobs (queue) VALUES ('mail')");
        }
        copies.add(copy);
        templates.drop(copy);
      }
    } finally {
      templates.close();
    }
    try (TestDatabase probe = server.createDatabase("probe"); Connection c = probe.connect(); Statement s = c.createStatement()) {
      for (String name : names) {
        assertThat(count(s, "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'")).as(name).isZero();
      }
    }
    assertThat(copiesOnServer(server)).as("no copy made ahead is left").isZero();
  }

  /** This JVM's copies at {@link #STATE} of {@link AheadCatalog} (a template's name starts with tpl). */
  private static long copiesOnServer(TestPostgres server) throws SQLException {
    try (TestDatabase probe = server.createDatabase("probe"); Connection c = probe.connect(); Statement s = c.createStatement()) {
      return count(s, "SELECT count(*) FROM pg_database WHERE datname LIKE 'twostep\\_ahead\\_2\\_0\\_0\\_pre\\_"
          + ProcessHandle.current().pid() + "\\_%'");
    }
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
