package dev.twostep.examples.shop.db;

import dev.twostep.JavaMigration;
import dev.twostep.MigrationContext;
import dev.twostep.NonTransactional;
import dev.twostep.PostMigration;
import dev.twostep.PreMigration;

/**
 * Release 2.0.0: priorities. A new column with a constant default (instant, safe while 1.0.0
 * runs), a batched backfill, a new enum value, a new version of the fetch and enqueue functions
 * (1.0.0 keeps calling v1 until post), and an index built without blocking writes.
 */
final class Release2 {
  private Release2() {}

  @PreMigration(release = "2.0.0", step = 1, sql = """
      ALTER TABLE shop_jobs ADD COLUMN priority int NOT NULL DEFAULT 0;
      """)
  static final class AddPriority {}

  /** Jobs already queued on the {@code urgent} queue get priority 10, a batch at a time. */
  @PreMigration(release = "2.0.0", step = 2)
  static final class BackfillUrgentPriority implements JavaMigration, NonTransactional {
    @Override
    public void migrate(MigrationContext context) throws Exception {
      long rows = context.inBatches("""
          UPDATE shop_jobs SET priority = 10
           WHERE id IN (SELECT id FROM shop_jobs
                         WHERE queue = 'urgent' AND priority = 0
                         LIMIT 500)
          """);
      context.logger().log(System.Logger.Level.INFO, "raised the priority of {0} urgent jobs", rows);
    }
  }

  @PreMigration(release = "2.0.0", step = 3, sql = """
      ALTER TYPE shop_job_state ADD VALUE IF NOT EXISTS 'cancelled';
      """)
  static final class AddCancelledState {}

  @PreMigration(release = "2.0.0", step = 4, sql = """
      CREATE FUNCTION shop_enqueue_job_v2(p_queue text, p_payload jsonb, p_priority int) RETURNS bigint
      LANGUAGE sql AS $$
        INSERT INTO shop_jobs (queue, payload, priority) VALUES (p_queue, p_payload, p_priority)
        RETURNING id;
      $$;

      CREATE FUNCTION shop_fetch_job_v2(p_queue text) RETURNS bigint
      LANGUAGE plpgsql AS $body$
      DECLARE
        v_id bigint;
      BEGIN
        SELECT id INTO v_id FROM shop_jobs
         WHERE queue = p_queue AND state = 'queued'
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
  static final class FetchByPriority {}

  @PreMigration(release = "2.0.0", step = 5, sql = """
      CREATE INDEX CONCURRENTLY shop_jobs_priority ON shop_jobs (queue, priority DESC, id)
       WHERE state = 'queued';
      """)
  static final class IndexQueuedByPriority {}

  @PostMigration(release = "2.0.0", step = 1, sql = """
      DROP FUNCTION shop_fetch_job_v1(text);
      DROP FUNCTION shop_enqueue_job_v1(text, jsonb);
      """)
  static final class DropFetchAndEnqueueV1 {}
}
