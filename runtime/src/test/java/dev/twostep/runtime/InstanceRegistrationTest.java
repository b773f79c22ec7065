package dev.twostep.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Registering instances: what it costs, through pools and PgBouncer-like sessions, and with few rights. */
class InstanceRegistrationTest extends RuntimeTestSupport {
  /**
   * A pool of one physical connection that it hands out again and again, with auto-commit off
   * (as HikariCP with {@code autoCommit=false}), counting borrows.
   */
  private static final class OneConnectionPool implements DataSource {
    final Connection physical;
    final AtomicInteger borrowed = new AtomicInteger();

    OneConnectionPool(Connection physical) throws SQLException {
      this.physical = physical;
      physical.setAutoCommit(false);
    }

    @Override
    public synchronized Connection getConnection() {
      borrowed.incrementAndGet();
      return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
          (proxy, method, args) -> {
            if (method.getName().equals("close")) {
              physical.rollback(); // what a pool does with a transaction left open
              return null;
            }
            try {
              return method.invoke(physical, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }

    @Override
    public Connection getConnection(String user, String password) {
      throw new UnsupportedOperationException();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() {
      throw new UnsupportedOperationException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }

  /** Counts UPDATE statements and updated rows on twostep_instances, exactly, with triggers. */
  private void countUpdates() throws SQLException {
    execute("CREATE TABLE update_counts (statements int NOT NULL, rows int NOT NULL)");
    execute("INSERT INTO update_counts VALUES (0, 0)");
    execute("CREATE FUNCTION count_statement() RETURNS trigger LANGUAGE plpgsql AS "
        + "$$ BEGIN UPDATE update_counts SET statements = statements + 1; RETURN NULL; END $$");
    execute("CREATE FUNCTION count_row() RETURNS trigger LANGUAGE plpgsql AS "
        + "$$ BEGIN UPDATE update_counts SET rows = rows + 1; RETURN NULL; END $$");
    execute("CREATE TRIGGER s AFTER UPDATE ON twostep_instances FOR EACH STATEMENT EXECUTE FUNCTION count_statement()");
    execute("CREATE TRIGGER r AFTER UPDATE ON twostep_instances FOR EACH ROW EXECUTE FUNCTION count_row()");
  }

  @Test
  void fiftyInstancesCostOneSingleRowUpdatePerHeartbeatAndHoldNoConnection() throws Exception {
    twostep(TestCatalog.blueGreen(1)).build().migrate(Target.parse("pre"));
    countUpdates();
    List<OneConnectionPool> pools = new ArrayList<>();
    List<InstanceRegistration> registrations = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        OneConnectionPool pool = new OneConnectionPool(db.connect());
        pools.add(pool);
        registrations.add(Twostep.builder().dataSource(pool).catalog(TestCatalog.blueGreen(1)).build()
            .registerInstance("1.0.0", Duration.ofMillis(600)));
      }
      await("every instance beat 3 times", Duration.ofSeconds(60),
          () -> pools.stream().allMatch(p -> p.borrowed.get() >= 4));
      for (InstanceRegistration r : registrations) {
        r.close();
      }
      int heartbeats = pools.stream().mapToInt(p -> p.borrowed.get() - 2).sum(); // minus register and deregister
      assertThat(column("SELECT statements || ' ' || rows FROM update_counts"))
          .containsExactly(heartbeats + " " + heartbeats);
      // nothing left open on the borrowed connections: no transaction, no prepared statement
      for (OneConnectionPool pool : pools) {
        try (var s = pool.physical.createStatement();
            var rs = s.executeQuery("SELECT count(*), string_agg(name || '=' || statement, '; ') "
                + "FROM pg_prepared_statements")) {
          rs.next();
          assertThat(rs.getInt(1)).as("named server-side prepared statements: %s", rs.getString(2)).isZero();
        }
        pool.physical.rollback();
      }
      assertThat(twostep(TestCatalog.blueGreen(1)).build().instances()).isEmpty();
    } finally {
      for (OneConnectionPool pool : pools) {
        pool.physical.close();
      }
    }
  }

  @Test
  void anApplicationRoleNeedsOnlyDmlRightsOnTheInstanceTable() throws Exception {
    twostep(TestCatalog.blueGreen(1)).build().migrate(Target.parse("pre"));
    String role = "app_" + Long.toHexString(System.nanoTime());
    execute("CREATE ROLE " + role + " LOGIN");
    try {
      execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
      Twostep app = Twostep.builder().url(db.url()).user(role).catalog(TestCatalog.blueGreen(1)).build();
      assertThatThrownBy(() -> app.registerInstance("1.0.0"))
          .isInstanceOf(TwostepException.class)
          .hasMessageContaining("SQLSTATE 42501")
          .hasMessageContaining("needs SELECT, INSERT, UPDATE, DELETE on public.twostep_instances");

      execute("GRANT SELECT, INSERT, UPDATE, DELETE ON twostep_instances TO " + role);
      try (InstanceRegistration registration = app.registerInstance("1.0.0")) {
        assertThat(value("SELECT registered_by FROM twostep_instances WHERE instance_id = '"
            + registration.instanceId() + "'")).isEqualTo(role);
      }
      assertThat(value("SELECT count(*) FROM twostep_instances")).isEqualTo("0");
    } finally {
      execute("DROP OWNED BY " + role);
      execute("DROP ROLE " + role);
    }
  }

  @Test
  void aReadOnlyServerIsRefusedWithWhatToDo() throws Exception {
    twostep(TestCatalog.blueGreen(1)).build().migrate(Target.parse("pre"));
    // what a hot standby answers to writes: SQLSTATE 25006
    execute("ALTER DATABASE \"" + db.name() + "\" SET default_transaction_read_only = on");
    Twostep replica = twostep(TestCatalog.blueGreen(1)).build();
    assertThatThrownBy(() -> replica.registerInstance("1.0.0"))
        .isInstanceOf(TwostepException.class)
        .hasMessageContaining("SQLSTATE 25006")
        .hasMessageContaining("register through a DataSource on the primary");
  }

  @Test
  void aRegistrationCreatesTheTableWhenItMayAndItsReleaseMustBeAReleaseNumber() throws Exception {
    Twostep twostep = twostep(TestCatalog.blueGreen(1)).build();
    assertThatThrownBy(() -> twostep.registerInstance("two")).isInstanceOf(TwostepException.class);
    assertThatThrownBy(() -> twostep.registerInstance("1.0.0", Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 300 ms");
    assertThat(twostep.instances()).isEmpty();
    try (InstanceRegistration registration = twostep.registerInstance("1.0.0")) {
      assertThat(twostep.instances()).extracting(LiveInstance::instanceId).containsExactly(registration.instanceId());
      assertThat(twostep.instances().get(0).lease()).isEqualTo(Duration.ofSeconds(30));
    }
  }
}
