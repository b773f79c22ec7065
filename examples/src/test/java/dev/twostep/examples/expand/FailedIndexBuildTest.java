package dev.twostep.examples.expand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.MigrationCatalog;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@code CREATE UNIQUE INDEX CONCURRENTLY} that fails on duplicates, compiled here: the runtime
 * drops the INVALID index it leaves from what the processor recorded in the catalog (schema,
 * quoted names, a comment inside the statement), and the run after the data is fixed builds it.
 */
class FailedIndexBuildTest {
  private static final String SOURCE = String.join("\n",
      "package com.acme.odd;",
      "import dev.twostep.*;",
      "final class Odd {",
      "  @PreMigration(release = \"1.0.0\", step = 1, sql = \"CREATE SCHEMA app; CREATE TABLE app.\\\"My Table\\\" (x int);\")",
      "  static final class CreateTable {}",
      "  @PreMigration(release = \"2.0.0\", step = 1,",
      "      sql = \"CREATE UNIQUE INDEX /* the odd one */ CONCURRENTLY \\\"Odd Name\\\" ON app.\\\"My Table\\\" (x);\")",
      "  static final class OddIndex {}",
      "}");

  private static final String INDEXES = "SELECT indexrelid::regclass::text || ' ' || indisvalid FROM pg_index"
      + " WHERE indrelid = 'app.\"My Table\"'::regclass";

  @Test
  void theInvalidIndexOfAFailedBuildIsDroppedByItsNamesInTheCatalog() throws Exception {
    MigrationCatalog catalog = CompiledCatalogs.compile("com.acme.odd.Odd", SOURCE);
    try (TestDatabase db = TestPostgres.shared().createDatabase("failed_index_build")) {
      Twostep deployer = Twostep.builder().dataSource(db.dataSource()).catalog(catalog).build();
      deployer.migrate(Target.parse("1.0.0"));
      execute(db, "INSERT INTO app.\"My Table\" VALUES (1), (1)");

      assertThatThrownBy(() -> deployer.migrate(Target.parse("2.0.0:pre")))
          .hasMessageContaining("SQLSTATE 23505")
          .hasMessageContaining("The INVALID index app.\"Odd Name\" it left behind was dropped");
      assertThat(column(db, INDEXES)).isEmpty();

      execute(db, "DELETE FROM app.\"My Table\" WHERE ctid <> (SELECT min(ctid) FROM app.\"My Table\")");
      assertThat(deployer.migrate(Target.parse("2.0.0:pre")).applied()).hasSize(1);
      assertThat(column(db, INDEXES)).containsExactly("app.\"Odd Name\" true");
    }
  }

  private static void execute(TestDatabase db, String sql) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static List<String> column(TestDatabase db, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
