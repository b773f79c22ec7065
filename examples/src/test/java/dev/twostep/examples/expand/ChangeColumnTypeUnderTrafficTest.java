package dev.twostep.examples.expand;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.MigrationCatalog;
import dev.twostep.runtime.MigrateResult;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code @ChangeColumnType} of {@code ledger.amount} from {@code integer} to {@code bigint} (with a
 * {@code using} that the bridge and the backfill both apply) on a catalog compiled here: code of
 * 1.0.0 and 2.0.0 write {@code amount} while the conversion is held in its tenth batch; after post
 * {@code amount} is a {@code bigint} holding every value, and 2.0.0's code stores one beyond
 * {@code integer}.
 */
class ChangeColumnTypeUnderTrafficTest {
  private static final int ROWS = 20_000;
  private static final long HELD = 9_001;
  private static final String SOURCE = String.join("\n",
      "package com.acme.ledger;",
      "import dev.twostep.*;",
      "final class Ledger {",
      "  @PreMigration(release = \"1.0.0\", step = 1, sql = \"CREATE TABLE ledger (id bigserial PRIMARY KEY, amount integer NOT NULL);\")",
      "  static final class CreateLedger {}",
      "  @ChangeColumnType(release = \"2.0.0\", step = 1, table = \"ledger\", column = \"amount\", type = \"bigint\",",
      "      using = \"amount::bigint * 100\")",
      "  static final class AmountInCents {}",
      "}");

  @Test
  void bothReleasesWriteWhileTheConversionRunsAndPostSwapsTheColumn() throws Exception {
    MigrationCatalog catalog = CompiledCatalogs.compile("com.acme.ledger.Ledger", SOURCE);
    try (TestDatabase db = TestPostgres.shared().createDatabase("change_type_traffic")) {
      Twostep deployer = Twostep.builder().dataSource(db.dataSource()).catalog(catalog)
          .lockTimeout(Duration.ofSeconds(120)).build();
      deployer.migrate(Target.parse("1.0.0"));
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO ledger (amount) SELECT i FROM generate_series(1, " + ROWS + ") i");
        s.execute("VACUUM ANALYZE ledger");
      }
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try (Connection holder = db.connect()) {
        Future<MigrateResult> pre = pool.submit(() -> deployer.migrate(Target.parse("2.0.0:pre")));
        while (!Sessions.exists(db::connect, "SELECT 1 FROM pg_trigger WHERE tgname = 'ledger_sync_twostep_new_amount'")) {
          Thread.onSpinWait();
        }
        holder.setAutoCommit(false);
        try (Statement s = holder.createStatement();
            ResultSet rs = s.executeQuery("SELECT twostep_new_amount FROM ledger WHERE id = " + HELD + " FOR UPDATE")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getObject(1)).as("row reached by the conversion before the test could hold it").isNull();
        }
        int conversion = Sessions.waitForOneWaiter(db::connect);
        assertThat(Sessions.count(db::connect, "ledger", "twostep_new_amount IS NOT NULL")).isEqualTo(HELD - 1);

        // both releases' code writes amount (still an integer on S_pre): new rows, rows not converted yet
        Future<?> of1 = pool.submit(() -> write(db, "INSERT INTO ledger (amount) VALUES (70001)", 20,
            "UPDATE ledger SET amount = -id WHERE id BETWEEN 19500 AND 19549"));
        Future<?> of2 = pool.submit(() -> write(db, "INSERT INTO ledger (amount) VALUES (90001)", 20,
            "UPDATE ledger SET amount = amount + 1 WHERE id BETWEEN 100 AND 149"));
        of1.get(60, TimeUnit.SECONDS);
        of2.get(60, TimeUnit.SECONDS);
        assertThat(Sessions.waitingPids(db::connect)).as("sessions waiting for a lock").containsExactly(conversion);
        assertThat(pre.isDone()).isFalse();
        holder.rollback();
        pre.get(120, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
      assertThat(Sessions.count(db::connect, "ledger", "twostep_new_amount IS DISTINCT FROM amount::bigint * 100")).as("diverging rows").isZero();

      deployer.migrate(Target.parse("2.0.0:post"));
      assertThat(Sessions.exists(db::connect, "SELECT 1 FROM information_schema.columns WHERE table_name = 'ledger'"
          + " AND column_name = 'amount' AND data_type = 'bigint' AND is_nullable = 'NO'")).isTrue();
      assertThat(Sessions.count(db::connect, "ledger", "true")).isEqualTo(ROWS + 40);
      assertThat(Sessions.count(db::connect, "ledger", "id <= " + ROWS + " AND NOT (id BETWEEN 19500 AND 19549) AND NOT (id BETWEEN 100 AND 149)"
          + " AND amount <> id * 100")).isZero();
      assertThat(Sessions.count(db::connect, "ledger", "id BETWEEN 19500 AND 19549 AND amount <> -id * 100")).isZero();
      assertThat(Sessions.count(db::connect, "ledger", "id BETWEEN 100 AND 149 AND amount <> (id + 1) * 100")).isZero();
      assertThat(Sessions.count(db::connect, "ledger", "amount = 7000100")).isEqualTo(20);
      assertThat(Sessions.count(db::connect, "ledger", "amount = 9000100")).isEqualTo(20);
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO ledger (amount) VALUES (5000000000)");
      }
      assertThat(deployer.verify().ok()).isTrue();
    }
  }

  private static Void write(TestDatabase db, String insert, int times, String update) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("SET lock_timeout = 2000");
      for (int i = 0; i < times; i++) {
        s.execute(insert);
      }
      assertThat(s.executeUpdate(update)).isEqualTo(50);
    }
    return null;
  }




}
