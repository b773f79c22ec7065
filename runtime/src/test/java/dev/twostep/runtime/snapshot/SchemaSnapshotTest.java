package dev.twostep.runtime.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.runtime.snapshot.SchemaDiff.Change;
import dev.twostep.runtime.snapshot.SchemaObject.Kind;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaSnapshotTest {
  private static final String SHOP = """
      CREATE TYPE shop_state AS ENUM ('new', 'running', 'done');
      CREATE TYPE shop_money_v1 AS (amount numeric(12,2), currency text);
      CREATE DOMAIN shop_qty AS integer NOT NULL CHECK (VALUE > 0);
      CREATE TABLE shop_queues (name text PRIMARY KEY);
      CREATE TABLE shop_jobs (
        id bigserial PRIMARY KEY,
        queue text NOT NULL REFERENCES shop_queues(name),
        state shop_state NOT NULL DEFAULT 'new',
        payload jsonb,
        qty shop_qty,
        code text COLLATE "C",
        total numeric GENERATED ALWAYS AS (1.5) STORED
      );
      ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_payload_check CHECK (payload IS NOT NULL) NOT VALID;
      CREATE TABLE shop_events (id int GENERATED ALWAYS AS IDENTITY, job_id bigint);
      CREATE INDEX shop_jobs_queue_idx ON shop_jobs (queue) WHERE state <> 'done';
      CREATE SEQUENCE shop_ticket_seq START 100 INCREMENT 5;
      CREATE FUNCTION shop_fetch_job_v1(p_queue text) RETURNS bigint LANGUAGE sql AS
        $$ SELECT id FROM shop_jobs WHERE queue = p_queue ORDER BY id LIMIT 1 $$;
      CREATE PROCEDURE shop_purge_v1() LANGUAGE sql AS $$ DELETE FROM shop_jobs WHERE state = 'done' $$;
      CREATE FUNCTION shop_touch_v1() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
      CREATE TRIGGER shop_touch_v1 BEFORE UPDATE ON shop_jobs FOR EACH ROW EXECUTE FUNCTION shop_touch_v1();
      CREATE VIEW shop_open_jobs_v1 AS SELECT id, queue FROM shop_jobs WHERE state <> 'done';
      CREATE MATERIALIZED VIEW shop_counts_v1 AS SELECT queue, count(*) AS n FROM shop_jobs GROUP BY queue;
      CREATE SCHEMA billing;
      CREATE TABLE billing.invoices (id int PRIMARY KEY);
      CREATE TABLE twostep_history (release text PRIMARY KEY);
      """;

  private final List<TestDatabase> databases = new ArrayList<>();

  @AfterEach
  void dropDatabases() {
    databases.forEach(TestDatabase::close);
  }

  private TestDatabase database(String sql) throws SQLException {
    TestDatabase db = TestPostgres.shared().createDatabase("snapshot");
    databases.add(db);
    execute(db, sql);
    return db;
  }

  private static void execute(TestDatabase db, String sql) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static SchemaSnapshot snapshot(TestDatabase db) throws SQLException {
    try (Connection c = db.connect()) {
      return SchemaSnapshot.read(c);
    }
  }

  @Test
  void readsEveryKindOfObjectWithItsProperties() throws SQLException {
    SchemaSnapshot s = snapshot(database(SHOP));

    assertThat(s.find(Kind.COLUMN, "public.shop_jobs.state")).hasValueSatisfying(c -> {
      assertThat(c.property("type")).isEqualTo("shop_state");
      assertThat(c.is("not null")).isTrue();
      assertThat(c.property("default")).isEqualTo("'new'::shop_state");
      assertThat(c.parent()).isEqualTo("public.shop_jobs");
    });
    assertThat(s.find(Kind.COLUMN, "public.shop_jobs.payload").orElseThrow().describe())
        .isEqualTo("column public.shop_jobs.payload (jsonb)");
    assertThat(s.find(Kind.COLUMN, "public.shop_jobs.code").orElseThrow().property("collation")).isEqualTo("C");
    assertThat(s.find(Kind.COLUMN, "public.shop_jobs.total").orElseThrow().property("generated")).isEqualTo("1.5");
    assertThat(s.find(Kind.COLUMN, "public.shop_events.id").orElseThrow().property("identity")).isEqualTo("ALWAYS");
    assertThat(s.find(Kind.CONSTRAINT, "public.shop_jobs.shop_jobs_payload_check")).hasValueSatisfying(c -> {
      assertThat(c.property("definition")).isEqualTo("CHECK ((payload IS NOT NULL))");
      assertThat(c.is("validated")).isFalse();
      assertThat(c.describe()).isEqualTo("constraint public.shop_jobs.shop_jobs_payload_check (CHECK ((payload IS NOT NULL)) NOT VALID)");
    });
    assertThat(s.find(Kind.CONSTRAINT, "public.shop_jobs.shop_jobs_queue_fkey").orElseThrow().property("definition"))
        .isEqualTo("FOREIGN KEY (queue) REFERENCES shop_queues(name)");
    assertThat(s.find(Kind.INDEX, "public.shop_jobs_queue_idx").orElseThrow().property("definition"))
        .isEqualTo("CREATE INDEX shop_jobs_queue_idx ON public.shop_jobs USING btree (queue) WHERE (state <> 'done'::shop_state)");
    assertThat(s.find(Kind.INDEX, "public.shop_jobs_pkey").orElseThrow().property("constraint")).isEqualTo("shop_jobs_pkey");
    assertThat(s.find(Kind.FUNCTION, "public.shop_fetch_job_v1(p_queue text)")).hasValueSatisfying(f -> {
      assertThat(f.property("definition")).contains("SELECT id FROM shop_jobs WHERE queue = p_queue");
      assertThat(f.property("result")).isEqualTo("bigint");
    });
    assertThat(s.contains(Kind.PROCEDURE, "public.shop_purge_v1()")).isTrue();
    assertThat(s.find(Kind.TRIGGER, "public.shop_jobs.shop_touch_v1").orElseThrow().property("definition"))
        .isEqualTo("CREATE TRIGGER shop_touch_v1 BEFORE UPDATE ON public.shop_jobs FOR EACH ROW EXECUTE FUNCTION shop_touch_v1()");
    assertThat(s.find(Kind.ENUM_TYPE, "public.shop_state").orElseThrow().enumValues()).containsExactly("new", "running", "done");
    assertThat(s.find(Kind.COMPOSITE_TYPE, "public.shop_money_v1").orElseThrow().property("attributes"))
        .isEqualTo("amount numeric(12,2), currency text");
    assertThat(s.find(Kind.DOMAIN, "public.shop_qty").orElseThrow().property("constraints")).isEqualTo("CHECK ((VALUE > 0))");
    assertThat(s.find(Kind.VIEW, "public.shop_open_jobs_v1").orElseThrow().property("definition"))
        // PostgreSQL before 16 qualifies the column with the table name in a view's definition
        .containsPattern("WHERE (shop_jobs\\.)?state <> 'done'");
    assertThat(s.contains(Kind.MATERIALIZED_VIEW, "public.shop_counts_v1")).isTrue();
    assertThat(s.find(Kind.SEQUENCE, "public.shop_ticket_seq")).hasValueSatisfying(q -> {
      assertThat(q.property("start")).isEqualTo("100");
      assertThat(q.property("increment")).isEqualTo("5");
    });
    assertThat(s.find(Kind.SEQUENCE, "public.shop_jobs_id_seq").orElseThrow().property("owned by")).isEqualTo("public.shop_jobs.id");
    assertThat(s.objects(Kind.SEQUENCE)).extracting(SchemaObject::name)
        .as("an identity column's sequence is part of the column")
        .containsExactly("public.shop_jobs_id_seq", "public.shop_ticket_seq");
    assertThat(s.contains(Kind.TABLE, "billing.invoices")).isTrue();
    assertThat(s.objects(Kind.SCHEMA)).extracting(SchemaObject::name).containsExactly("billing", "public");
  }

  @Test
  void leavesOutTheHistoryTableAndWhatIsAskedFor() throws SQLException {
    TestDatabase db = database(SHOP);
    SchemaSnapshot all = snapshot(db);
    assertThat(all.objects()).extracting(SchemaObject::name).noneMatch(n -> n.contains("twostep_history"));

    try (Connection c = db.connect()) {
      SchemaSnapshot publicOnly = SchemaSnapshot.read(c, List.of("public"));
      assertThat(publicOnly.objects()).extracting(SchemaObject::name).noneMatch(n -> n.startsWith("billing."));
      assertThat(publicOnly.contains(Kind.TABLE, "public.shop_jobs")).isTrue();

      SchemaSnapshot withHistory = SchemaSnapshot.reader().includeHistoryTable().ignoreTable("public.shop_jobs").read(c);
      assertThat(withHistory.contains(Kind.TABLE, "public.twostep_history")).isTrue();
      assertThat(withHistory.contains(Kind.INDEX, "public.twostep_history_pkey")).isTrue();
      assertThat(withHistory.objects()).extracting(SchemaObject::name).noneMatch(n -> n.contains("shop_jobs."));
      assertThat(withHistory.contains(Kind.SEQUENCE, "public.shop_jobs_id_seq")).as("owned by an ignored table").isFalse();
    }
  }

  @Test
  void databasesBuiltAlikeAreEqualWhateverTheColumnOrder() throws SQLException {
    SchemaSnapshot a = snapshot(database(SHOP + "CREATE TABLE shop_notes (a int, b text NOT NULL);"));
    SchemaSnapshot b = snapshot(database(SHOP + "CREATE TABLE shop_notes (b text NOT NULL, a int);"));

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.diff(b).isEmpty()).isTrue();
    assertThat(a.diff(b).describe()).isEqualTo("no differences\n");

    SchemaSnapshot c = snapshot(database(SHOP + "CREATE TABLE shop_notes (b text, a int);"));
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void expandingChangesAreHarmless() throws SQLException {
    TestDatabase db = database(SHOP);
    SchemaSnapshot before = snapshot(db);
    execute(db, """
        ALTER TABLE shop_jobs ADD COLUMN priority int NOT NULL DEFAULT 0;
        ALTER TABLE shop_jobs ADD COLUMN note text;
        ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_note_check CHECK (length(note) < 100) NOT VALID;
        ALTER TABLE shop_jobs VALIDATE CONSTRAINT shop_jobs_payload_check;
        CREATE INDEX shop_jobs_priority_idx ON shop_jobs (priority);
        ALTER TYPE shop_state ADD VALUE 'failed';
        ALTER TYPE shop_state ADD VALUE 'queued' BEFORE 'running';
        CREATE FUNCTION shop_fetch_job_v2(p_queue text) RETURNS bigint LANGUAGE sql AS
          $$ SELECT id FROM shop_jobs WHERE queue = p_queue ORDER BY priority DESC, id LIMIT 1 $$;
        CREATE TABLE shop_audit (id bigserial PRIMARY KEY, at timestamptz NOT NULL, what text NOT NULL);
        ALTER TABLE shop_jobs ALTER COLUMN state SET DEFAULT 'running';
        """);
    SchemaDiff diff = before.diff(snapshot(db));

    assertThat(diff.breakingChanges()).isEmpty();
    assertThat(diff.describe()).contains(
        "added column public.shop_jobs.priority (integer NOT NULL DEFAULT 0)\n",
        "added table public.shop_audit (table) with 1 sequence, 3 columns, 1 constraint, 1 index\n",
        "changed constraint public.shop_jobs.shop_jobs_payload_check: validated false -> true\n",
        "changed enum type public.shop_state: values 'new', 'running', 'done' -> 'new', 'queued', 'running', 'done', 'failed'\n",
        "added function public.shop_fetch_job_v2(p_queue text) (returns bigint, language sql)\n");
    assertThat(diff.added()).extracting(Change::name).contains("public.shop_audit.what", "public.shop_jobs_priority_idx");
    assertThat(diff.removed()).isEmpty();
  }

  @Test
  void contractingChangesBreakOlderCodeAndAreNamed() throws SQLException {
    TestDatabase db = database(SHOP);
    SchemaSnapshot before = snapshot(db);
    execute(db, """
        DO $$ BEGIN EXECUTE 'ALTER TABLE shop_jobs DROP COLUMN payload CASCADE'; END $$;
        ALTER TABLE shop_jobs ALTER COLUMN qty TYPE bigint;
        ALTER TABLE shop_jobs ALTER COLUMN code SET NOT NULL;
        ALTER TABLE shop_jobs ALTER COLUMN state DROP DEFAULT;
        ALTER TABLE shop_jobs ADD COLUMN owner text NOT NULL;
        CREATE OR REPLACE FUNCTION shop_fetch_job_v1(p_queue text) RETURNS bigint LANGUAGE sql AS
          $$ SELECT max(id) FROM shop_jobs WHERE queue = p_queue $$;
        DROP TRIGGER shop_touch_v1 ON shop_jobs;
        ALTER TABLE shop_queues RENAME CONSTRAINT shop_queues_pkey TO shop_queues_pk;
        DROP TABLE billing.invoices;
        """);
    SchemaDiff diff = before.diff(snapshot(db));

    assertThat(diff.breakingChanges()).extracting(Change::describe).containsExactlyInAnyOrder(
        "removed table billing.invoices (table)",
        "added column public.shop_jobs.owner (text NOT NULL)",
        "removed column public.shop_jobs.payload (jsonb)",
        "changed column public.shop_jobs.qty: type shop_qty -> bigint",
        "changed column public.shop_jobs.code: not null false -> true",
        "changed column public.shop_jobs.state: default 'new'::shop_state -> (none)",
        "removed constraint public.shop_jobs.shop_jobs_payload_check (CHECK ((payload IS NOT NULL)) NOT VALID)",
        "removed constraint public.shop_queues.shop_queues_pkey (PRIMARY KEY (name))",
        "removed index public.shop_queues_pkey (CREATE UNIQUE INDEX shop_queues_pkey ON public.shop_queues USING btree (name))",
        "changed function public.shop_fetch_job_v1(p_queue text): definition differs at line 4: "
            + "AS $function$ SELECT id FROM shop_jobs WHERE queue = p_queue ORDER BY id LIMIT 1 $function$ -> "
            + "AS $function$ SELECT max(id) FROM shop_jobs WHERE queue = p_queue $function$",
        "removed trigger public.shop_jobs.shop_touch_v1 (CREATE TRIGGER shop_touch_v1 BEFORE UPDATE ON public.shop_jobs"
            + " FOR EACH ROW EXECUTE FUNCTION shop_touch_v1())");
    assertThat(diff.describe()).contains(
        "removed column public.shop_jobs.payload (jsonb) [breaks older code: code written for the older schema may still use this column]\n",
        "removed table billing.invoices (table) with 1 column, 1 constraint, 1 index [breaks older code:");
    // renaming a primary key renames its index too: old names removed, new ones added
    assertThat(diff.added()).extracting(Change::name).contains("public.shop_queues.shop_queues_pk", "public.shop_queues_pk");
    // implied changes are listed but not counted twice as breaking
    assertThat(diff.removed()).extracting(Change::name).contains("billing.invoices.id");
  }

  @Test
  void enumLabelsThatDisappearBreakOlderCode() throws SQLException {
    TestDatabase db = database(SHOP);
    SchemaSnapshot before = snapshot(db);
    execute(db, "ALTER TYPE shop_state RENAME VALUE 'done' TO 'finished';");
    SchemaDiff diff = before.diff(snapshot(db));

    assertThat(diff.breakingChanges()).extracting(Change::toString).hasSize(3).startsWith(
        "changed enum type public.shop_state: values 'new', 'running', 'done' -> 'new', 'running', 'finished'"
            + " [breaks older code: lost value 'done']",
        "changed index public.shop_jobs_queue_idx: definition differs at line 1: CREATE INDEX shop_jobs_queue_idx ON"
            + " public.shop_jobs USING btree (queue) WHERE (state <> 'done'::... -> CREATE INDEX shop_jobs_queue_idx ON"
            + " public.shop_jobs USING btree (queue) WHERE (state <> 'finishe... [breaks older code: definition changed]");
    // the view's text is deparsed differently by PostgreSQL before 16 (columns qualified with the table)
    assertThat(diff.breakingChanges().get(2).toString()).matches(
        "changed view public\\.shop_open_jobs_v1: definition differs at line 4: WHERE (shop_jobs\\.)?state <> 'done'::shop_state; ->"
            + " WHERE (shop_jobs\\.)?state <> 'finished'::shop_state; \\[breaks older code: definition changed: older code still"
            + " uses this version; create a new version \\(_v<k\\+1>\\) instead\\]");
  }

  @Test
  void readsManyTablesCompletely() throws SQLException {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < 150; i++) {
      sql.append("CREATE TABLE t").append(i).append(" (id int PRIMARY KEY, name text NOT NULL, v numeric DEFAULT 0);")
          .append("CREATE INDEX t").append(i).append("_name ON t").append(i).append(" (name);");
    }
    TestDatabase db = database(sql.toString());
    SchemaSnapshot s = snapshot(db);
    assertThat(s.objects(Kind.TABLE)).hasSize(150);
    assertThat(s.objects(Kind.COLUMN)).hasSize(450);
    assertThat(s.objects(Kind.INDEX)).hasSize(300);
    assertThat(s.find(Kind.COLUMN, "public.t149.v").orElseThrow().property("default")).isEqualTo("0");
  }
}
