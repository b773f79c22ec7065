package dev.twostep.processor.internal.check;

import dev.twostep.Rule;
import static dev.twostep.processor.internal.check.TestSets.checkedFrom;
import static dev.twostep.processor.internal.check.TestSets.post;
import static dev.twostep.processor.internal.check.TestSets.pre;
import static dev.twostep.processor.internal.check.TestSets.set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.ObjectKind;
import dev.twostep.Phase;
import dev.twostep.processor.internal.model.Diagnostic;
import dev.twostep.processor.internal.model.Diagnostic.Anchor;
import dev.twostep.processor.internal.model.Diagnostic.Severity;
import dev.twostep.processor.internal.model.MigrationModel;
import dev.twostep.processor.internal.model.MigrationSetModel;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each SQL rule fires on the migration that breaks it, and only there. */
class SqlRulesTest {
  private static final String V1 = "CREATE TABLE shop_jobs (id bigserial PRIMARY KEY, queue text NOT NULL, note text);\n"
      + "CREATE FUNCTION shop_fetch_job_v1(p_queue text) RETURNS bigint LANGUAGE sql AS $$ SELECT 1::bigint $$;";

  private static List<Diagnostic> check(MigrationModel... migrations) {
    return SqlRules.check(set(migrations));
  }

  /** The diagnostics of every rule but the lock-safety rules, which LockSafetyRulesTest covers. */
  private static List<Diagnostic> checkWithoutLockSafety(MigrationModel... migrations) {
    return check(migrations).stream().filter(d -> d.rule().family() != Rule.Family.LOCK_SAFETY).toList();
  }

  private static List<String> rules(List<Diagnostic> diagnostics) {
    return diagnostics.stream().map(d -> d.rule().id()).toList();
  }

  private static Diagnostic single(List<Diagnostic> diagnostics, String rule, MigrationModel on) {
    assertThat(diagnostics).as("diagnostics").hasSize(1);
    Diagnostic d = diagnostics.get(0);
    assertThat(d.rule().id()).isEqualTo(rule);
    assertThat(d.className()).isEqualTo(on.className());
    assertThat(d.anchor()).isEqualTo(Anchor.SQL);
    return d;
  }

  @Nested
  class SqlSyntax {
    @Test
    void unterminatedDollarQuote() {
      MigrationModel m = pre("1.0.0", 1, "CREATE TABLE t (id int);\nCREATE FUNCTION f_v1() RETURNS int AS $body$\nSELECT 1;\n$Body$ LANGUAGE sql;");
      Diagnostic d = single(check(m), "sql-syntax", m);
      assertThat(d.severity()).isEqualTo(Severity.ERROR);
      assertThat(d.message()).isEqualTo("pre-migration 1.0.0 step 1 (Pre1_0_0Step1): the dollar-quoted string $body$ opened "
          + "on line 2 is never closed with $body$, so PostgreSQL would reject the SQL. Close it with $body$ "
          + "(the closing tag must repeat the opening one exactly, case included).");
    }

    @Test
    void onlyCommentsIsAnEmptyStatementList() {
      MigrationModel m = post("1.0.0", 1, "-- TODO\n/* nothing yet */ ;");
      assertThat(single(check(m), "sql-syntax", m).message()).contains("has SQL without a single statement");
    }

    @Test
    void unterminatedCommentIsReportedOnceNotAlsoAsEmpty() {
      MigrationModel m = pre("1.0.0", 1, "/* never closed");
      assertThat(single(check(m), "sql-syntax", m).message()).contains("the comment /* opened on line 1 is never closed with */");
    }

    @Test
    void legacyMigrationsAreStillCheckedForSyntax() {
      MigrationModel m = pre("0.9", 1, "SELECT 'open");
      assertThat(rules(SqlRules.check(checkedFrom("1.0", m)))).containsExactly("sql-syntax");
    }
  }

  @Nested
  class TransactionControl {
    @Test
    void commitInTheMiddle() {
      MigrationModel m = pre("1.0.0", 1, "CREATE TABLE t (id int);\nCOMMIT;\nCREATE TABLE u (id int);");
      assertThat(single(check(m), "transaction-control", m).message()).isEqualTo(
          "pre-migration 1.0.0 step 1 (Pre1_0_0Step1) runs COMMIT in statement 2, line 2 of the SQL, but the runner runs "
              + "every migration in a transaction of its own and commits it together with its history row. Remove the "
              + "COMMIT; to commit in between, split the work into separate migrations.");
    }

    @Test
    void everyTransactionStatementIsReported() {
      MigrationModel m = pre("1.0.0", 1, "BEGIN;\nCREATE TABLE t (id int);\nSAVEPOINT a;\nEND;");
      assertThat(rules(check(m))).containsExactly("transaction-control", "transaction-control", "transaction-control");
    }

    @Test
    void beginInsideFunctionBodiesIsNot() {
      MigrationModel m = pre("1.0.0", 1, "CREATE FUNCTION f_v1() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  COMMIT;\nEND $$;\n"
          + "CREATE PROCEDURE p_v1() LANGUAGE sql BEGIN ATOMIC\n  INSERT INTO t VALUES (1);\n  UPDATE t SET a = 2;\nEND;\n"
          + "SET LOCAL lock_timeout = '1s';");
      assertThat(check(m)).isEmpty();
    }
  }

  @Nested
  class NonTransactionalAlone {
    @Test
    void createIndexConcurrentlyWithOtherStatements() {
      MigrationModel table = pre("1.0.0", 1, "CREATE TABLE t (a int);");
      MigrationModel m = pre("1.0.0", 2, "CREATE INDEX CONCURRENTLY t_a_idx ON t (a);\nANALYZE t;");
      assertThat(single(check(table, m), "non-transactional-alone", m).message()).isEqualTo(
          "pre-migration 1.0.0 step 2 (Pre1_0_0Step2) runs CREATE INDEX CONCURRENTLY in statement 1, line 1 of the SQL, "
              + "which PostgreSQL cannot run inside a transaction block, together with 1 other statement. Move it into "
              + "a migration of its own: the runner runs a migration whose only statement is CREATE INDEX CONCURRENTLY "
              + "outside a transaction.");
    }

    @Test
    void aloneIsFineAndSoIsAddValue() {
      MigrationModel table = pre("1.0.0", 1, "CREATE TABLE t (a int); CREATE TYPE s AS ENUM ('a');");
      MigrationModel index = pre("1.0.0", 2, "-- build it without blocking writes\nCREATE INDEX CONCURRENTLY t_a_idx ON t (a);");
      MigrationModel vacuum = post("1.0.0", 1, "VACUUM (ANALYZE) t");
      MigrationModel enumValue = post("1.0.0", 2, "ALTER TYPE s ADD VALUE 'b'; ALTER TYPE s ADD VALUE 'c';");
      assertThat(check(table, index, vacuum, enumValue)).isEmpty();
    }
  }

  @Nested
  class OpaqueStatement {
    @Test
    void doBlockIsAWarning() {
      MigrationModel m = pre("1.0.0", 1, "CREATE TABLE t (a int);\nDO $$\nBEGIN\n  EXECUTE 'DROP TABLE t';\nEND\n$$;");
      Diagnostic d = single(check(m), "opaque-statement", m);
      assertThat(d.severity()).isEqualTo(Severity.WARNING);
      assertThat(d.message()).contains("has a DO block in statement 2, line 2 of the SQL")
          .contains("@SuppressWarnings(\"twostep:opaque-statement\")");
    }

    @Test
    void notInLegacyHistory() {
      assertThat(SqlRules.check(checkedFrom("1.0", pre("0.9", 1, "DO $$ BEGIN END $$")))).isEmpty();
    }
  }

  @Nested
  class VersionedName {
    @Test
    void functionWithoutVersion() {
      MigrationModel m = pre("1.0.0", 1, "CREATE TABLE t (a int);\n\nCREATE FUNCTION shop_count(p text) RETURNS int LANGUAGE sql AS 'SELECT 1';");
      assertThat(single(check(m), "versioned-name", m).message()).isEqualTo(
          "pre-migration 1.0.0 step 1 (Pre1_0_0Step1) creates function shop_count(text) in statement 2, line 3 of the SQL "
              + "without a version suffix; functions are versioned in their name, so that code of the previous release keeps "
              + "calling the version it knows. Name it shop_count_v1 (or, for a bridge object, drop it again in a "
              + "@PostMigration of 1.0.0).");
    }

    @Test
    void viewTypeTriggerAndMaterializedView() {
      MigrationModel m = pre("1.0.0", 1, "CREATE TABLE t (a int);\nCREATE VIEW v AS SELECT 1;\nCREATE TYPE r AS (a int);\n"
          + "CREATE MATERIALIZED VIEW mv AS SELECT 1;\nCREATE FUNCTION f_v1() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;\n"
          + "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f_v1();");
      assertThat(check(m)).extracting(Diagnostic::message)
          .anySatisfy(x -> assertThat(x).contains("creates view v in statement 2"))
          .anySatisfy(x -> assertThat(x).contains("creates composite type r in statement 3"))
          .anySatisfy(x -> assertThat(x).contains("creates materialized view mv in statement 4"))
          .anySatisfy(x -> assertThat(x).contains("creates trigger trg on table t in statement 6"))
          .hasSize(4);
    }

    @Test
    void bridgeObjectsCreatedInPreAndDroppedInPostAreExempt() {
      MigrationModel v1 = pre("1.0.0", 1, "CREATE TABLE t (a int, b int);");
      MigrationModel bridge = pre("2.0.0", 1, "CREATE FUNCTION shop_sync_b() RETURNS trigger LANGUAGE plpgsql AS $$\n"
          + "BEGIN NEW.b := NEW.a; RETURN NEW; END $$;\n"
          + "CREATE TRIGGER shop_sync_b BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION shop_sync_b();");
      MigrationModel drop = post("2.0.0", 1, "DROP TRIGGER shop_sync_b ON t; DROP FUNCTION shop_sync_b();");
      assertThat(check(v1, bridge, drop)).isEmpty();
    }

    @Test
    void aBridgeNotDroppedInItsReleaseIsNotABridge() {
      MigrationModel v1 = pre("1.0.0", 1, "CREATE TABLE t (a int, b int);");
      MigrationModel bridge = pre("2.0.0", 1, "CREATE FUNCTION shop_sync_b() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;");
      MigrationModel lateDrop = post("3.0.0", 1, "DROP FUNCTION shop_sync_b();");
      single(check(v1, bridge, lateDrop), "versioned-name", bridge);
    }

    @Test
    void unversionedKindsAndConfiguredKinds() {
      MigrationModel m = pre("1.0.0", 1, "CREATE TABLE t (a int); CREATE TYPE s AS ENUM ('a'); CREATE SEQUENCE q; CREATE INDEX i ON t (a);"
          + " CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';");
      MigrationSetModel tablesVersioned = new MigrationSetModel("Shop", "com.acme", null, EnumSet.of(ObjectKind.TABLE), null, List.of(m));
      assertThat(SqlRules.check(tablesVersioned)).extracting(Diagnostic::message)
          .singleElement().asString().contains("creates table t in statement 1");
    }

    @Test
    void legacyObjectsAreExempt() {
      MigrationModel legacy = pre("0.9", 1, "CREATE FUNCTION shop_stats() RETURNS int LANGUAGE sql AS 'SELECT 1';");
      MigrationModel v1 = pre("1.0", 1, "CREATE FUNCTION shop_count_v1() RETURNS int LANGUAGE sql AS 'SELECT shop_stats()';");
      assertThat(SqlRules.check(checkedFrom("1.0", legacy, v1))).isEmpty();
    }
  }

  @Nested
  class VersionSequence {
    @Test
    void skippedVersion() {
      MigrationModel v1 = pre("1.0.0", 1, V1);
      MigrationModel v3 = pre("2.0.0", 1, "CREATE FUNCTION shop_fetch_job_v3(p_queue text) RETURNS bigint LANGUAGE sql AS $$ SELECT 2::bigint $$;");
      assertThat(single(check(v1, v3), "version-sequence", v3).message()).isEqualTo(
          "pre-migration 2.0.0 step 1 (Pre2_0_0Step1) creates function shop_fetch_job_v3(text) in statement 1, line 1 of "
              + "the SQL, but the highest version of shop_fetch_job so far is v1 (from release 1.0.0). Name it "
              + "shop_fetch_job_v2: versions count up by one, so readers can tell which is newest.");
    }

    @Test
    void firstVersionMustBeOne() {
      MigrationModel m = pre("1.0.0", 1, "CREATE VIEW shop_open_v2 AS SELECT 1;");
      assertThat(single(check(m), "version-sequence", m).message()).contains("but shop_open has no earlier version. Name it shop_open_v1");
    }

    @Test
    void versionsAreCountedEvenAfterTheOldOneWasDropped() {
      MigrationModel v1 = pre("1.0.0", 1, "CREATE VIEW shop_open_v1 AS SELECT 1;");
      MigrationModel v2 = pre("2.0.0", 1, "CREATE VIEW shop_open_v2 AS SELECT 2;");
      MigrationModel dropV1 = post("2.0.0", 1, "DROP VIEW shop_open_v1;");
      MigrationModel v3 = pre("3.0.0", 1, "CREATE VIEW shop_open_v3 AS SELECT 3;");
      MigrationModel dropV2 = post("3.0.0", 1, "DROP VIEW shop_open_v2;");
      MigrationModel backToV2 = pre("4.0.0", 1, "CREATE VIEW shop_open_v4 AS SELECT 4; CREATE VIEW shop_open_v6 AS SELECT 6;");
      assertThat(check(v1, v2, dropV1, v3, dropV2, backToV2)).extracting(Diagnostic::message)
          .singleElement().asString().contains("creates view shop_open_v6").contains("so far is v4");
    }

    @Test
    void overloadsAndReplacementsInOneReleaseAreNotNewVersions() {
      MigrationModel v1 = pre("1.0.0", 1, "CREATE FUNCTION f_v1(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\n"
          + "CREATE FUNCTION f_v1(a text) RETURNS int LANGUAGE sql AS 'SELECT 1';");
      MigrationModel fix = post("1.0.0", 1, "CREATE OR REPLACE FUNCTION f_v1(a integer) RETURNS int LANGUAGE sql AS 'SELECT a + 0';");
      assertThat(check(v1, fix)).isEmpty();
    }

    @Test
    void versionsOfDifferentSchemasAreDifferentObjects() {
      MigrationModel m = pre("1.0.0", 1, "CREATE SCHEMA billing;\nCREATE VIEW billing.totals_v1 AS SELECT 1;\nCREATE VIEW public.totals_v1 AS SELECT 1;"
          + "\nCREATE VIEW \"Totals_v1\" AS SELECT 1;");
      assertThat(check(m)).isEmpty();
    }
  }

  @Nested
  class ImmutableVersion {
    @Test
    void createOrReplaceOfAReleasedVersion() {
      MigrationModel v1 = pre("1.0.0", 1, V1);
      MigrationModel replace = post("2.0.0", 1, "\nCREATE OR REPLACE FUNCTION shop_fetch_job_v1(queue text) RETURNS bigint LANGUAGE sql AS $$ SELECT 3::bigint $$;");
      assertThat(single(check(v1, replace), "immutable-version", replace).message()).isEqualTo(
          "post-migration 2.0.0 step 1 (Post2_0_0Step1) replaces function shop_fetch_job_v1(text) in statement 1, line 2 "
              + "of the SQL, but release 1.0.0 created that version, and a released version is immutable: code of 1.0.0 and "
              + "later may rely on it as it is. Create shop_fetch_job_v2 instead, switch the code to it, and drop the old "
              + "version in a @PostMigration once no running code uses it.");
    }

    @Test
    void replacingInPreIsReportedOnceAsImmutableVersion() {
      MigrationModel v1 = pre("1.0.0", 1, V1);
      MigrationModel replace = pre("2.0.0", 1, "CREATE OR REPLACE FUNCTION shop_fetch_job_v1(text) RETURNS bigint LANGUAGE sql AS $$ SELECT 3::bigint $$;");
      single(check(v1, replace), "immutable-version", replace);
    }

    @Test
    void dropAndCreateAgain() {
      MigrationModel v1 = pre("1.0.0", 1, "CREATE VIEW shop_open_v1 AS SELECT 1;");
      MigrationModel again = post("2.0.0", 1, "DROP VIEW shop_open_v1;\nCREATE VIEW shop_open_v1 AS SELECT 2;");
      assertThat(single(check(v1, again), "immutable-version", again).message())
          .contains("creates view shop_open_v1 again in statement 2, line 2 of the SQL, but release 1.0.0 created that version")
          .contains("Create shop_open_v2 instead");
    }

    @Test
    void renameAndAttributeChanges() {
      MigrationModel v1 = pre("1.0.0", 1, "CREATE TYPE shop_row_v1 AS (id bigint);\nCREATE TABLE t (a int);\n"
          + "CREATE FUNCTION f_v1() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\n"
          + "CREATE TRIGGER t_audit_v1 AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f_v1();");
      MigrationModel change = post("2.0.0", 1, "ALTER TYPE shop_row_v1 ADD ATTRIBUTE note text;\n"
          + "ALTER TRIGGER t_audit_v1 ON t RENAME TO t_audit_v2;");
      List<Diagnostic> d = check(v1, change);
      assertThat(rules(d)).containsExactly("immutable-version", "immutable-version");
      assertThat(d.get(0).message()).contains("adds attribute note of composite type shop_row_v1 in statement 1");
      assertThat(d.get(1).message()).contains("renames trigger t_audit_v1 on table t to t_audit_v2 in statement 2");
    }

    @Test
    void renamingAReleasedVersionInPreAlsoBreaksThePreviousReleasesCode() {
      MigrationModel v1 = pre("1.0.0", 1, "CREATE FUNCTION shop_fetch_job_v1(p_queue text) RETURNS bigint LANGUAGE sql "
          + "AS 'SELECT 1::bigint';");
      MigrationModel rename = pre("2.0.0", 1, "ALTER FUNCTION shop_fetch_job_v1(text) RENAME TO shop_fetch_job_v2;");
      List<Diagnostic> d = checkWithoutLockSafety(v1, rename);
      assertThat(rules(d)).containsExactlyInAnyOrder("immutable-version", "pre-contract");
      assertThat(d).filteredOn(x -> x.rule().id().equals("pre-contract")).singleElement().satisfies(x -> assertThat(x.message())
          .contains("renames function shop_fetch_job_v1(text) to shop_fetch_job_v2 in statement 1", "which release 1.0.0 created"));
    }

    @Test
    void replacingWithinTheCreatingReleaseIsFine() {
      MigrationModel v1 = pre("1.0.0", 1, V1);
      MigrationModel fix = post("1.0.0", 1, "CREATE OR REPLACE FUNCTION shop_fetch_job_v1(text) RETURNS bigint LANGUAGE sql AS $$ SELECT 4::bigint $$;");
      assertThat(check(v1, fix)).isEmpty();
    }

    @Test
    void legacyObjectsMayBeReplacedAfterTheDeploy() {
      MigrationModel legacy = pre("0.9", 1, "CREATE VIEW shop_report AS SELECT 1;");
      MigrationModel replace = post("1.0", 1, "CREATE OR REPLACE VIEW shop_report AS SELECT 1, 2;");
      assertThat(SqlRules.check(checkedFrom("1.0", legacy, replace))).isEmpty();
    }
  }

  @Nested
  class PreContract {
    private final MigrationModel v1 = pre("1.0.0", 1, V1);

    @Test
    void dropOfAFunctionAnEarlierReleaseCreated() {
      MigrationModel v2 = pre("2.0.0", 1, "CREATE FUNCTION shop_fetch_job_v2(p_queue text) RETURNS bigint LANGUAGE sql AS $$ SELECT 2::bigint $$;\n"
          + "DROP FUNCTION shop_fetch_job_v1(text);");
      assertThat(single(check(v1, v2), "pre-contract", v2).message()).isEqualTo(
          "pre-migration 2.0.0 step 1 (Pre2_0_0Step1) drops function shop_fetch_job_v1(text) in statement 2, line 2 of the SQL, "
              + "which release 1.0.0 created and code of release 1.0.0 may still use while 2.0.0 deploys. Move the DROP to a "
              + "@PostMigration of 2.0.0.");
    }

    @Test
    void theSameDropInPostIsFine() {
      MigrationModel v2 = pre("2.0.0", 1, "CREATE FUNCTION shop_fetch_job_v2(p_queue text) RETURNS bigint LANGUAGE sql AS $$ SELECT 2::bigint $$;");
      MigrationModel drop = post("2.0.0", 1, "DROP FUNCTION shop_fetch_job_v1;");
      assertThat(check(v1, v2, drop)).isEmpty();
    }

    @Test
    void columnChanges() {
      MigrationModel m = pre("2.0.0", 1, "ALTER TABLE shop_jobs DROP COLUMN note;\n"
          + "ALTER TABLE shop_jobs RENAME COLUMN queue TO queue_name;\n"
          + "ALTER TABLE shop_jobs ALTER COLUMN id TYPE numeric;\n"
          + "ALTER TABLE shop_jobs ALTER COLUMN note SET NOT NULL;\n"
          + "ALTER TABLE shop_jobs ADD COLUMN owner text NOT NULL;\n"
          + "ALTER TABLE shop_jobs ALTER COLUMN id DROP DEFAULT;");
      List<Diagnostic> d = checkWithoutLockSafety(v1, m);
      assertThat(rules(d)).containsOnly("pre-contract").hasSize(6);
      assertThat(d).extracting(Diagnostic::message).satisfiesExactly(
          x -> assertThat(x).contains("drops column note of table shop_jobs in statement 1"),
          x -> assertThat(x).contains("renames column queue of table shop_jobs to queue_name in statement 2"),
          x -> assertThat(x).contains("changes the type of column id of table shop_jobs in statement 3"),
          x -> assertThat(x).contains("sets NOT NULL on column note of table shop_jobs in statement 4"),
          x -> assertThat(x).contains("adds column owner to table shop_jobs as NOT NULL without a default in statement 5"),
          x -> assertThat(x).contains("drops the default of column id of table shop_jobs in statement 6"));
    }

    @Test
    void notNullOnAColumnThisReleaseAddedToAnOlderTableStillBreaksOldInserts() {
      MigrationModel add = pre("2.0.0", 1, "ALTER TABLE shop_jobs ADD COLUMN priority int;");
      MigrationModel tighten = pre("2.0.0", 2, "ALTER TABLE shop_jobs ALTER COLUMN priority SET NOT NULL;");
      assertThat(single(checkWithoutLockSafety(v1, add, tighten), "pre-contract", tighten).message())
          .contains("sets NOT NULL on column priority of table shop_jobs in statement 1");
      MigrationModel withDefault = pre("2.0.0", 1, "ALTER TABLE shop_jobs ADD COLUMN priority int NOT NULL DEFAULT 0;");
      MigrationModel dropDefault = pre("2.0.0", 2, "ALTER TABLE shop_jobs ALTER COLUMN priority DROP DEFAULT;");
      assertThat(single(checkWithoutLockSafety(v1, withDefault, dropDefault), "pre-contract", dropDefault).message())
          .contains("drops the default of column priority of table shop_jobs in statement 1");
      MigrationModel inPost = post("2.0.0", 1, "ALTER TABLE shop_jobs ALTER COLUMN priority SET NOT NULL;");
      assertThat(checkWithoutLockSafety(v1, add, inPost)).isEmpty();
    }

    @Test
    void aTemporaryIndexOfThisReleaseMayBeDroppedButAnOlderOneMayNot() {
      MigrationModel index = pre("1.0.0", 2, "CREATE INDEX shop_jobs_old ON shop_jobs (queue);");
      MigrationModel tmp = pre("2.0.0", 1, "CREATE INDEX CONCURRENTLY shop_jobs_tmp ON shop_jobs (note);");
      MigrationModel dropTmp = pre("2.0.0", 2, "DROP INDEX CONCURRENTLY shop_jobs_tmp;");
      assertThat(check(v1, index, tmp, dropTmp)).isEmpty();
      MigrationModel dropOld = pre("2.0.0", 1, "DROP INDEX IF EXISTS shop_jobs_old;");
      assertThat(single(check(v1, index, dropOld), "pre-contract", dropOld).message()).contains("drops index shop_jobs_old");
    }

    @Test
    void tableDropRenameAndEnumValueRename() {
      MigrationModel types = pre("1.0.0", 2, "CREATE TYPE shop_state AS ENUM ('new', 'done');");
      MigrationModel m = pre("2.0.0", 1, "ALTER TYPE shop_state RENAME VALUE 'done' TO 'finished';\n"
          + "ALTER TABLE shop_jobs RENAME TO shop_tasks;\nDROP TABLE shop_tasks;");
      List<Diagnostic> d = check(v1, types, m);
      assertThat(d).extracting(Diagnostic::message).satisfiesExactly(
          x -> assertThat(x).contains("renames value 'done' of enum type shop_state to 'finished' in statement 1"),
          x -> assertThat(x).contains("renames table shop_jobs to shop_tasks in statement 2, line 2 of the SQL, which release 1.0.0 created"));
    }

    @Test
    void whatTheSameReleasesPreCreatedIsFreeToChange() {
      MigrationModel m = pre("2.0.0", 1, "CREATE TABLE shop_tmp (a int);\nALTER TABLE shop_tmp ADD COLUMN b int NOT NULL;\n"
          + "ALTER TABLE shop_jobs ADD COLUMN tmp text;\n"
          + "CREATE FUNCTION shop_helper_v1() RETURNS int LANGUAGE sql AS 'SELECT 1';");
      MigrationModel later = pre("2.0.0", 2, "ALTER TABLE shop_jobs RENAME COLUMN tmp TO tmp2;\nALTER TABLE shop_tmp ALTER COLUMN a SET NOT NULL;\n"
          + "ALTER TABLE shop_jobs DROP COLUMN tmp2;\nDROP TABLE shop_tmp;\n"
          + "CREATE OR REPLACE FUNCTION shop_helper_v1() RETURNS int LANGUAGE sql AS 'SELECT 2';\nDROP FUNCTION shop_helper_v1();");
      assertThat(check(v1, m, later)).isEmpty();
    }

    @Test
    void expandOnlyStatementsAreFine() {
      MigrationModel m = pre("2.0.0", 1, "ALTER TABLE shop_jobs ADD COLUMN priority int NOT NULL DEFAULT 0, ADD COLUMN owner text;\n"
          + "ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_priority_check CHECK (priority >= 0) NOT VALID;\n"
          + "ALTER TABLE shop_jobs ALTER COLUMN note DROP NOT NULL, ALTER COLUMN note SET DEFAULT '';\n"
          + "UPDATE shop_jobs SET owner = 'system' WHERE owner IS NULL;");
      assertThat(checkWithoutLockSafety(v1, m)).isEmpty();
    }

    @Test
    void droppingSomethingNeverSeenNeedsIfExistsToBeHarmless() {
      MigrationModel unknown = pre("2.0.0", 1, "DROP TABLE IF EXISTS shop_import_tmp;\nDROP INDEX shop_jobs_old_idx;");
      assertThat(check(v1, unknown)).extracting(Diagnostic::message).singleElement().asString()
          .contains("drops index shop_jobs_old_idx in statement 2, line 2 of the SQL, which existed before release 2.0.0");
    }

    @Test
    void replacingAnUnversionedLegacyObjectInPre() {
      MigrationModel legacy = pre("0.9", 1, "CREATE VIEW shop_report AS SELECT 1;");
      MigrationModel replace = pre("1.0", 1, "CREATE OR REPLACE VIEW shop_report AS SELECT 1, 2;");
      List<Diagnostic> d = SqlRules.check(checkedFrom("1.0", legacy, replace));
      assertThat(d).extracting(x -> x.rule().id()).containsExactly("pre-contract");
      assertThat(d.get(0).message()).contains("replaces view shop_report in statement 1, line 1 of the SQL, which release 0.9 created "
          + "and code of release 0.9 may still use as it was while 1.0 deploys. Create a new version, shop_report_v1, instead");
    }

    @Test
    void legacyPreMigrationsAreExempt() {
      MigrationModel legacy = pre("0.9", 1, "CREATE TABLE t (a int);");
      MigrationModel legacyDrop = pre("0.9.1", 1, "ALTER TABLE t DROP COLUMN a;");
      assertThat(SqlRules.check(checkedFrom("1.0", legacy, legacyDrop))).isEmpty();
    }

    @Test
    void schemaQualifiedAndQuotedNamesResolveToOneObject() {
      MigrationModel m1 = pre("1.0.0", 1, "CREATE TABLE \"Shop\".\"Jobs\" (id int);\nCREATE TABLE public.plain (id int);");
      MigrationModel m2 = pre("2.0.0", 1, "DROP TABLE \"Shop\".jobs;\nDROP TABLE IF EXISTS shop.\"Jobs\";");
      MigrationModel m3 = post("2.0.0", 1, "DROP TABLE plain;");
      MigrationModel m4 = pre("3.0.0", 1, "DROP TABLE \"Shop\".\"Jobs\";");
      List<Diagnostic> d = check(m1, m2, m3, m4);
      assertThat(d).extracting(Diagnostic::className).containsExactly(m2.className(), m4.className());
      assertThat(d.get(0).message()).contains("drops table \"Shop\".jobs in statement 1").contains("which existed before release 2.0.0");
      assertThat(d.get(1).message()).contains("drops table \"Shop\".\"Jobs\" in statement 1").contains("which release 1.0.0 created");
    }
  }

  @Test
  void invalidReleasesAndJavaMigrationsAreSkipped() {
    MigrationModel bad = pre("2.x", 1, "BEGIN; CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';");
    MigrationModel java = TestSets.java(Phase.PRE, "1.0.0", 1);
    assertThat(check(bad, java)).isEmpty();
  }

  @Test
  void diagnosticsAreIndependentOfInputOrder() {
    MigrationModel a = pre("1.0.0", 1, V1);
    MigrationModel b = pre("2.0.0", 1, "DROP FUNCTION shop_fetch_job_v1(text); CREATE VIEW v AS SELECT 1;");
    MigrationModel c = post("2.0.0", 1, "BEGIN; CREATE FUNCTION shop_fetch_job_v3(text) RETURNS int LANGUAGE sql AS 'SELECT 1';");
    assertThat(check(c, b, a)).isEqualTo(check(a, b, c));
    assertThat(Set.copyOf(rules(check(a, b, c))))
        .containsExactlyInAnyOrder("pre-contract", "versioned-name", "transaction-control", "version-sequence");
  }
}
