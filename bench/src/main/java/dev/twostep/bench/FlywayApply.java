package dev.twostep.bench;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Child process of {@link ApplyBenchmark}: Flyway applies the {@code V<i>__m<i>.sql} files of the
 * folder {@code args[0]} to the database named by {@code TWOSTEP_URL}, {@code TWOSTEP_USER} and
 * {@code TWOSTEP_PASSWORD}, with Flyway's defaults (one transaction per migration).
 */
public final class FlywayApply {
  private FlywayApply() {}

  public static void main(String[] args) {
    Flyway flyway = Flyway.configure()
        .dataSource(System.getenv("TWOSTEP_URL"), System.getenv("TWOSTEP_USER"), System.getenv("TWOSTEP_PASSWORD"))
        .locations("filesystem:" + args[0])
        .load();
    MigrateResult result = flyway.migrate();
    System.out.println("flyway: " + result.migrationsExecuted + " migrations executed, success " + result.success);
    if (!result.success) {
      System.exit(1);
    }
  }
}
