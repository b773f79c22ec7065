package dev.twostep.examples.expand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code @AddUniqueConstraint} and {@code @AddForeignKey} on a catalog compiled here, under
 * traffic: while pre(2.0.0) builds the unique index concurrently (held waiting, seen in
 * {@code pg_locks}, by a transaction of 1.0.0's code left open), code of 1.0.0 and 2.0.0 keep
 * writing both tables; after pre both keys hold for new rows; post turns them into validated
 * constraints, and 2.0.0's code alone works.
 */
class KeysUnderTrafficTest {
  private static final String SOURCE = String.join("\n",
      "package com.acme.shop;",
      "import dev.twostep.*;",
      "final class Shop {",
      "  @PreMigration(release = \"1.0.0\", step = 1, sql = \"CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);"
          + " CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL);\")",
      "  static final class CreateTables {}",
      "  @AddUniqueConstraint(release = \"2.0.0\", step = 1, table = \"customers\", columns = \"email\")",
      "  static final class OneCustomerPerEmail {}",
      "  @AddForeignKey(release = \"2.0.0\", step = 2, table = \"orders\", columns = \"customer_id\",",
      "      references = \"customers (id)\")",
      "  static final class OrdersBelongToCustomers {}",
      "}");

  @Test
  void bothReleasesWriteWhileTheKeysAreAddedAndPostValidatesThem() throws Exception {
    MigrationCatalog catalog = CompiledCatalogs.compile("com.acme.shop.Shop", SOURCE);
    try (TestDatabase db = TestPostgres.shared().createDatabase("keys_traffic")) {
      Twostep deployer = Twostep.builder().dataSource(db.dataSource()).catalog(catalog)
          .lockTimeout(Duration.ofSeconds(120)).build();
      deployer.migrate(Target.parse("1.0.0"));
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO customers SELECT i, 'c' || i || '@example.com' FROM generate_series(1, 5000) i");
        s.execute("INSERT INTO orders (customer_id) SELECT 1 + i % 5000 FROM generate_series(1, 5000) i");
      }
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try (Connection open = db.connect(); Connection app = db.connect(); Statement writes = app.createStatement()) {
        writes.execute("SET lock_timeout = 2000");
        // a transaction of 1.0.0's code, open when the deploy starts: CREATE INDEX CONCURRENTLY waits for it
        open.setAutoCommit(false);
        try (Statement s = open.createStatement()) {
          s.execute("INSERT INTO customers VALUES (10001, 'open@example.com')");
        }
        Future<MigrateResult> pre = pool.submit(() -> deployer.migrate(Target.parse("2.0.0:pre")));
        int build = Sessions.waitForOneWaiter(db::connect);
        // meanwhile both releases' code writes both tables, none of it waits
        for (int i = 0; i < 20; i++) {
          writes.execute("INSERT INTO customers VALUES (" + (20_000 + i) + ", 'new" + i + "@example.com')");
          writes.execute("INSERT INTO orders (customer_id) VALUES (" + (20_000 + i) + ")");
          writes.execute("UPDATE customers SET email = 'moved" + i + "@example.com' WHERE id = " + (100 + i));
        }
        assertThat(Sessions.waitingPids(db::connect)).as("sessions waiting for a lock").containsExactly(build);
        assertThat(pre.isDone()).isFalse();
        open.commit();
        assertThat(pre.get(120, TimeUnit.SECONDS).applied()).hasSize(2);
      } finally {
        pool.shutdownNow();
      }
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        // S_pre(2.0.0): both keys hold for every row written from now on
        assertThatThrownBy(() -> s.execute("INSERT INTO customers VALUES (30000, 'c1@example.com')"))
            .isInstanceOf(SQLException.class).hasMessageContaining("customers_email_key");
        assertThatThrownBy(() -> s.execute("INSERT INTO orders (customer_id) VALUES (999999)"))
            .isInstanceOf(SQLException.class).hasMessageContaining("orders_customer_id_fkey");
        s.execute("INSERT INTO orders (customer_id) VALUES (10001)");
      }
      // the unique key is an index until post; the foreign key a constraint NOT VALID
      assertThat(constraints(db)).containsExactly("orders_customer_id_fkey f false");

      deployer.migrate(Target.parse("2.0.0:post"));
      assertThat(constraints(db)).containsExactly("customers_email_key u true", "orders_customer_id_fkey f true");
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO customers VALUES (40000, 'after@example.com')");
        s.execute("INSERT INTO orders (customer_id) VALUES (40000)");
      }
      assertThat(deployer.verify().ok()).isTrue();
    }
  }



  /** {@code "name type validated"} of the unique and foreign-key constraints, by name. */
  private static List<String> constraints(TestDatabase db) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT conname, contype, convalidated FROM pg_constraint"
            + " WHERE contype IN ('u', 'f') AND connamespace = 'public'::regnamespace ORDER BY conname")) {
      while (rs.next()) {
        out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getBoolean(3));
      }
    }
    return out;
  }
}
