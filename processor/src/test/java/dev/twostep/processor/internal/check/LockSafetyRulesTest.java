package dev.twostep.processor.internal.check;

import dev.twostep.Rule;
import static dev.twostep.processor.internal.check.TestSets.checkedFrom;
import static dev.twostep.processor.internal.check.TestSets.post;
import static dev.twostep.processor.internal.check.TestSets.pre;
import static dev.twostep.processor.internal.check.TestSets.set;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.processor.internal.model.Diagnostic;
import dev.twostep.processor.internal.model.Diagnostic.Severity;
import dev.twostep.processor.internal.model.MigrationModel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each lock-safety rule fires on the hazard, in pre and in post, and never on the safe form. */
class LockSafetyRulesTest {
  /** Release 1.0.0: the tables every case below finds existing. */
  private static final MigrationModel V1 = pre("1.0.0", 1, """
      CREATE TABLE shop_jobs (id bigint PRIMARY KEY, queue varchar(40) NOT NULL, note varchar(100), amount numeric(10,2),
        owner_id bigint, created_at timestamptz, payload jsonb);
      CREATE TABLE shop_owners (id bigint PRIMARY KEY, name text);
      CREATE INDEX shop_jobs_queue_idx ON shop_jobs (queue);
      CREATE DOMAIN shop_code AS text;
      """);

  /** The lock-safety diagnostics of {@code sql} as a migration of release 2.0.0 in {@code phase} ("pre"/"post"). */
  private static List<Diagnostic> lockDiagnostics(String phase, String... steps) {
    List<MigrationModel> migrations = new ArrayList<>(List.of(V1));
    for (int i = 0; i < steps.length; i++) {
      migrations.add(phase.equals("pre") ? pre("2.0.0", i + 1, steps[i]) : post("2.0.0", i + 1, steps[i]));
    }
    return SqlRules.check(set(migrations.toArray(MigrationModel[]::new))).stream()
        .filter(d -> d.rule().family() == Rule.Family.LOCK_SAFETY).toList();
  }

  static Stream<Arguments> hazards() {
    return Stream.of(
        Arguments.of("table-rewrite", "ALTER TABLE shop_jobs ALTER COLUMN id TYPE numeric(20)"),
        Arguments.of("table-rewrite", "ALTER TABLE shop_jobs ALTER COLUMN owner_id TYPE int"),
        Arguments.of("table-rewrite", "ALTER TABLE shop_jobs ALTER COLUMN note TYPE varchar(50)"),
        Arguments.of("table-rewrite", "ALTER TABLE shop_jobs ALTER COLUMN amount TYPE numeric(12,4)"),
        Arguments.of("table-rewrite", "ALTER TABLE shop_owners ALTER COLUMN name TYPE varchar(50)"),
        Arguments.of("table-rewrite", "ALTER TABLE shop_jobs ALTER COLUMN payload TYPE text USING payload::text"),
        Arguments.of("table-rewrite", "ALTER TABLE shop_jobs ADD COLUMN uid uuid DEFAULT gen_random_uuid()"),
        Arguments.of("table-rewrite", "ALTER TABLE shop_jobs ADD COLUMN seq bigserial"),
        Arguments.of("table-rewrite", "ALTER TABLE shop_jobs ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY"),
        Arguments.of("table-rewrite", "ALTER TABLE shop_jobs ADD COLUMN total numeric GENERATED ALWAYS AS (amount * 2) STORED"),
        Arguments.of("table-rewrite", "ALTER TABLE shop_jobs SET LOGGED"),
        Arguments.of("table-rewrite", "ALTER TABLE shop_jobs SET UNLOGGED"),
        Arguments.of("table-rewrite", "ALTER TABLE shop_jobs SET TABLESPACE pg_default"),
        Arguments.of("table-rewrite", "VACUUM FULL shop_jobs"),
        Arguments.of("table-rewrite", "VACUUM (FULL, ANALYZE) shop_jobs"),
        Arguments.of("table-rewrite", "CLUSTER shop_jobs USING shop_jobs_queue_idx"),
        Arguments.of("blocking-index-build", "CREATE INDEX shop_jobs_note_idx ON shop_jobs (note)"),
        Arguments.of("blocking-index-build", "CREATE UNIQUE INDEX IF NOT EXISTS shop_jobs_note_key ON public.shop_jobs (note)"),
        Arguments.of("blocking-index-build", "REINDEX TABLE shop_jobs"),
        Arguments.of("blocking-index-build", "REINDEX INDEX shop_jobs_queue_idx"),
        Arguments.of("blocking-index-build", "ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_note_key UNIQUE (note)"),
        Arguments.of("blocking-index-build", "ALTER TABLE shop_owners ADD PRIMARY KEY (name)"),
        Arguments.of("blocking-index-build", "ALTER TABLE shop_jobs ADD CONSTRAINT no_overlap EXCLUDE USING gist (id WITH =)"),
        Arguments.of("validating-constraint", "ALTER TABLE shop_jobs ADD CONSTRAINT amount_positive CHECK (amount > 0)"),
        Arguments.of("validating-constraint",
            "ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_owner_fk FOREIGN KEY (owner_id) REFERENCES shop_owners (id)"),
        Arguments.of("validating-constraint", "ALTER DOMAIN shop_code ADD CONSTRAINT code_upper CHECK (VALUE = upper(VALUE))"),
        Arguments.of("set-not-null-scan", "ALTER TABLE shop_jobs ALTER COLUMN note SET NOT NULL"),
        Arguments.of("not-null-without-default", "ALTER TABLE shop_jobs ADD COLUMN region text NOT NULL"),
        Arguments.of("destructive-statement", "TRUNCATE shop_owners CASCADE"),
        Arguments.of("destructive-statement", "DROP DATABASE shop_archive"),
        Arguments.of("destructive-statement", "DROP TABLESPACE old_disks"),
        Arguments.of("session-setting", "SET lock_timeout = 0"),
        Arguments.of("session-setting", "SET SESSION statement_timeout TO '1h'"),
        Arguments.of("session-setting", "RESET lock_timeout"),
        Arguments.of("session-setting", "SET ROLE admin"),
        Arguments.of("session-setting", "SET SESSION AUTHORIZATION admin"),
        Arguments.of("session-setting", "SET search_path TO shop, public"),
        Arguments.of("unbatched-backfill", "UPDATE shop_jobs SET note = queue WHERE note IS NULL"),
        Arguments.of("unbatched-backfill", "DELETE FROM shop_jobs WHERE created_at < now() - interval '1 year'"),
        Arguments.of("unbatched-backfill", "WITH old AS (SELECT id FROM shop_jobs) UPDATE shop_jobs SET note = '' FROM old"),
        Arguments.of("explicit-lock", "LOCK TABLE shop_jobs IN SHARE MODE"),
        Arguments.of("exclusive-locks-on-several-tables",
            "ALTER TABLE shop_jobs ADD COLUMN a int; ALTER TABLE shop_owners ADD COLUMN b int"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("hazards")
  void aHazardOnAnExistingTableFiresItsRuleInPreAndInPost(String rule, String sql) {
    for (String phase : List.of("pre", "post")) {
      assertThat(lockDiagnostics(phase, sql)).as(phase + ": " + sql).isNotEmpty()
          .allSatisfy(d -> assertThat(d.rule().id()).isEqualTo(rule));
    }
  }

  static Stream<Arguments> postOnlyHazards() {
    return Stream.of(
        Arguments.of("non-concurrent-drop", "DROP INDEX shop_jobs_queue_idx"),
        Arguments.of("destructive-statement", "TRUNCATE shop_owners"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("postOnlyHazards")
  void someHazardsDependOnThePhase(String rule, String sql) {
    List<Diagnostic> pre = lockDiagnostics("pre", sql);
    List<Diagnostic> post = lockDiagnostics("post", sql);
    if (rule.equals("destructive-statement")) {
      // TRUNCATE empties a table old code still uses in pre; in post it is the code's own decision
      assertThat(pre).extracting(d -> d.rule().id()).containsExactly(rule);
      assertThat(post).isEmpty();
    } else {
      assertThat(pre).isEmpty();
      assertThat(post).extracting(d -> d.rule().id()).containsExactly(rule);
    }
  }

  static Stream<Arguments> safeForms() {
    return Stream.of(
        Arguments.of((Object) new String[] {"CREATE INDEX CONCURRENTLY shop_jobs_note_idx ON shop_jobs (note)"}),
        Arguments.of((Object) new String[] {"REINDEX INDEX CONCURRENTLY shop_jobs_queue_idx"}),
        Arguments.of((Object) new String[] {"CREATE INDEX shop_jobs_part_idx ON ONLY shop_jobs (note)"}),
        Arguments.of((Object) new String[] {"ALTER TABLE shop_jobs ALTER COLUMN note TYPE varchar(200)"}),
        Arguments.of((Object) new String[] {"ALTER TABLE shop_jobs ALTER COLUMN note TYPE text"}),
        Arguments.of((Object) new String[] {"ALTER TABLE shop_jobs ALTER COLUMN queue TYPE varchar"}),
        Arguments.of((Object) new String[] {"ALTER TABLE shop_jobs ALTER COLUMN amount TYPE numeric(14,2)"}),
        Arguments.of((Object) new String[] {"ALTER TABLE shop_jobs ALTER COLUMN amount TYPE numeric"}),
        Arguments.of((Object) new String[] {"ALTER TABLE shop_jobs ADD COLUMN priority int NOT NULL DEFAULT 0"}),
        Arguments.of((Object) new String[] {"ALTER TABLE shop_jobs ADD COLUMN seen_at timestamptz NOT NULL DEFAULT now()"}),
        Arguments.of((Object) new String[] {"ALTER TABLE shop_jobs ADD COLUMN seen_at timestamptz DEFAULT CURRENT_TIMESTAMP"}),
        Arguments.of((Object) new String[] {"ALTER TABLE shop_jobs ADD COLUMN tags text[] DEFAULT '{}'"}),
        Arguments.of((Object) new String[] {"ALTER TABLE shop_jobs ADD COLUMN owner2 bigint REFERENCES shop_owners (id)"}),
        Arguments.of((Object) new String[] {"ALTER TABLE shop_jobs ADD COLUMN owner3 bigint, "
            + "ADD CONSTRAINT owner3_fk FOREIGN KEY (owner3) REFERENCES shop_owners (id)"}),
        Arguments.of((Object) new String[] {"ALTER TABLE shop_jobs ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID",
            "ALTER TABLE shop_jobs VALIDATE CONSTRAINT amount_positive"}),
        Arguments.of((Object) new String[] {"ALTER TABLE shop_jobs ADD CONSTRAINT shop_jobs_owner_fk FOREIGN KEY (owner_id) "
            + "REFERENCES shop_owners (id) NOT VALID", "ALTER TABLE shop_jobs VALIDATE CONSTRAINT shop_jobs_owner_fk"}),
        Arguments.of((Object) new String[] {"ALTER DOMAIN shop_code ADD CONSTRAINT upper CHECK (VALUE = upper(VALUE)) NOT VALID"}),
        Arguments.of((Object) new String[] {"CREATE UNIQUE INDEX CONCURRENTLY shop_owners_name_key ON shop_owners (name)",
            "ALTER TABLE shop_owners ADD CONSTRAINT shop_owners_name_key UNIQUE USING INDEX shop_owners_name_key"}),
        Arguments.of((Object) new String[] {"ALTER TABLE shop_jobs ADD CONSTRAINT note_present CHECK (note IS NOT NULL) NOT VALID",
            "ALTER TABLE shop_jobs VALIDATE CONSTRAINT note_present",
            "ALTER TABLE shop_jobs ALTER COLUMN note SET NOT NULL, DROP CONSTRAINT note_present"}),
        Arguments.of((Object) new String[] {"ALTER TABLE shop_jobs ALTER COLUMN queue SET NOT NULL"}),
        Arguments.of((Object) new String[] {"DROP INDEX CONCURRENTLY shop_jobs_queue_idx"}),
        Arguments.of((Object) new String[] {"SET LOCAL lock_timeout = '1s'; SET LOCAL search_path TO public; "
            + "SET CONSTRAINTS ALL DEFERRED"}),
        Arguments.of((Object) new String[] {"VACUUM (ANALYZE) shop_jobs"}),
        Arguments.of((Object) new String[] {"ALTER TABLE shop_jobs ALTER COLUMN note SET STATISTICS 500"}),
        Arguments.of((Object) new String[] {"CREATE TABLE shop_tags (id bigserial PRIMARY KEY, job_id bigint, tag text); "
            + "CREATE INDEX shop_tags_tag_idx ON shop_tags (tag); "
            + "ALTER TABLE shop_tags ADD CONSTRAINT job_fk FOREIGN KEY (job_id) REFERENCES shop_jobs (id), "
            + "ADD COLUMN uid uuid DEFAULT gen_random_uuid(), ALTER COLUMN tag SET NOT NULL, ALTER COLUMN job_id TYPE int; "
            + "UPDATE shop_tags SET tag = lower(tag); LOCK TABLE shop_tags; TRUNCATE shop_tags CASCADE"}),
        Arguments.of((Object) new String[] {"CREATE TABLE shop_tags (id bigint, tag text)",
            "CREATE INDEX shop_tags_tag_idx ON shop_tags (tag)", "ALTER TABLE shop_tags ADD PRIMARY KEY (id)"}));
  }

  @ParameterizedTest
  @MethodSource("safeForms")
  void safeFormsDrawNothingInPreOrPost(String[] steps) {
    for (String phase : List.of("pre", "post")) {
      assertThat(lockDiagnostics(phase, steps)).as(phase + ": " + String.join(" / ", steps)).isEmpty();
    }
  }

  @Test
  void aTableCreatedInPreIsExistingInPost() {
    MigrationModel create = pre("2.0.0", 1, "CREATE TABLE shop_tags (id bigint, tag text)");
    MigrationModel index = post("2.0.0", 1, "CREATE INDEX shop_tags_tag_idx ON shop_tags (tag)");
    assertThat(SqlRules.check(set(V1, create, index))).extracting(d -> d.rule().id()).containsExactly("blocking-index-build");
    MigrationModel sameRelease = pre("2.0.0", 2, "CREATE INDEX shop_tags_tag_idx ON shop_tags (tag)");
    assertThat(SqlRules.check(set(V1, create, sameRelease))).isEmpty();
  }

  @Test
  void aRenamedTableIsAsOldAsTheTableItWas() {
    List<Diagnostic> found = lockDiagnostics("post", "ALTER TABLE shop_jobs RENAME TO shop_tasks",
        "CREATE INDEX shop_tasks_note_idx ON shop_tasks (note)");
    assertThat(found).extracting(d -> d.rule().id()).containsExactly("blocking-index-build");
  }

  @Test
  void validatingAfterAnExclusiveLockInTheSameMigration() {
    List<Diagnostic> found = lockDiagnostics("post",
        "ALTER TABLE shop_jobs ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID",
        "ALTER TABLE shop_jobs DROP COLUMN payload; ALTER TABLE shop_jobs VALIDATE CONSTRAINT amount_positive");
    assertThat(found).singleElement().satisfies(d -> {
      assertThat(d.rule().id()).isEqualTo("validate-under-exclusive-lock");
      assertThat(d.message()).isEqualTo("post-migration 2.0.0 step 2 (Post2_0_0Step2) runs VALIDATE CONSTRAINT on existing "
          + "table shop_jobs in statement 2, line 1 of the SQL, but statement 1, line 1 of the SQL of the same migration "
          + "already took an ACCESS EXCLUSIVE lock on shop_jobs, which is held until the migration commits: the validation "
          + "scan, for as long as it takes, a time that grows with the size of the table, then runs while every read and "
          + "write of shop_jobs waits. Move the VALIDATE CONSTRAINT to a migration of its own (a later step), where it "
          + "holds only SHARE UPDATE EXCLUSIVE.");
    });
  }

  @Test
  void severities() {
    assertThat(lockDiagnostics("post", "SET lock_timeout = 0")).extracting(Diagnostic::severity).containsExactly(Severity.ERROR);
    assertThat(lockDiagnostics("post", "SET search_path TO shop")).extracting(Diagnostic::severity)
        .containsExactly(Severity.WARNING);
    for (String warning : List.of("UPDATE shop_jobs SET note = ''", "LOCK shop_jobs", "DROP INDEX shop_jobs_queue_idx",
        "ALTER TABLE shop_jobs ADD COLUMN a int; ALTER TABLE shop_owners ADD COLUMN b int")) {
      assertThat(lockDiagnostics("post", warning)).as(warning).extracting(Diagnostic::severity).containsOnly(Severity.WARNING);
    }
  }

  @Test
  void aMessageSaysWhatLockWhatItBlocksForHowLongAndTheRecipe() {
    assertThat(lockDiagnostics("post", "CREATE INDEX shop_jobs_note_idx ON shop_jobs (note)")).singleElement()
        .satisfies(d -> assertThat(d.message()).isEqualTo("post-migration 2.0.0 step 1 (Post2_0_0Step1) runs CREATE INDEX on "
            + "existing table shop_jobs in statement 1, line 1 of the SQL without CONCURRENTLY: it holds a SHARE lock, which "
            + "blocks every INSERT, UPDATE and DELETE on shop_jobs (reads go on) for the whole index build, for as long as "
            + "it takes, a time that grows with the size of the table. Build it with CREATE INDEX CONCURRENTLY in a "
            + "migration of its own (the runner runs it outside a transaction)."));
    assertThat(lockDiagnostics("post", "ALTER TABLE shop_jobs ALTER COLUMN owner_id TYPE int")).singleElement()
        .satisfies(d -> assertThat(d.message()).contains("changes column owner_id from bigint to integer",
            "ACCESS EXCLUSIVE lock, which blocks every read and write of shop_jobs", "Add a new column of type integer"));
  }

  @Test
  void migrationsBeforeCheckedFromAreExemptButStillTeach() {
    MigrationModel legacyIndex = post("0.9", 1, "CREATE TABLE t (a varchar(10)); ");
    MigrationModel legacyHazard = post("0.9.1", 1, "CREATE INDEX t_a_idx ON t (a); UPDATE t SET a = 'x'; SET lock_timeout = 0");
    MigrationModel widen = post("1.0", 1, "ALTER TABLE t ALTER COLUMN a TYPE varchar(20)");
    assertThat(SqlRules.check(checkedFrom("1.0", legacyIndex, legacyHazard, widen))).isEmpty();
    MigrationModel narrow = post("1.0", 1, "ALTER TABLE t ALTER COLUMN a TYPE varchar(5)");
    assertThat(SqlRules.check(checkedFrom("1.0", legacyIndex, legacyHazard, narrow))).extracting(d -> d.rule().id())
        .containsExactly("table-rewrite");
  }

  @Test
  void aNonTransactionalMigrationIsNoUnbatchedBackfill() {
    // The runner runs a CREATE INDEX CONCURRENTLY alone; an UPDATE beside it is non-transactional-alone's business.
    assertThat(lockDiagnostics("post", "UPDATE shop_jobs SET note = ''; CREATE INDEX CONCURRENTLY i ON shop_jobs (note)"))
        .isEmpty();
  }
}
