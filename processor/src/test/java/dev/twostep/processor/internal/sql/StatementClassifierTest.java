package dev.twostep.processor.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.ObjectKind;
import dev.twostep.processor.internal.sql.Effect.AddColumn;
import dev.twostep.processor.internal.sql.Effect.AddConstraint;
import dev.twostep.processor.internal.sql.Effect.AddEnumValue;
import dev.twostep.processor.internal.sql.Effect.Alter;
import dev.twostep.processor.internal.sql.Effect.AlterColumn;
import dev.twostep.processor.internal.sql.Effect.ColumnChange;
import dev.twostep.processor.internal.sql.Effect.Create;
import dev.twostep.processor.internal.sql.Effect.Drop;
import dev.twostep.processor.internal.sql.Effect.DropColumn;
import dev.twostep.processor.internal.sql.Effect.DropConstraint;
import dev.twostep.processor.internal.sql.Effect.Namespace;
import dev.twostep.processor.internal.sql.Effect.ObjectRef;
import dev.twostep.processor.internal.sql.Effect.Rename;
import dev.twostep.processor.internal.sql.Effect.RenameColumn;
import dev.twostep.processor.internal.sql.Effect.RenameConstraint;
import dev.twostep.processor.internal.sql.Effect.RenameEnumValue;
import dev.twostep.processor.internal.sql.Effect.ValidateConstraint;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatementClassifierTest {

  private static ParsedStatement only(String sql) {
    List<ParsedStatement> statements = SqlScript.parse(sql).statements();
    assertThat(statements).hasSize(1);
    return statements.get(0);
  }

  private static List<Effect> effects(String sql) {
    return only(sql).effects();
  }

  private static ObjectName name(String name) {
    return ObjectName.of(name);
  }

  private static ObjectName name(String schema, String name) {
    return new ObjectName(schema, name);
  }

  private static ObjectRef ref(ObjectKind kind, ObjectName name) {
    return ObjectRef.of(kind, name);
  }

  private static ObjectRef routine(ObjectKind kind, String name, String signature) {
    return new ObjectRef(Namespace.ROUTINE, kind, ObjectName.of(name), signature, null);
  }

  static Stream<Arguments> heads() {
    ObjectName jobs = name("shop_jobs");
    return Stream.of(
        Arguments.of("CREATE TABLE shop_jobs (id bigint PRIMARY KEY)", List.of(new Create(ref(ObjectKind.TABLE, jobs), false, false))),
        Arguments.of("create unlogged table if not exists Shop.\"Jobs\" (id int)",
            List.of(new Create(ref(ObjectKind.TABLE, name("shop", "Jobs")), false, true))),
        Arguments.of("CREATE TEMP TABLE tmp AS SELECT 1", List.of(new Create(ref(ObjectKind.TABLE, name("tmp")), false, false))),
        Arguments.of("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS shop_jobs_key ON ONLY billing.shop_jobs USING btree (key)",
            List.of(new Create(new ObjectRef(Namespace.RELATION, ObjectKind.INDEX, name("billing", "shop_jobs_key"), null,
                name("billing", "shop_jobs")), false, true))),
        Arguments.of("CREATE INDEX ON shop_jobs (queue)", List.of()),
        Arguments.of("CREATE OR REPLACE VIEW shop_open_jobs_v1 AS SELECT * FROM shop_jobs WHERE done = false",
            List.of(new Create(ref(ObjectKind.VIEW, name("shop_open_jobs_v1")), true, false))),
        Arguments.of("CREATE OR REPLACE TEMP RECURSIVE VIEW v_v1 (n) AS VALUES (1)",
            List.of(new Create(ref(ObjectKind.VIEW, name("v_v1")), true, false))),
        Arguments.of("CREATE MATERIALIZED VIEW IF NOT EXISTS shop_stats_v1 AS SELECT count(*) FROM shop_jobs",
            List.of(new Create(ref(ObjectKind.MATERIALIZED_VIEW, name("shop_stats_v1")), false, true))),
        Arguments.of("CREATE OR REPLACE FUNCTION shop_fetch_job_v1(p_queue text, IN p_limit int DEFAULT 10, OUT id bigint) "
                + "RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$",
            List.of(new Create(routine(ObjectKind.FUNCTION, "shop_fetch_job_v1", "(text, integer)"), true, false))),
        Arguments.of("CREATE FUNCTION f_v1() RETURNS trigger AS 'begin return new; end' LANGUAGE plpgsql",
            List.of(new Create(routine(ObjectKind.FUNCTION, "f_v1", "()"), false, false))),
        Arguments.of("CREATE PROCEDURE shop_archive_v1(days integer = 30) LANGUAGE sql AS $$ DELETE FROM t $$",
            List.of(new Create(routine(ObjectKind.PROCEDURE, "shop_archive_v1", "(integer)"), false, false))),
        Arguments.of("CREATE OR REPLACE TRIGGER shop_sync_v1 BEFORE INSERT OR UPDATE OF a, b ON public.shop_jobs "
                + "FOR EACH ROW WHEN (NEW.a IS DISTINCT FROM OLD.a) EXECUTE FUNCTION shop_sync_v1()",
            List.of(new Create(new ObjectRef(Namespace.TRIGGER, ObjectKind.TRIGGER, name("shop_sync_v1"), null,
                name("public", "shop_jobs")), true, false))),
        Arguments.of("CREATE CONSTRAINT TRIGGER t_v1 AFTER INSERT ON shop_jobs DEFERRABLE FOR EACH ROW EXECUTE PROCEDURE f()",
            List.of(new Create(new ObjectRef(Namespace.TRIGGER, ObjectKind.TRIGGER, name("t_v1"), null, jobs), false, false))),
        Arguments.of("CREATE TYPE shop_state AS ENUM ('new', 'done')",
            List.of(new Create(ref(ObjectKind.ENUM_TYPE, name("shop_state")), false, false))),
        Arguments.of("CREATE TYPE shop_job_row_v1 AS (id bigint, queue text)",
            List.of(new Create(ref(ObjectKind.COMPOSITE_TYPE, name("shop_job_row_v1")), false, false))),
        Arguments.of("CREATE TYPE floatrange AS RANGE (subtype = float8)", List.of()),
        Arguments.of("CREATE DOMAIN shop_email AS text CHECK (VALUE ~ '@')",
            List.of(new Create(ref(ObjectKind.DOMAIN, name("shop_email")), false, false))),
        Arguments.of("CREATE SEQUENCE IF NOT EXISTS shop_seq START 10",
            List.of(new Create(ref(ObjectKind.SEQUENCE, name("shop_seq")), false, true))),
        Arguments.of("CREATE SCHEMA IF NOT EXISTS billing", List.of(new Create(ref(ObjectKind.SCHEMA, name("billing")), false, true))),
        Arguments.of("CREATE SCHEMA AUTHORIZATION joe", List.of(new Create(ref(ObjectKind.SCHEMA, name("joe")), false, false))),
        Arguments.of("CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\" WITH SCHEMA public",
            List.of(new Create(ref(ObjectKind.EXTENSION, name("uuid-ossp")), false, true))),
        Arguments.of("DROP FUNCTION IF EXISTS a_v1(int), public.b_v1(varchar(20), p text[]) CASCADE",
            List.of(new Drop(routine(ObjectKind.FUNCTION, "a_v1", "(integer)"), true, true),
                new Drop(new ObjectRef(Namespace.ROUTINE, ObjectKind.FUNCTION, name("public", "b_v1"),
                    "(character varying, text[])", null), true, true))),
        Arguments.of("DROP FUNCTION shop_fetch_job_v1", List.of(new Drop(routine(ObjectKind.FUNCTION, "shop_fetch_job_v1", null), false, false))),
        Arguments.of("DROP ROUTINE r_v1()", List.of(new Drop(new ObjectRef(Namespace.ROUTINE, null, name("r_v1"), "()", null), false, false))),
        Arguments.of("DROP PROCEDURE p_v1(integer)", List.of(new Drop(routine(ObjectKind.PROCEDURE, "p_v1", "(integer)"), false, false))),
        Arguments.of("DROP TABLE IF EXISTS a, b.c RESTRICT",
            List.of(new Drop(ref(ObjectKind.TABLE, name("a")), true, false), new Drop(ref(ObjectKind.TABLE, name("b", "c")), true, false))),
        Arguments.of("DROP INDEX CONCURRENTLY IF EXISTS shop_jobs_old_idx",
            List.of(new Drop(ref(ObjectKind.INDEX, name("shop_jobs_old_idx")), true, false))),
        Arguments.of("DROP MATERIALIZED VIEW m_v1", List.of(new Drop(ref(ObjectKind.MATERIALIZED_VIEW, name("m_v1")), false, false))),
        Arguments.of("DROP TRIGGER IF EXISTS shop_sync ON shop_jobs",
            List.of(new Drop(new ObjectRef(Namespace.TRIGGER, ObjectKind.TRIGGER, name("shop_sync"), null, jobs), true, false))),
        Arguments.of("DROP TYPE shop_row_v1 CASCADE", List.of(new Drop(new ObjectRef(Namespace.TYPE, null, name("shop_row_v1"), null, null), false, true))),
        Arguments.of("DROP SCHEMA billing CASCADE", List.of(new Drop(ref(ObjectKind.SCHEMA, name("billing")), false, true))),
        Arguments.of("ALTER TABLE ONLY shop_jobs ADD COLUMN priority int NOT NULL DEFAULT 0, ADD note text",
            List.of(new AddColumn(jobs, "priority", true, true), new AddColumn(jobs, "note", false, false))),
        Arguments.of("ALTER TABLE shop_jobs ADD COLUMN IF NOT EXISTS owner text NOT NULL",
            List.of(new AddColumn(jobs, "owner", true, false))),
        Arguments.of("ALTER TABLE shop_jobs ADD COLUMN owner text DEFAULT NULL NOT NULL",
            List.of(new AddColumn(jobs, "owner", true, false))),
        Arguments.of("ALTER TABLE shop_jobs ADD COLUMN seq bigserial NOT NULL", List.of(new AddColumn(jobs, "seq", true, true))),
        Arguments.of("ALTER TABLE shop_jobs ADD COLUMN n int GENERATED ALWAYS AS IDENTITY NOT NULL",
            List.of(new AddColumn(jobs, "n", true, true))),
        Arguments.of("ALTER TABLE shop_jobs ADD COLUMN flag boolean CHECK (flag IS NOT NULL)",
            List.of(new AddColumn(jobs, "flag", false, false))),
        Arguments.of("ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_queue_fk FOREIGN KEY (queue) REFERENCES q (name) NOT VALID",
            List.of(new AddConstraint(jobs, "shop_jobs_queue_fk", true))),
        Arguments.of("ALTER TABLE shop_jobs ADD CHECK (priority >= 0)", List.of(new AddConstraint(jobs, null, false))),
        Arguments.of("ALTER TABLE shop_jobs VALIDATE CONSTRAINT shop_jobs_queue_fk",
            List.of(new ValidateConstraint(jobs, "shop_jobs_queue_fk"))),
        Arguments.of("ALTER TABLE shop_jobs DROP CONSTRAINT IF EXISTS c1, DROP COLUMN IF EXISTS old CASCADE, DROP legacy",
            List.of(new DropConstraint(jobs, "c1"), new DropColumn(jobs, "old"), new DropColumn(jobs, "legacy"))),
        Arguments.of("ALTER TABLE shop_jobs ALTER COLUMN a TYPE bigint USING a::bigint, ALTER b SET DATA TYPE text, "
                + "ALTER c SET NOT NULL, ALTER d DROP NOT NULL, ALTER e SET DEFAULT 1, ALTER f DROP DEFAULT, ALTER g SET STATISTICS 100",
            List.of(new AlterColumn(jobs, "a", ColumnChange.TYPE), new AlterColumn(jobs, "b", ColumnChange.TYPE),
                new AlterColumn(jobs, "c", ColumnChange.SET_NOT_NULL), new AlterColumn(jobs, "d", ColumnChange.DROP_NOT_NULL),
                new AlterColumn(jobs, "e", ColumnChange.SET_DEFAULT), new AlterColumn(jobs, "f", ColumnChange.DROP_DEFAULT))),
        Arguments.of("ALTER TABLE shop_jobs RENAME COLUMN \"Old\" TO new", List.of(new RenameColumn(jobs, "Old", "new"))),
        Arguments.of("ALTER TABLE shop_jobs RENAME old TO new", List.of(new RenameColumn(jobs, "old", "new"))),
        Arguments.of("ALTER TABLE shop_jobs RENAME CONSTRAINT a TO b", List.of(new RenameConstraint(jobs, "a", "b"))),
        Arguments.of("ALTER TABLE IF EXISTS billing.jobs RENAME TO tasks",
            List.of(new Rename(ref(ObjectKind.TABLE, name("billing", "jobs")), name("billing", "tasks"), true))),
        Arguments.of("ALTER TABLE shop_jobs SET SCHEMA archive",
            List.of(new Rename(ref(ObjectKind.TABLE, jobs), name("archive", "shop_jobs"), false))),
        Arguments.of("ALTER INDEX shop_jobs_new_idx RENAME TO shop_jobs_idx",
            List.of(new Rename(ref(ObjectKind.INDEX, name("shop_jobs_new_idx")), name("shop_jobs_idx"), false))),
        Arguments.of("ALTER VIEW v_v1 RENAME COLUMN a TO b", List.of(new Alter(ref(ObjectKind.VIEW, name("v_v1")), Alter.Change.RENAME_COLUMN, "a"))),
        Arguments.of("ALTER FUNCTION f_v1(int) RENAME TO g_v1",
            List.of(new Rename(routine(ObjectKind.FUNCTION, "f_v1", "(integer)"), name("g_v1"), false))),
        Arguments.of("ALTER FUNCTION f_v1(int) SET search_path = public", List.of()),
        Arguments.of("ALTER TRIGGER t_v1 ON shop_jobs RENAME TO t_v2",
            List.of(new Rename(new ObjectRef(Namespace.TRIGGER, ObjectKind.TRIGGER, name("t_v1"), null, jobs), name("t_v2"), false))),
        Arguments.of("ALTER TYPE shop_state ADD VALUE IF NOT EXISTS 'failed' BEFORE 'done'",
            List.of(new AddEnumValue(name("shop_state"), "failed"))),
        Arguments.of("ALTER TYPE shop_state RENAME VALUE 'done' TO 'finished'",
            List.of(new RenameEnumValue(name("shop_state"), "done", "finished"))),
        Arguments.of("ALTER TYPE shop_row_v1 ADD ATTRIBUTE x int, DROP ATTRIBUTE IF EXISTS y",
            List.of(new Alter(new ObjectRef(Namespace.TYPE, null, name("shop_row_v1"), null, null), Alter.Change.ADD_ATTRIBUTE, "x"),
                new Alter(new ObjectRef(Namespace.TYPE, null, name("shop_row_v1"), null, null), Alter.Change.DROP_ATTRIBUTE, "y"))),
        Arguments.of("ALTER TYPE shop_state RENAME TO shop_status",
            List.of(new Rename(new ObjectRef(Namespace.TYPE, null, name("shop_state"), null, null), name("shop_status"), false))),
        Arguments.of("ALTER SCHEMA billing RENAME TO invoicing",
            List.of(new Rename(ref(ObjectKind.SCHEMA, name("billing")), name("invoicing"), false))),
        Arguments.of("INSERT INTO shop_jobs (queue) VALUES ('CREATE TABLE x')", List.of()),
        Arguments.of("SELECT id, queue INTO shop_jobs_copy FROM shop_jobs",
            List.of(new Create(ref(ObjectKind.TABLE, name("shop_jobs_copy")), false, false))),
        Arguments.of("SELECT * INTO UNLOGGED TABLE archive.jobs FROM shop_jobs WHERE done",
            List.of(new Create(ref(ObjectKind.TABLE, name("archive", "jobs")), false, false))),
        Arguments.of("SELECT * INTO TEMP scratch FROM shop_jobs", List.of()),
        Arguments.of("SELECT (SELECT 1 INTO x) FROM shop_jobs", List.of()),
        Arguments.of("SELECT count(*) FROM shop_jobs", List.of()),
        Arguments.of("CREATE SCHEMA AUTHORIZATION CURRENT_ROLE", List.of()),
        Arguments.of("CREATE SCHEMA IF NOT EXISTS AUTHORIZATION session_user", List.of()),
        Arguments.of("CREATE SCHEMA AUTHORIZATION shop_owner",
            List.of(new Create(ref(ObjectKind.SCHEMA, name("shop_owner")), false, false))),
        Arguments.of("COMMENT ON TABLE shop_jobs IS 'DROP TABLE shop_jobs'", List.of()));
  }

  @ParameterizedTest
  @MethodSource("heads")
  void recognisesEffects(String sql, List<Effect> expected) {
    assertThat(effects(sql)).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "BEGIN", "BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE", "START TRANSACTION", "COMMIT", "COMMIT AND CHAIN",
      "END", "ROLLBACK", "ROLLBACK TO SAVEPOINT s", "ABORT", "SAVEPOINT s", "RELEASE SAVEPOINT s", "RELEASE s",
      "PREPARE TRANSACTION 'x'", "COMMIT PREPARED 'x'", "ROLLBACK PREPARED 'x'", "SET TRANSACTION READ ONLY",
      "set session characteristics as transaction isolation level serializable"})
  void transactionControl(String sql) {
    assertThat(only(sql).transactionControl()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SET LOCAL lock_timeout = '1s'", "SET search_path = public", "PREPARE q AS SELECT 1",
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN COMMIT; RETURN 1; END $$",
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END",
      "DO $$ BEGIN ROLLBACK; END $$", "SELECT 'BEGIN'", "UPDATE t SET \"begin\" = 1"})
  void notTransactionControl(String sql) {
    assertThat(only(sql).transactionControl()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "CREATE INDEX CONCURRENTLY i ON t (a)", "CREATE UNIQUE INDEX CONCURRENTLY ON t (a)", "DROP INDEX CONCURRENTLY i",
      "REINDEX INDEX CONCURRENTLY i", "REINDEX (VERBOSE, CONCURRENTLY) TABLE t", "REINDEX DATABASE app", "REINDEX SCHEMA s",
      "REINDEX SYSTEM", "VACUUM", "VACUUM (ANALYZE) t", "CREATE DATABASE x", "DROP DATABASE x", "ALTER SYSTEM SET work_mem = '1MB'",
      "CREATE TABLESPACE s LOCATION '/x'", "DROP TABLESPACE s", "ALTER DATABASE x SET TABLESPACE s", "DISCARD ALL", "CLUSTER",
      "CLUSTER VERBOSE", "ALTER TABLE p DETACH PARTITION c CONCURRENTLY"})
  void nonTransactional(String sql) {
    assertThat(only(sql).nonTransactional()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "CREATE INDEX i ON t (a)", "DROP INDEX i", "REINDEX TABLE t", "ALTER TYPE s ADD VALUE 'x'", "ANALYZE t",
      "REFRESH MATERIALIZED VIEW CONCURRENTLY m", "CLUSTER t USING i", "ALTER TABLE p DETACH PARTITION c",
      "ALTER DATABASE x SET work_mem = '1MB'", "DISCARD PLANS"})
  void transactional(String sql) {
    assertThat(only(sql).nonTransactional()).isFalse();
  }

  @Test
  void doBlockIsOpaque() {
    ParsedStatement statement = only("DO $$ BEGIN EXECUTE 'DROP TABLE x'; END $$");
    assertThat(statement.doBlock()).isTrue();
    assertThat(statement.opaque()).isTrue();
    assertThat(statement.effects()).isEmpty();
  }

  @Test
  void unknownStatementsAreOpaqueWithoutEffects() {
    ParsedStatement statement = only("FROBNICATE TABLE x");
    assertThat(statement.opaque()).isTrue();
    assertThat(statement.doBlock()).isFalse();
    assertThat(statement.effects()).isEmpty();
    assertThat(only("CREATE POLICY p ON t USING (true)").opaque()).isTrue();
    assertThat(only("INSERT INTO t VALUES (1)").opaque()).isFalse();
  }

  @Test
  void commandNamesTheHead() {
    assertThat(only("create index concurrently i on t (a)").command()).isEqualTo("CREATE INDEX CONCURRENTLY");
    assertThat(only("start transaction").command()).isEqualTo("START TRANSACTION");
    assertThat(only("commit").command()).isEqualTo("COMMIT");
    assertThat(only("vacuum full t").command()).isEqualTo("VACUUM");
    assertThat(only("reindex table concurrently t").command()).isEqualTo("REINDEX CONCURRENTLY");
  }

  static Stream<Arguments> concurrentIndexes() {
    return Stream.of(
        Arguments.of("CREATE INDEX CONCURRENTLY jobs_idx ON jobs (id)",
            new ConcurrentIndexBuild(name("jobs"), "jobs_idx", false, false, "(id)")),
        Arguments.of("CREATE INDEX CONCURRENTLY IF NOT EXISTS \"Odd Name\" ON app.\"My Table\" (x)",
            new ConcurrentIndexBuild(name("app", "My Table"), "Odd Name", false, true, "(x)")),
        Arguments.of("create unique index concurrently if not exists \"Jobs Idx\" on only s.jobs (id)",
            new ConcurrentIndexBuild(name("s", "jobs"), "Jobs Idx", true, true, "(id)")),
        Arguments.of("  CREATE INDEX CONCURRENTLY ON \"my schema\" . \"t\" USING gin (x) WHERE y > 0 -- partial",
            new ConcurrentIndexBuild(name("my schema", "t"), null, false, false, "USING gin (x) WHERE y > 0 -- partial")),
        Arguments.of("CREATE /* one */ UNIQUE INDEX /* two */ CONCURRENTLY Jobs_Key ON Jobs\n  -- three\n  (lower(name))",
            new ConcurrentIndexBuild(name("jobs"), "jobs_key", true, false, "(lower(name))")),
        Arguments.of("CREATE INDEX CONCURRENTLY \"a \"\"q\"\" b\" ON \"Data\" (x)",
            new ConcurrentIndexBuild(name("Data"), "a \"q\" b", false, false, "(x)")));
  }

  @ParameterizedTest
  @MethodSource("concurrentIndexes")
  void aConcurrentIndexBuildIsReadForTheRuntime(String sql, ConcurrentIndexBuild expected) {
    assertThat(only(sql).concurrentIndex()).isEqualTo(expected);
  }

  @Test
  void aConcurrentIndexBuildsNamesAreCutLikePostgresCutsThem() {
    String index = "i".repeat(62) + "\u00e9" + "x";
    ConcurrentIndexBuild build = only("CREATE INDEX CONCURRENTLY \"" + index + "\" ON " + "t".repeat(70) + " (x)")
        .concurrentIndex();
    // 62 bytes and a two-byte character would be 64: the character goes whole
    assertThat(build.index()).isEqualTo("i".repeat(62));
    assertThat(build.table()).isEqualTo(name("t".repeat(63)));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "CREATE INDEX jobs_idx ON jobs (id)", "DROP INDEX CONCURRENTLY jobs_idx", "REINDEX INDEX CONCURRENTLY jobs_idx",
    "CREATE INDEX CONCURRENTLY jobs_idx", "SELECT 'CREATE INDEX CONCURRENTLY i ON t (x)'"})
  void otherStatementsBuildNoConcurrentIndex(String sql) {
    assertThat(only(sql).concurrentIndex()).isNull();
  }
}
