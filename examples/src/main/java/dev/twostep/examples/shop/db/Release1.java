package dev.twostep.examples.shop.db;

import dev.twostep.PreMigration;

/**
 * Release 1.0.0: the job queue. Jobs live in {@code shop_jobs}; application code calls the
 * versioned functions {@code shop_enqueue_job_v1}, {@code shop_fetch_job_v1} and
 * {@code shop_finish_job_v1}; a trigger keeps {@code updated_at} current.
 */
final class Release1 {
  private Release1() {}

  @PreMigration(release = "1.0.0", step = 1, sql = """
      CREATE TYPE shop_job_state AS ENUM ('queued', 'running', 'done', 'failed');

      CREATE TABLE shop_jobs (
        id          bigserial PRIMARY KEY,
        queue       text           NOT NULL,
        payload     jsonb          NOT NULL DEFAULT '{}',
        state       shop_job_state NOT NULL DEFAULT 'queued',
        attempts    int            NOT NULL DEFAULT 0,
        created_at  timestamptz    NOT NULL DEFAULT now(),
        updated_at  timestamptz    NOT NULL DEFAULT now()
      );

      CREATE INDEX shop_jobs_queue_state ON shop_jobs (queue, state);
      """)
  static final class CreateJobTable {}

  @PreMigration(release = "1.0.0", step = 2, sql = """
      CREATE FUNCTION shop_enqueue_job_v1(p_queue text, p_payload jsonb) RETURNS bigint
      LANGUAGE sql AS $$
        INSERT INTO shop_jobs (queue, payload) VALUES (p_queue, p_payload) RETURNING id;
      $$;

      -- Takes the oldest queued job of a queue; concurrent workers skip each other's rows.
      CREATE FUNCTION shop_fetch_job_v1(p_queue text) RETURNS bigint
      LANGUAGE plpgsql AS $body$
      DECLARE
        v_id bigint;
      BEGIN
        SELECT id INTO v_id FROM shop_jobs
         WHERE queue = p_queue AND state = 'queued'
         ORDER BY id
         LIMIT 1
         FOR UPDATE SKIP LOCKED;
        IF v_id IS NULL THEN
          RETURN NULL;
        END IF;
        UPDATE shop_jobs SET state = 'running', attempts = attempts + 1 WHERE id = v_id;
        RETURN v_id;
      END;
      $body$;

      CREATE FUNCTION shop_finish_job_v1(p_id bigint, p_ok boolean) RETURNS void
      LANGUAGE sql AS $$
        UPDATE shop_jobs SET state = CASE WHEN p_ok THEN 'done' ELSE 'failed' END::shop_job_state
         WHERE id = p_id;
      $$;
      """)
  static final class CreateQueueFunctions {}

  @PreMigration(release = "1.0.0", step = 3, sql = """
      CREATE FUNCTION shop_touch_updated_at_v1() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        NEW.updated_at := now();  -- ';' and 'END' inside a body are not statement ends
        RETURN NEW;
      END;
      $$;

      CREATE TRIGGER shop_jobs_touch_v1 BEFORE UPDATE ON shop_jobs
        FOR EACH ROW EXECUTE FUNCTION shop_touch_updated_at_v1();
      """)
  static final class TouchUpdatedAt {}
}
