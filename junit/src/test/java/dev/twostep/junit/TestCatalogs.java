package dev.twostep.junit;

import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.SqlStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/** Small hand-built catalogs, as the annotation processor would generate them. */
final class TestCatalogs {
  private TestCatalogs() {}

  static Migration sql(String release, Phase phase, int step, String sql) {
    return Migration.sql(release, phase, step, "step " + step, "test.M" + release.replace('.', '_') + phase + step,
        Integer.toHexString(sql.hashCode()), true, List.of(), List.of(new SqlStatement(1, sql)));
  }

  static final Migration CREATE_JOBS = sql("1.0.0", Phase.PRE, 1, """
      CREATE TABLE shop_jobs (id bigserial PRIMARY KEY, queue text NOT NULL, state text NOT NULL DEFAULT 'new');
      CREATE FUNCTION shop_fetch_job_v1(p_queue text) RETURNS bigint LANGUAGE sql AS
        $$ SELECT id FROM shop_jobs WHERE queue = p_queue AND state = 'new' ORDER BY id LIMIT 1 $$""");

  /** Two releases: 2.0.0 adds a priority (pre), backfills it in Java (pre), drops state and v1 (post). */
  static final class ShopCatalog implements MigrationCatalog {
    @Override
    public String name() {
      return "Shop";
    }

    @Override
    public List<Migration> migrations() {
      return List.of(
          CREATE_JOBS,
          sql("2.0.0", Phase.PRE, 1, """
              ALTER TABLE shop_jobs ADD COLUMN priority int NOT NULL DEFAULT 0;
              CREATE FUNCTION shop_fetch_job_v2(p_queue text) RETURNS bigint LANGUAGE sql AS
                $$ SELECT id FROM shop_jobs WHERE queue = p_queue ORDER BY priority DESC, id LIMIT 1 $$"""),
          Migration.java("2.0.0", Phase.PRE, 2, "prioritise urgent jobs", "test.PrioritiseUrgentJobs",
              "java:test.PrioritiseUrgentJobs", true, List.of(), () -> context -> {
                try (Statement s = context.connection().createStatement()) {
                  s.executeUpdate("UPDATE shop_jobs SET priority = 10 WHERE queue = 'urgent'");
                }
              }),
          sql("2.0.0", Phase.POST, 1, "DROP FUNCTION shop_fetch_job_v1(text); ALTER TABLE shop_jobs DROP COLUMN state"));
    }
  }

  /** Release 2.0.0's pre-migration drops a column inside a DO block, where SQL analysis cannot see it. */
  static final class DropsColumnInDoBlock implements MigrationCatalog {
    @Override
    public String name() {
      return "DoBlock";
    }

    @Override
    public List<Migration> migrations() {
      return List.of(
          CREATE_JOBS,
          sql("2.0.0", Phase.PRE, 1, "DO $$ BEGIN EXECUTE 'ALTER TABLE shop_jobs DROP COLUMN ' || 'state'; END $$"));
    }
  }

  /**
   * A project that adopted Twostep at release 3.0.0 ({@code @MigrationSet(checkedFrom = "3.0.0")}):
   * its legacy release 2.0.0 dropped a column in a "pre" migration, as its old tool allowed.
   */
  static final class AdoptedAtThree implements MigrationCatalog {
    @Override
    public String name() {
      return "Adopted";
    }

    @Override
    public Optional<Release> checkedFrom() {
      return Optional.of(Release.parse("3.0.0"));
    }

    @Override
    public List<Migration> migrations() {
      return List.of(
          CREATE_JOBS,
          sql("2.0.0", Phase.PRE, 1, "ALTER TABLE shop_jobs DROP COLUMN state"),
          sql("3.0.0", Phase.PRE, 1, "ALTER TABLE shop_jobs ADD COLUMN priority int NOT NULL DEFAULT 0"));
    }
  }

  /**
   * Release 1.0.0 stages data in a temporary table and forgets to drop it; release 2.0.0 creates
   * the permanent staging table only "if it does not exist yet". Applied in one go, on one
   * session, the leftover temporary table answers that question, so the permanent table is never
   * created; applied release by release it is.
   */
  static final class TemporaryTableDecides implements MigrationCatalog {
    @Override
    public String name() {
      return "TempTable";
    }

    @Override
    public List<Migration> migrations() {
      return List.of(
          CREATE_JOBS,
          sql("1.0.0", Phase.PRE, 2, "CREATE TEMPORARY TABLE shop_staging (id bigint)"),
          sql("2.0.0", Phase.PRE, 1, """
              DO $$ BEGIN
                IF to_regclass('shop_staging') IS NULL THEN
                  CREATE TABLE shop_staging (id bigint, payload jsonb);
                END IF;
              END $$"""));
    }
  }
}
