package dev.twostep.spring;

import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.Phase;
import dev.twostep.SqlStatement;
import java.util.List;

/** A second catalog, registered only by the class loader of the tests that need two. */
public final class InventoryCatalog implements MigrationCatalog {
  @Override
  public String name() {
    return "Inventory";
  }

  @Override
  public List<Migration> migrations() {
    return List.of(Migration.sql("1.0.0", Phase.PRE, 1, "create inventory", "InventoryCatalog", "0".repeat(64), true,
        List.of(), List.of(new SqlStatement(1, "CREATE TABLE inventory (id bigint PRIMARY KEY)"))));
  }
}
