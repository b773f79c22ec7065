package dev.twostep.examples.shop.db;

import dev.twostep.PostMigration;
import dev.twostep.PreMigration;
import dev.twostep.RenameColumn;

/**
 * Release 3.0.0: rename {@code queue} to {@code queue_name} without downtime (expand/contract).
 * {@link RenameQueue} is one {@code @RenameColumn}: its pre-migration adds {@code queue_name}, a
 * bridge trigger keeping both columns equal while 2.0.0 (writes {@code queue}) and 3.0.0 (writes
 * {@code queue_name}) run side by side, a NOT VALID NOT NULL check, and copies the older rows in
 * batches; its post-migration validates the check, sets NOT NULL and drops the bridge and
 * {@code queue}. Code 3.0.0 reads and writes {@code queue_name} through the v3 functions; post
 * drops the v2 functions.
 */
final class Release3 {
  private Release3() {}

  @RenameColumn(release = "3.0.0", step = 1, table = "shop_jobs", from = "queue", to = "queue_name")
  static final class RenameQueue {}

  @PreMigration(release = "3.0.0", step = 2, sql = """
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

  @PreMigration(release = "3.0.0", step = 3, sql = """
      CREATE INDEX CONCURRENTLY shop_jobs_queue_name_priority ON shop_jobs (queue_name, priority DESC, id)
       WHERE state = 'queued';
      """)
  static final class IndexQueueName {}

  @PostMigration(release = "3.0.0", step = 2, sql = """
      DROP FUNCTION shop_fetch_job_v2(text);
      DROP FUNCTION shop_enqueue_job_v2(text, jsonb, int);
      ALTER INDEX shop_jobs_queue_name_priority RENAME TO shop_jobs_priority;
      """)
  static final class DropQueueFunctionsV2 {}
}
