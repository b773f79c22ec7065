package dev.twostep.runtime;

import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.java;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Each migration starts from a clean session (DESIGN): what one migration set with a plain
 * {@code SET} or {@code SET ROLE} reaches neither the next migration nor the history.
 */
class SessionStateTest extends RuntimeTestSupport {

  @Test
  void searchPathSetByOneMigrationDoesNotMoveTheNextMigrationsTable() throws Exception {
    twostep(TestCatalog.of(
        sql("1.0.0", PRE, 1, "other schema", "CREATE SCHEMA other", "SET search_path = other"),
        sql("1.0.0", PRE, 2, "create later", "CREATE TABLE later (id int)"))).build().migrate(Target.parse("pre"));

    assertThat(value("SELECT relnamespace::regnamespace::text FROM pg_class WHERE relname = 'later'")).isEqualTo("public");
  }

  @Test
  void sessionReplicationRoleSetByOneMigrationDoesNotSilenceTheNextMigrationsTrigger() throws Exception {
    twostep(TestCatalog.of(
        sql("1.0.0", PRE, 1, "audited items",
            "CREATE TABLE items (id int)",
            "CREATE TABLE audit (item int)",
            "CREATE FUNCTION audit_item() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN INSERT INTO audit VALUES (NEW.id); RETURN NEW; END $$",
            "CREATE TRIGGER items_audit AFTER INSERT ON items FOR EACH ROW EXECUTE FUNCTION audit_item()",
            "SET session_replication_role = replica"),
        sql("1.0.0", PRE, 2, "first item", "INSERT INTO items VALUES (1)"))).build().migrate(Target.parse("pre"));

    assertThat(column("SELECT item FROM audit")).containsExactly("1");
  }

  @Test
  void setRoleInOneMigrationChangesNeitherLaterOwnersNorAppliedBy() throws Exception {
    String role = "twostep_role_" + db.name().substring("twostep_".length());
    String sessionUser = value("SELECT session_user");
    try {
      twostep(TestCatalog.of(
          sql("1.0.0", PRE, 1, "become other role",
              "CREATE ROLE " + role,
              "GRANT ALL ON SCHEMA public TO " + role,
              "GRANT ALL ON twostep_history TO " + role,
              "SET ROLE " + role),
          sql("1.0.0", PRE, 2, "create later", "CREATE TABLE later (id int)"))).build().migrate(Target.parse("pre"));

      assertThat(value("SELECT tableowner FROM pg_tables WHERE tablename = 'later'")).isEqualTo(sessionUser);
      assertThat(column("SELECT DISTINCT applied_by FROM twostep_history")).containsExactly(sessionUser);
    } finally {
      execute("DROP OWNED BY " + role + "; DROP ROLE " + role);
    }
  }

  @Test
  void timeoutsSetByOneMigrationDoNotFailTheNext() throws Exception {
    twostep(TestCatalog.of(
        sql("1.0.0", PRE, 1, "short timeouts", "SET statement_timeout = 1", "SET lock_timeout = 1"),
        sql("1.0.0", PRE, 2, "slow", "SELECT pg_sleep(0.1)"),
        sql("1.0.0", PRE, 3, "slow autocommit", false, List.of(), "SELECT pg_sleep(0.1)")))
        .build().migrate(Target.parse("pre"));

    assertThat(historyKeys()).containsExactly("1.0.0:pre#1", "1.0.0:pre#2", "1.0.0:pre#3");
  }

  @Test
  void javaMigrationStartsFromACleanSessionAndTheConnectionsOwnSettingsStay() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    Twostep twostep = twostep(TestCatalog.of(
        sql("1.0.0", PRE, 1, "other schema", "CREATE SCHEMA other", "SET search_path = other",
            "SET application_name = 'changed'"),
        java("1.0.0", PRE, 2, "reads settings", true, () -> context -> {
          try (Statement s = context.connection().createStatement();
              ResultSet rs = s.executeQuery("SELECT current_setting('search_path') || ' / '"
                  + " || current_setting('application_name') || ' / ' || current_setting('work_mem')")) {
            rs.next();
            seen.set(rs.getString(1));
          }
        }))).dataSource(new InitSqlDataSource()).build();
    twostep.migrate(Target.parse("pre"));

    // search_path and application_name back to the connection's, the pool's own setting kept
    assertThat(seen.get()).isEqualTo("\"$user\", public / PostgreSQL JDBC Driver / 7MB");
  }

  /** Like a pool with {@code connectionInitSql}: each connection starts with a session setting of its own. */
  private final class InitSqlDataSource extends PGSimpleDataSource {
    private static final long serialVersionUID = 1L;

    InitSqlDataSource() {
      setUrl(db.url());
      setUser(db.user());
      if (db.password() != null) {
        setPassword(db.password());
      }
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection c = super.getConnection();
      try (Statement s = c.createStatement()) {
        s.execute("SET work_mem = '7MB'");
      }
      return c;
    }
  }
}
