package dev.twostep.runtime.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import dev.twostep.runtime.TwostepException;
import dev.twostep.testing.PgBouncer;
import dev.twostep.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deployers through a real PgBouncer in front of the test server: in transaction pooling mode
 * every one refuses before it locks, sets or applies anything; in session pooling mode they
 * migrate. Needs the {@code pgbouncer} executable; {@code .ci/run} installs it, and with
 * {@code CI} set a missing one fails the test.
 */
class PgBouncerTest extends ReliabilitySupport {
  private static final int DEPLOYERS = 4;
  private static final int ROUNDS = 5;

  private static PgBouncer transaction;
  private static PgBouncer session;

  @BeforeAll
  static void startPgBouncers() {
    PgBouncer.unavailableReason().ifPresent(reason -> {
      if (PgBouncer.required()) {
        fail("CI is set, so PgBouncer must be installed: " + reason);
      }
      Assumptions.abort(reason);
    });
    transaction = PgBouncer.start(TestPostgres.shared(), PgBouncer.PoolMode.TRANSACTION);
    session = PgBouncer.start(TestPostgres.shared(), PgBouncer.PoolMode.SESSION);
  }

  @AfterAll
  static void stopPgBouncers() {
    for (PgBouncer bouncer : new PgBouncer[] {transaction, session}) {
      if (bouncer != null) {
        bouncer.close();
      }
    }
  }

  @Test
  void concurrentDeployersThroughTransactionPoolingAllRefuseAndLeaveNothingBehind() throws Exception {
    for (int round = 1; round <= ROUNDS; round++) {
      List<Object> outcomes = deployConcurrently(transaction);
      for (Object outcome : outcomes) {
        assertThat(outcome).as("round %d: every deployer refuses", round).isInstanceOf(TwostepException.class);
        String message = ((TwostepException) outcome).getMessage();
        assertThat(message).as("round %d", round)
            .startsWith("refusing to run: the connection to jdbc:postgresql://127.0.0.1:" + transaction.port())
            .contains("has no session semantics", "PgBouncer pool_mode=transaction",
                "connect directly to PostgreSQL, or through PgBouncer with pool_mode=session")
            .doesNotContain("\n");
      }
      assertThat(tableExists("twostep_history")).as("round %d: nothing applied", round).isFalse();
      assertThat(column("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND database = "
        + "(SELECT oid FROM pg_database WHERE datname = current_database())")).as("round %d", round).isEmpty();
      assertPooledSessionsCarryDefaults(transaction);
    }
    // nothing stayed behind that would stop a deployer connecting directly
    assertThat(twostep(ReliabilityCatalogs.CONCURRENT).build().migrate(Target.parse("post")).applied()).hasSize(6);
  }

  @Test
  void concurrentDeployersThroughSessionPoolingMigrateOnce() throws Exception {
    List<Object> outcomes = deployConcurrently(session);
    for (Object outcome : outcomes) {
      assertThat(outcome).isNotInstanceOf(Throwable.class);
    }
    assertThat(historyKeys()).containsExactly(
        "1.0.0:pre#1", "1.0.0:pre#2", "1.0.0:post#1", "2.0.0:pre#1", "2.0.0:pre#2", "2.0.0:post#1");
    assertThat(column("SELECT migration || ' x' || count(*) FROM effects GROUP BY migration ORDER BY migration"))
        .containsExactly("1.0.0:post#1 x1", "1.0.0:pre#1 x1", "1.0.0:pre#2 x1", "2.0.0:post#1 x1", "2.0.0:pre#1 x1");
    assertThat(column("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND database = "
        + "(SELECT oid FROM pg_database WHERE datname = current_database())")).isEmpty();
  }

  /** Runs {@code post} from {@value #DEPLOYERS} threads at once; each outcome is a result or the exception. */
  private List<Object> deployConcurrently(PgBouncer bouncer) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(DEPLOYERS);
    try {
      CyclicBarrier start = new CyclicBarrier(DEPLOYERS);
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < DEPLOYERS; i++) {
        Twostep twostep = Twostep.builder().url(bouncer.url(db.name())).user(db.user()).password(db.password())
            .catalog(ReliabilityCatalogs.CONCURRENT).lockTimeout(Duration.ofSeconds(2)).retryPolicy(FAST_RETRIES)
            .deployerLockWait(Duration.ofSeconds(60)).build();
        futures.add(pool.submit(() -> {
          start.await();
          try {
            return twostep.migrate(Target.parse("post"));
          } catch (TwostepException e) {
            return e;
          }
        }));
      }
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> future : futures) {
        outcomes.add(future.get(120, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Takes every server connection PgBouncer may pool for the test database at once (as many
   * clients as its pool size, each in an open transaction) and reads the settings a run could
   * have left on each.
   */
  private void assertPooledSessionsCarryDefaults(PgBouncer bouncer) throws SQLException {
    List<Connection> clients = new ArrayList<>();
    Properties credentials = new Properties();
    credentials.setProperty("user", db.user());
    // the driver's BEGIN/ROLLBACK become named statements after a few uses, which collide on pooled backends
    credentials.setProperty("prepareThreshold", "0");
    if (db.password() != null) {
      credentials.setProperty("password", db.password());
    }
    try {
      Set<Integer> seen = new HashSet<>();
      for (int i = 0; i < bouncer.poolSize(); i++) {
        Connection client = DriverManager.getConnection(bouncer.url(db.name()), credentials);
        clients.add(client);
        client.setAutoCommit(false);
        try (Statement s = client.createStatement();
            ResultSet rs = s.executeQuery("SELECT pg_backend_pid(), current_setting('lock_timeout'), "
                + "current_setting('client_connection_check_interval'), current_setting('idle_session_timeout')")) {
          rs.next();
          seen.add(rs.getInt(1));
          assertThat(rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4))
              .as("settings of pooled backend %s", rs.getString(1)).isEqualTo("0 0 0");
        }
      }
      assertThat(seen).as("one backend per open transaction").hasSize(bouncer.poolSize());
    } finally {
      for (Connection client : clients) {
        try {
          client.rollback();
          client.close();
        } catch (SQLException e) {
          // closing a test client; the bouncer is stopped after the class anyway
        }
      }
    }
  }
}
