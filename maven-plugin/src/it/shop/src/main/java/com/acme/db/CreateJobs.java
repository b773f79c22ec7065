package com.acme.db;

import dev.twostep.PreMigration;

@PreMigration(release = "1.0.0", step = 1, sql = """
    CREATE TABLE shop_jobs (id bigserial PRIMARY KEY, queue text NOT NULL, priority int);
    CREATE FUNCTION shop_fetch_job_v1(p_queue text) RETURNS bigint LANGUAGE sql
      AS $$ SELECT id FROM shop_jobs WHERE queue = p_queue ORDER BY id LIMIT 1 $$;
    INSERT INTO shop_jobs (queue) SELECT 'mail' FROM generate_series(1, 30);
    """)
public final class CreateJobs {}
