package dev.twostep;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every rule the annotation processor checks, with what the README's rule table says about it:
 * the id used in {@code [twostep:<id>]}, {@link Waive#rule()} and
 * {@code @SuppressWarnings("twostep:<id>")}, its severity, whether a {@link Waive} may name it,
 * and a one-line summary of when it fires. The processor, the runtime's rehearsal and the
 * README's table all read this one list (a test keeps the README equal to it).
 */
public enum Rule {
  RELEASE_FORMAT("release-format", Severity.ERROR, Family.CORRECTNESS, false,
      "`release` is not 1-4 dot-separated integers"),
  RELEASE_SPELLING("release-spelling", Severity.ERROR, Family.CORRECTNESS, false,
      "one release is spelled two ways in the set (`2.1` and `2.1.0`)"),
  DUPLICATE_STEP("duplicate-step", Severity.ERROR, Family.CORRECTNESS, false,
      "two migrations share release, phase and step (reported on both)"),
  STEP_SEQUENCE("step-sequence", Severity.ERROR, Family.CORRECTNESS, true,
      "the steps of a (release, phase) are not 1..n"),
  MIGRATION_BODY("migration-body", Severity.ERROR, Family.CORRECTNESS, false,
      "sql and JavaMigration both or neither; no usable constructor; not a concrete class"),
  SQL_SYNTAX("sql-syntax", Severity.ERROR, Family.CORRECTNESS, false,
      "unterminated quote, dollar quote, quoted identifier or comment; no statement"),
  TRANSACTION_CONTROL("transaction-control", Severity.ERROR, Family.CORRECTNESS, false,
      "BEGIN, COMMIT, ROLLBACK, SAVEPOINT... in a migration (the runner owns transactions)"),
  NON_TRANSACTIONAL_ALONE("non-transactional-alone", Severity.ERROR, Family.CORRECTNESS, false,
      "`CREATE INDEX CONCURRENTLY`, `VACUUM`, ... is not the only statement of its migration"),
  VERSIONED_NAME("versioned-name", Severity.ERROR, Family.CORRECTNESS, true,
      "a function, procedure, trigger, view, materialized view or composite type is created without a `_v<k>` suffix (bridge objects, created in pre(N) and dropped in post(N), are exempt)"),
  VERSION_SEQUENCE("version-sequence", Severity.ERROR, Family.CORRECTNESS, true,
      "a new version is not 1 + the highest version of that object so far"),
  IMMUTABLE_VERSION("immutable-version", Severity.ERROR, Family.CORRECTNESS, true,
      "a later release replaces an object version an earlier release created"),
  PRE_CONTRACT("pre-contract", Severity.ERROR, Family.CORRECTNESS, true,
      "a pre-migration drops, renames or replaces what an earlier release created, drops or renames a column or table, changes a column type, sets NOT NULL, adds a NOT NULL column without default"),
  SHIPPED_CHANGED("shipped-changed", Severity.ERROR, Family.CORRECTNESS, false,
      "a migration of a shipped release differs from its checksum in the lock file"),
  SHIPPED_ADDED("shipped-added", Severity.ERROR, Family.CORRECTNESS, false,
      "a migration was added to a release the lock file records as shipped"),
  SHIPPED_REMOVED("shipped-removed", Severity.ERROR, Family.CORRECTNESS, false,
      "a migration the lock file records is gone from the sources"),
  MIGRATION_SET("migration-set", Severity.ERROR, Family.CORRECTNESS, false,
      "`@MigrationSet` is on more than one package, or its name is not a Java identifier"),
  WAIVER("waiver", Severity.ERROR_OR_WARNING, Family.CORRECTNESS, false,
      "a `@Waive` has a blank reason or names an unknown or unwaivable rule (error), or waives nothing (warning)"),
  LOCK_FILE("lock-file", Severity.ERROR, Family.CORRECTNESS, false,
      "the lock file cannot be read, or `-Atwostep.ship` names a bad release"),
  OPAQUE_STATEMENT("opaque-statement", Severity.WARNING, Family.CORRECTNESS, false,
      "a `DO` block: its effects cannot be checked"),
  EXPAND_CONTRACT("expand-contract", Severity.ERROR, Family.CORRECTNESS, false,
      "an expand/contract operation (`@RenameColumn`, `@ChangeColumnType`, `@SetNotNull`, `@AddForeignKey`, `@AddUniqueConstraint`) names a table or column the migrations before it do not define, renames to a name that is taken, sets NOT NULL on a column that is, has a `backfill` or `using` that reads another table, shares a column with another operation of its release, or its column is also dropped, renamed or retyped by hand in its release"),
  INTERNAL("internal", Severity.ERROR, Family.INTERNAL, false,
      "a bug in Twostep (never a user's mistake: those get their own rule); please report it"),
  TABLE_REWRITE("table-rewrite", Severity.ERROR, Family.LOCK_SAFETY, true,
      "on an existing table: `ALTER COLUMN TYPE` that is not binary-coercible; `ADD COLUMN` with a volatile default, `serial`, identity or `GENERATED ... STORED`; `SET LOGGED`/`UNLOGGED`/`TABLESPACE`/`ACCESS METHOD`; `VACUUM FULL`; `CLUSTER`"),
  BLOCKING_INDEX_BUILD("blocking-index-build", Severity.ERROR, Family.LOCK_SAFETY, true,
      "`CREATE INDEX` or `REINDEX` without `CONCURRENTLY`; `ADD PRIMARY KEY`/`UNIQUE`/`EXCLUDE` without `USING INDEX`"),
  VALIDATING_CONSTRAINT("validating-constraint", Severity.ERROR, Family.LOCK_SAFETY, true,
      "`ADD CHECK` or `FOREIGN KEY` without `NOT VALID` (a foreign key on a column added in the same `ALTER` is fine); `ALTER DOMAIN ADD CONSTRAINT` without `NOT VALID`"),
  VALIDATE_UNDER_EXCLUSIVE_LOCK("validate-under-exclusive-lock", Severity.ERROR, Family.LOCK_SAFETY, true,
      "`VALIDATE CONSTRAINT` after a statement of the same migration took `ACCESS EXCLUSIVE` on that table"),
  SET_NOT_NULL_SCAN("set-not-null-scan", Severity.ERROR, Family.LOCK_SAFETY, true,
      "`SET NOT NULL` (or `PRIMARY KEY USING INDEX` over a nullable column) without a validated `CHECK (c IS NOT NULL)` earlier"),
  NOT_NULL_WITHOUT_DEFAULT("not-null-without-default", Severity.ERROR, Family.LOCK_SAFETY, true,
      "`ADD COLUMN ... NOT NULL` without a non-null default"),
  DESTRUCTIVE_STATEMENT("destructive-statement", Severity.ERROR, Family.LOCK_SAFETY, true,
      "`DROP DATABASE`, `DROP TABLESPACE`, `TRUNCATE ... CASCADE`; `TRUNCATE` in pre"),
  SESSION_SETTING("session-setting", Severity.ERROR_OR_WARNING, Family.LOCK_SAFETY, true,
      "`SET`/`RESET` of `lock_timeout`, `statement_timeout`, `idle_in_transaction_session_timeout`, `ROLE` or `SESSION AUTHORIZATION` without `LOCAL` (error); any other `SET` without `LOCAL` (warning)"),
  UNBATCHED_BACKFILL("unbatched-backfill", Severity.WARNING, Family.LOCK_SAFETY, true,
      "`UPDATE` or `DELETE` of an existing table in a transactional migration"),
  EXCLUSIVE_LOCKS_ON_SEVERAL_TABLES("exclusive-locks-on-several-tables", Severity.WARNING, Family.LOCK_SAFETY, true,
      "one transactional migration takes `ACCESS EXCLUSIVE` on two or more existing tables"),
  EXPLICIT_LOCK("explicit-lock", Severity.WARNING, Family.LOCK_SAFETY, true,
      "`LOCK TABLE`"),
  NON_CONCURRENT_DROP("non-concurrent-drop", Severity.WARNING, Family.LOCK_SAFETY, true,
      "`DROP INDEX` without `CONCURRENTLY` in post; `DETACH PARTITION` without `CONCURRENTLY`");

  /** How a failure of a rule is reported. */
  public enum Severity {
    /** A compile error (waivable only when {@link #waivable()}). */
    ERROR,
    /** A warning, suppressible with {@code @SuppressWarnings("twostep:<id>")}. */
    WARNING,
    /** An error for some statements and a warning for others; the summary says which. */
    ERROR_OR_WARNING
  }

  /** What a rule protects. */
  public enum Family {
    /** Well-formed migrations that keep the code of consecutive releases compatible. */
    CORRECTNESS,
    /** No statement holds a lock that blocks the application for long (see the README). */
    LOCK_SAFETY,
    /** A bug in Twostep itself. */
    INTERNAL
  }

  private static final List<Rule> ALL = List.of(values());

  private final String id;
  private final Severity severity;
  private final Family family;
  private final boolean waivable;
  private final String summary;

  Rule(String id, Severity severity, Family family, boolean waivable, String summary) {
    this.id = id;
    this.severity = severity;
    this.family = family;
    this.waivable = waivable;
    this.summary = summary;
  }

  /** The id, e.g. {@code "pre-contract"}. */
  public String id() {
    return id;
  }

  /** How its failures are reported. */
  public Severity severity() {
    return severity;
  }

  /** What it protects. */
  public Family family() {
    return family;
  }

  /**
   * True when a {@link Waive} may name it: the judgement calls about versioning, blue-green
   * compatibility and lock safety. The others (a duplicate step, broken SQL, a changed shipped
   * migration, ...) would only move the failure from the compiler to the deploy.
   */
  public boolean waivable() {
    return waivable;
  }

  /** When it fires, as the README's rule table says (Markdown). */
  public String summary() {
    return summary;
  }

  /** The prefix of its diagnostics: {@code [twostep:<id>]}. */
  public String tag() {
    return "[twostep:" + id + "]";
  }

  /** The rule with this id, if there is one. */
  public static Optional<Rule> byId(String id) {
    return ALL.stream().filter(r -> r.id.equals(id)).findFirst();
  }

  /** The ids of the rules a {@link Waive} may name, in declaration order. */
  public static List<String> waivableIds() {
    return Arrays.stream(values()).filter(Rule::waivable).map(Rule::id).toList();
  }

  @Override
  public String toString() {
    return id;
  }
}
