package com.acme.db;

import dev.twostep.JavaMigration;
import dev.twostep.MigrationContext;
import dev.twostep.NonTransactional;
import dev.twostep.PreMigration;

@PreMigration(release = "1.0.0", step = 2)
public final class BackfillPriority implements JavaMigration, NonTransactional {
  @Override
  public void migrate(MigrationContext context) throws Exception {
    long rows = context.inBatches("""
        UPDATE shop_jobs SET priority = 0
        WHERE id IN (SELECT id FROM shop_jobs WHERE priority IS NULL LIMIT 1000)
        """);
    context.logger().log(System.Logger.Level.INFO, "backfilled " + rows + " jobs");
  }
}
