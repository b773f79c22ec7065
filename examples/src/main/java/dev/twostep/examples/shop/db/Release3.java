package dev.twostep.examples.shop.db;

import dev.twostep.JavaMigration;
import dev.twostep.MigrationContext;
import dev.twostep.NonTransactional;
import dev.twostep.PostMigration;
import dev.twostep.PreMigration;

/**
 * Release 3.0.0: rename {@code queue} to {@code queue_name} without downtime (expand/contract).
 * Pre adds the new column, keeps both columns in sync with a bridge trigger (created here and
 * dropped in post, so it needs no version), backfills in batches, and adds a NOT NULL check as
 * NOT VALID.
 * Code 3.0.0 reads and writes {@code queue_name}. Post validates the check, sets NOT NULL, drops
 * the bridge, the old column and the v2 functions.
 */
final class Release3 {
  private Release3() {}

  @PreMigration(release = "3.0.0", step = 1, sql = """
      ALTER TABLE shop_jobs ADD COLUMN queue_name text;

      -- Bridge while 2.0.0 (writes queue) and 3.0.0 (writes queue_name) run side by side.
      CREATE FUNCTION shop_jobs_sync_queue_name() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' OR NEW.queue IS DISTINCT FROM OLD.queue THEN
          IF NEW.queue IS NULL THEN
            NEW.queue := NEW.queue_name;
          ELSE
            NEW.queue_name := NEW.queue;
          END IF;
        ELSIF NEW.queue_name IS DISTINCT FROM OLD.queue_name THEN
          NEW.queue := NEW.queue_name;
        END IF;
        RETURN NEW;
      END;
      $$;

      CREATE TRIGGER shop_jobs_sync_queue_name BEFORE INSERT OR UPDATE ON shop_jobs
        FOR EACH ROW EXECUTE FUNCTION shop_jobs_sync_queue_name();
      """)
  static final class AddQueueNameWithBridge {}

  /**
   * Jobs created before the bridge get their {@code queue_name}, a batch at a time: each batch
   * commits on its own, so no row stays locked while the rest of the table is copied (one
   * whole-table UPDATE would hold every row's lock until it finished: {@code unbatched-backfill}).
   */
  @PreMigration(release = "3.0.0", step = 2)
  static final class BackfillQueueName implements JavaMigration, NonTransactional {
    @Override
    public void migrate(MigrationContext context) throws Exception {
      long rows = context.inBatches("""
          UPDATE shop_jobs SET queue_name = queue
           WHERE id IN (SELECT id FROM shop_jobs
                         WHERE queue_name IS NULL
                         LIMIT 500)
          """);
      context.logger().log(System.Logger.Level.INFO, "copied queue to queue_name for {0} jobs", rows);
    }
  }

  @PreMigration(release = "3.0.0", step = 3, sql = """
      ALTER TABLE shop_jobs
        ADD CONSTRAINT shop_jobs_queue_name_present CHECK (queue_name IS NOT NULL) NOT VALID;
      """)
  static final class CheckQueueNamePresent {}

  @PreMigration(release = "3.0.0", step = 4, sql = """
      CREATE FUNCTION shop_enqueue_job_v3(p_queue_name text, p_payload jsonb, p_priority int) RETURNS bigint
      LANGUAGE sql AS $$
        INSERT INTO shop_jobs (queue_name, payload, priority) VALUES (p_queue_name, p_payload, p_priority)
        RETURNING id;
      $$;

      CREATE FUNCTION shop_fetch_job_v3(p_queue_name text) RETURNS bigint
      LANGUAGE plpgsql AS $body$
      DECLARE
        v_id bigint;
      BEGIN
        SELECT id INTO v_id FROM shop_jobs
         WHERE queue_name = p_queue_name AND state = 'queued'
         ORDER BY priority DESC, id
         LIMIT 1
         FOR UPDATE SKIP LOCKED;
        IF v_id IS NULL THEN
          RETURN NULL;
        END IF;
        UPDATE shop_jobs SET state = 'running', attempts = attempts + 1 WHERE id = v_id;
        RETURN v_id;
      END;
      $body$;
      """)
  static final class QueueNameFunctions {}

  @PreMigration(release = "3.0.0", step = 5, sql = """
      CREATE INDEX CONCURRENTLY shop_jobs_queue_name_priority ON shop_jobs (queue_name, priority DESC, id)
       WHERE state = 'queued';
      """)
  static final class IndexQueueName {}

  @PostMigration(release = "3.0.0", step = 1, sql = """
      ALTER TABLE shop_jobs VALIDATE CONSTRAINT shop_jobs_queue_name_present;
      """)
  static final class ValidateQueueNamePresent {}

  @PostMigration(release = "3.0.0", step = 2, sql = """
      -- NOT NULL is proved by the validated check, so this does not scan the table.
      ALTER TABLE shop_jobs ALTER COLUMN queue_name SET NOT NULL;
      ALTER TABLE shop_jobs DROP CONSTRAINT shop_jobs_queue_name_present;

      DROP TRIGGER shop_jobs_sync_queue_name ON shop_jobs;
      DROP FUNCTION shop_jobs_sync_queue_name();
      DROP FUNCTION shop_fetch_job_v2(text);
      DROP FUNCTION shop_enqueue_job_v2(text, jsonb, int);
      ALTER TABLE shop_jobs DROP COLUMN queue;
      ALTER INDEX shop_jobs_queue_name_priority RENAME TO shop_jobs_priority;
      """)
  static final class DropQueueColumn {}
}
