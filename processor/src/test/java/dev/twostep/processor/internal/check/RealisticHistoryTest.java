package dev.twostep.processor.internal.check;

import dev.twostep.Rule;
import static dev.twostep.processor.internal.check.TestSets.checkedFrom;
import static dev.twostep.processor.internal.check.TestSets.post;
import static dev.twostep.processor.internal.check.TestSets.pre;
import static dev.twostep.processor.internal.check.TestSets.set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.ObjectKind;
import dev.twostep.processor.internal.model.ObjectTimeline;
import dev.twostep.processor.internal.model.Diagnostic;
import dev.twostep.processor.internal.model.MigrationModel;
import dev.twostep.processor.internal.model.MigrationSetModel;
import dev.twostep.processor.internal.model.SchemaConstant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A job-queue application's history over four releases, written the way teams write migrations:
 * PL/pgSQL bodies with semicolons and key words, SQL-standard bodies, triggers, enums gaining
 * values, composite types, a bridge trigger, an index swapped and renamed, schema-qualified and
 * quoted names. It must draw no error; breaking it in one place must draw exactly that error.
 */
class RealisticHistoryTest {

  static final MigrationModel CREATE_QUEUE = pre("1.0.0", 1, """
      -- The queue. Statuses are an enum: they only ever gain values.
      CREATE EXTENSION IF NOT EXISTS pgcrypto;
      CREATE TYPE shop_job_state AS ENUM ('queued', 'running', 'done');
      CREATE TABLE shop_jobs (
        id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        queue      text NOT NULL,
        state      shop_job_state NOT NULL DEFAULT 'queued',
        payload    jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT shop_jobs_queue_check CHECK (queue <> '')
      );
      CREATE INDEX shop_jobs_queue_idx ON shop_jobs (queue, state) WHERE state = 'queued';
      CREATE TABLE "ShopAudit" ("Id" bigserial PRIMARY KEY, "Message" text);
      """);

  static final MigrationModel FETCH_JOB_V1 = pre("1.0.0", 2, """
      CREATE FUNCTION shop_fetch_job_v1(p_queue text) RETURNS bigint
      LANGUAGE plpgsql AS $$
      DECLARE
        v_id bigint; -- the job we take; DROP TABLE here is only a comment
      BEGIN
        SELECT id INTO v_id
          FROM shop_jobs
         WHERE queue = p_queue AND state = 'queued'
         ORDER BY id
         FOR UPDATE SKIP LOCKED
         LIMIT 1;
        IF v_id IS NULL THEN
          RETURN NULL;
        END IF;
        UPDATE shop_jobs SET state = 'running' WHERE id = v_id;
        INSERT INTO "ShopAudit" ("Message") VALUES (format('took %s; it''s running', v_id));
        RETURN v_id;
      END;
      $$;
      CREATE TYPE shop_job_row_v1 AS (id bigint, queue text);
      CREATE VIEW shop_open_jobs_v1 AS
        SELECT id, queue FROM shop_jobs WHERE state IN ('queued', 'running');
      """);

  static final MigrationModel TOUCH_TRIGGER = pre("1.0.0", 3, """
      CREATE FUNCTION shop_touch_v1() RETURNS trigger LANGUAGE plpgsql AS $body$
      BEGIN
        -- $$ inside a tagged body is just text; so is 'BEGIN; COMMIT;'
        NEW.payload := NEW.payload || jsonb_build_object('touched', E'yes\\n; really');
        RETURN NEW;
      END
      $body$;
      CREATE TRIGGER shop_touch_v1 BEFORE UPDATE ON public.shop_jobs
        FOR EACH ROW EXECUTE FUNCTION shop_touch_v1();
      CREATE SCHEMA IF NOT EXISTS billing;
      CREATE TABLE billing."Invoices" (id bigint PRIMARY KEY, amount numeric(12, 2) NOT NULL);
      CREATE FUNCTION billing.invoice_total_v1(p_invoice bigint) RETURNS numeric
        LANGUAGE sql STABLE
        BEGIN ATOMIC
          SELECT CASE WHEN count(*) = 0 THEN 0 ELSE sum(amount) END
            FROM billing."Invoices" WHERE id = p_invoice;
        END;
      """);

  static final MigrationModel FAILED_STATE = pre("2.0.0", 1, """
      ALTER TYPE shop_job_state ADD VALUE IF NOT EXISTS 'failed' AFTER 'running';
      """);

  static final MigrationModel PRIORITIES = pre("2.0.0", 2, """
      ALTER TABLE ONLY shop_jobs
        ADD COLUMN priority int NOT NULL DEFAULT 0,
        ADD COLUMN queue_name text;
      -- Bridge: keeps queue_name in step with queue while 1.0.0 still writes queue.
      CREATE FUNCTION shop_sync_queue_name() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.queue_name IS NULL THEN NEW.queue_name := NEW.queue; END IF;
        IF NEW.queue IS NULL THEN NEW.queue := NEW.queue_name; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER shop_sync_queue_name BEFORE INSERT OR UPDATE OF queue, queue_name ON shop_jobs
        FOR EACH ROW EXECUTE FUNCTION shop_sync_queue_name();
      -- (a NonTransactional Java migration backfills queue_name in batches)
      ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_queue_name_present CHECK (queue_name IS NOT NULL) NOT VALID;
      CREATE FUNCTION shop_fetch_job_v2(p_queue text, p_min_priority integer DEFAULT 0) RETURNS bigint
      LANGUAGE plpgsql AS $fetch$
      DECLARE v_id bigint;
      BEGIN
        UPDATE shop_jobs SET state = 'running'
         WHERE id = (SELECT id FROM shop_jobs
                      WHERE queue_name = p_queue AND priority >= p_min_priority AND state = 'queued'
                      ORDER BY priority DESC, id FOR UPDATE SKIP LOCKED LIMIT 1)
        RETURNING id INTO v_id;
        RETURN v_id;
      END $fetch$;
      CREATE TYPE shop_job_row_v2 AS (id bigint, queue text, priority int);
      CREATE OR REPLACE VIEW shop_open_jobs_v2 AS
        SELECT id, queue_name AS queue, priority FROM shop_jobs WHERE state IN ('queued', 'running');
      ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_priority_check CHECK (priority BETWEEN 0 AND 9) NOT VALID;
      """);

  static final MigrationModel PRIORITY_INDEX = pre("2.0.0", 3,
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS shop_jobs_queue_idx_new ON shop_jobs (queue_name, priority DESC) WHERE state = 'queued'");

  static final MigrationModel CONTRACT_V1 = post("2.0.0", 1, """
      ALTER TABLE shop_jobs VALIDATE CONSTRAINT shop_jobs_priority_check;
      ALTER TABLE shop_jobs VALIDATE CONSTRAINT shop_jobs_queue_name_present;
      DROP TRIGGER shop_sync_queue_name ON shop_jobs;
      DROP FUNCTION shop_sync_queue_name();
      DROP FUNCTION shop_fetch_job_v1(text);
      DROP VIEW shop_open_jobs_v1;
      DROP TYPE shop_job_row_v1;
      ALTER TABLE shop_jobs ALTER COLUMN queue_name SET NOT NULL;
      ALTER TABLE shop_jobs DROP COLUMN queue;
      """);

  static final MigrationModel DROP_OLD_INDEX = post("2.0.0", 2, "DROP INDEX CONCURRENTLY shop_jobs_queue_idx;");

  static final MigrationModel RENAME_INDEX = post("2.0.0", 3, "ALTER INDEX shop_jobs_queue_idx_new RENAME TO shop_jobs_queue_idx;");

  static final MigrationModel BILLING_V2 = pre("2.1.0", 1, """
      CREATE FUNCTION billing.invoice_total_v2(p_invoice bigint, p_currency char(3) = 'EUR') RETURNS numeric
        LANGUAGE sql STABLE
        RETURN (SELECT coalesce(sum(amount), 0) FROM billing."Invoices" WHERE id = p_invoice);
      CREATE MATERIALIZED VIEW shop_queue_stats_v1 AS
        SELECT queue_name, count(*) AS jobs FROM shop_jobs GROUP BY queue_name;
      CREATE UNIQUE INDEX shop_queue_stats_v1_key ON shop_queue_stats_v1 (queue_name);
      INSERT INTO "ShopAudit" ("Message") VALUES (E'billing v2; see \\'docs\\'');
      """);

  static final MigrationModel BILLING_POST = post("2.1.0", 1, """
      /* v1 had no currency */
      DROP FUNCTION billing.invoice_total_v1;
      REFRESH MATERIALIZED VIEW shop_queue_stats_v1;
      """);

  static List<MigrationModel> history() {
    return List.of(CREATE_QUEUE, FETCH_JOB_V1, TOUCH_TRIGGER, FAILED_STATE, PRIORITIES, PRIORITY_INDEX,
        CONTRACT_V1, DROP_OLD_INDEX, RENAME_INDEX, BILLING_V2, BILLING_POST);
  }

  private static MigrationSetModel historyWith(MigrationModel... extra) {
    List<MigrationModel> all = new ArrayList<>(history());
    all.addAll(List.of(extra));
    return set(all.toArray(MigrationModel[]::new));
  }

  @Test
  void drawsNoDiagnostic() {
    assertThat(SqlRules.check(historyWith())).isEmpty();
  }

  @Test
  void schemaConstantsNameTheVersionsCodeOfTheNewestReleaseCalls() {
    List<SchemaConstant> constants = ObjectTimeline.schemaConstants(historyWith());
    assertThat(constants).extracting(SchemaConstant::constantName, SchemaConstant::sqlName, SchemaConstant::kind,
            SchemaConstant::version, SchemaConstant::release)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("FETCH_JOB", "shop_fetch_job_v2", ObjectKind.FUNCTION, 2, "2.0.0"),
            org.assertj.core.groups.Tuple.tuple("INVOICE_TOTAL", "billing.invoice_total_v2", ObjectKind.FUNCTION, 2, "2.1.0"),
            org.assertj.core.groups.Tuple.tuple("JOB_ROW", "shop_job_row_v2", ObjectKind.COMPOSITE_TYPE, 2, "2.0.0"),
            org.assertj.core.groups.Tuple.tuple("OPEN_JOBS", "shop_open_jobs_v2", ObjectKind.VIEW, 2, "2.0.0"),
            org.assertj.core.groups.Tuple.tuple("QUEUE_STATS", "shop_queue_stats_v1", ObjectKind.MATERIALIZED_VIEW, 1, "2.1.0"),
            org.assertj.core.groups.Tuple.tuple("TOUCH_FUNCTION", "shop_touch_v1", ObjectKind.FUNCTION, 1, "1.0.0"),
            org.assertj.core.groups.Tuple.tuple("TOUCH_TRIGGER", "shop_touch_v1", ObjectKind.TRIGGER, 1, "1.0.0"));
    assertThat(constants.get(1).signatures()).containsExactly("(bigint, character)");
    assertThat(constants.get(6).table()).isEqualTo("public.shop_jobs");
  }

  @Test
  void aVersionDroppedInTheNewestPostIsNotCallable() {
    // In 2.1.0 pre both invoice_total versions exist; after post only v2: code of 2.1.0 calls v2.
    assertThat(ObjectTimeline.schemaConstants(historyWith()))
        .extracting(SchemaConstant::sqlName).doesNotContain("billing.invoice_total_v1", "shop_fetch_job_v1");
  }

  @Test
  void aVersionCreatedOnlyInTheNewestPostIsNotCallable() {
    MigrationModel late = post("2.1.0", 2, "CREATE FUNCTION shop_purge_v1() RETURNS void LANGUAGE sql AS 'DELETE FROM shop_jobs';");
    assertThat(ObjectTimeline.schemaConstants(historyWith(late))).extracting(SchemaConstant::sqlName).doesNotContain("shop_purge_v1");
  }

  @Test
  void eachBreakDrawsExactlyItsRuleOnItsMigration() {
    record Break(MigrationModel migration, String... rules) {}
    List<Break> breaks = List.of(
        new Break(pre("3.0.0", 1, "DROP VIEW shop_open_jobs_v2;"), "pre-contract"),
        new Break(pre("3.0.0", 1, "ALTER TABLE shop_jobs ALTER COLUMN priority TYPE bigint;"), "pre-contract", "table-rewrite"),
        new Break(post("3.0.0", 1, "ALTER TABLE shop_jobs ALTER COLUMN priority TYPE bigint;"), "table-rewrite"),
        new Break(pre("3.0.0", 1, "ALTER TABLE \"ShopAudit\" RENAME COLUMN \"Message\" TO message;"), "pre-contract"),
        new Break(pre("3.0.0", 1, "ALTER TYPE shop_job_state RENAME VALUE 'failed' TO 'error';"), "pre-contract"),
        new Break(pre("3.0.0", 1, "ALTER TABLE shop_jobs ADD COLUMN owner text NOT NULL;"),
            "pre-contract", "not-null-without-default"),
        new Break(pre("3.0.0", 1, "DROP INDEX shop_jobs_queue_idx;"), "pre-contract"),
        new Break(post("3.0.0", 1, "DROP INDEX shop_jobs_queue_idx;"), "non-concurrent-drop"),
        new Break(pre("3.0.0", 1, "CREATE INDEX shop_jobs_created_idx ON shop_jobs (created_at);"), "blocking-index-build"),
        new Break(post("3.0.0", 1, "ALTER TABLE \"ShopAudit\" ADD CONSTRAINT audit_message CHECK (\"Message\" <> '');"),
            "validating-constraint"),
        new Break(post("3.0.0", 1, "ALTER TABLE \"ShopAudit\" ALTER COLUMN \"Message\" SET NOT NULL;"), "set-not-null-scan"),
        new Break(post("3.0.0", 1, "CREATE OR REPLACE FUNCTION shop_fetch_job_v2(text, integer) RETURNS bigint "
            + "LANGUAGE sql AS $$ SELECT 1::bigint $$;"), "immutable-version"),
        new Break(post("3.0.0", 1, "ALTER FUNCTION billing.invoice_total_v2(bigint, character) RENAME TO invoice_total_v3;"),
            "immutable-version"),
        new Break(pre("3.0.0", 1, "CREATE FUNCTION shop_fetch_job_v4(text) RETURNS bigint LANGUAGE sql AS 'SELECT 1';"),
            "version-sequence"),
        new Break(pre("3.0.0", 1, "CREATE VIEW shop_failed_jobs AS SELECT * FROM shop_jobs WHERE state = 'failed';"),
            "versioned-name"),
        new Break(pre("3.0.0", 1, "CREATE INDEX CONCURRENTLY shop_jobs_created_idx ON shop_jobs (created_at);\n"
            + "ANALYZE shop_jobs;"), "non-transactional-alone"),
        new Break(pre("3.0.0", 1, "START TRANSACTION; UPDATE shop_jobs SET priority = 1; COMMIT;"),
            "transaction-control", "unbatched-backfill"),
        new Break(pre("3.0.0", 1, "UPDATE shop_jobs SET payload = '{}' WHERE queue_name = 'x"), "sql-syntax"));
    for (Break b : breaks) {
      List<Diagnostic> diagnostics = SqlRules.check(historyWith(b.migration()));
      assertThat(diagnostics).as(b.migration().sql()).isNotEmpty()
          .allSatisfy(d -> assertThat(d.className()).isEqualTo(b.migration().className()));
      assertThat(diagnostics.stream().map(d -> d.rule().id()).distinct()).as(b.migration().sql())
          .containsExactlyInAnyOrder(b.rules());
    }
  }

  @Test
  void adoptingTwostepLaterExemptsTheHistory() {
    MigrationModel legacy = pre("0.9", 1, """
        CREATE TABLE shop_legacy_jobs (id serial PRIMARY KEY, name varchar(40));
        CREATE FUNCTION shop_legacy_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM shop_legacy_jobs';
        CREATE VIEW shop_report AS SELECT * FROM shop_legacy_jobs;
        """);
    MigrationModel legacyFix = pre("0.9.1", 1, """
        ALTER TABLE shop_legacy_jobs RENAME COLUMN name TO title;
        CREATE OR REPLACE VIEW shop_report AS SELECT id, title FROM shop_legacy_jobs;
        DO $$ BEGIN RAISE NOTICE 'legacy'; END $$;
        """);
    MigrationModel retire = post("1.0.0", 1, "DROP VIEW shop_report; DROP FUNCTION shop_legacy_count;");
    List<MigrationModel> all = new ArrayList<>(history());
    all.add(legacy);
    all.add(legacyFix);
    all.add(retire);
    MigrationSetModel set = checkedFrom("1.0.0", all.toArray(MigrationModel[]::new));
    assertThat(SqlRules.check(set)).isEmpty();
    assertThat(ObjectTimeline.schemaConstants(set)).extracting(SchemaConstant::sqlName).doesNotContain("shop_report");
  }

  @Test
  void randomMixesOfTheHistoryNeverThrow() {
    List<String> statements = new ArrayList<>();
    for (MigrationModel m : history()) {
      for (var s : dev.twostep.processor.internal.sql.SqlScript.parse(m.sql()).statements()) {
        statements.add(s.text());
      }
    }
    Random random = new Random(7);
    for (int round = 0; round < 300; round++) {
      List<MigrationModel> migrations = new ArrayList<>();
      int count = 1 + random.nextInt(6);
      for (int i = 0; i < count; i++) {
        Collections.shuffle(statements, random);
        String sql = String.join(";\n", statements.subList(0, 1 + random.nextInt(5)));
        if (random.nextInt(4) == 0) {
          sql = sql.substring(0, random.nextInt(sql.length()));
        }
        String release = (1 + random.nextInt(3)) + ".0";
        migrations.add(random.nextBoolean() ? pre(release, i + 1, sql) : post(release, i + 1, sql));
      }
      MigrationSetModel set = set(migrations.toArray(MigrationModel[]::new));
      List<String> names = migrations.stream().map(MigrationModel::className).toList();
      assertThat(SqlRules.check(set)).allSatisfy(d -> assertThat(names).contains(d.className()));
      ObjectTimeline.schemaConstants(set);
    }
  }
}
