package dev.twostep.processor.internal.check;

import java.util.List;

/** The rule ids, as used in {@code [twostep:<rule>]}, {@code @Waive} and {@code @SuppressWarnings}. */
public final class Rules {
  private Rules() {}

  public static final String RELEASE_FORMAT = "release-format";
  public static final String RELEASE_SPELLING = "release-spelling";
  public static final String DUPLICATE_STEP = "duplicate-step";
  public static final String STEP_SEQUENCE = "step-sequence";
  public static final String MIGRATION_BODY = "migration-body";
  public static final String SQL_SYNTAX = "sql-syntax";
  public static final String TRANSACTION_CONTROL = "transaction-control";
  public static final String NON_TRANSACTIONAL_ALONE = "non-transactional-alone";
  public static final String VERSIONED_NAME = "versioned-name";
  public static final String VERSION_SEQUENCE = "version-sequence";
  public static final String IMMUTABLE_VERSION = "immutable-version";
  public static final String PRE_CONTRACT = "pre-contract";
  public static final String SHIPPED_CHANGED = "shipped-changed";
  public static final String SHIPPED_ADDED = "shipped-added";
  public static final String SHIPPED_REMOVED = "shipped-removed";
  /** Warning: a statement the analysis cannot see into (a DO block). */
  public static final String OPAQUE_STATEMENT = "opaque-statement";
  /** The lock file cannot be read, or the ship option is wrong. */
  public static final String LOCK_FILE = "lock-file";
  /** A malformed {@code @MigrationSet}. */
  public static final String MIGRATION_SET = "migration-set";
  /** An expand/contract operation ({@code @RenameColumn}, ...) that cannot be expanded. */
  public static final String EXPAND_CONTRACT = "expand-contract";
  /** A malformed {@code @Waive}. */
  public static final String WAIVER = "waiver";
  // Lock safety: how long a migration holds a lock that blocks the application.
  public static final String TABLE_REWRITE = "table-rewrite";
  public static final String BLOCKING_INDEX_BUILD = "blocking-index-build";
  public static final String VALIDATING_CONSTRAINT = "validating-constraint";
  public static final String VALIDATE_UNDER_EXCLUSIVE_LOCK = "validate-under-exclusive-lock";
  public static final String SET_NOT_NULL_SCAN = "set-not-null-scan";
  public static final String NOT_NULL_WITHOUT_DEFAULT = "not-null-without-default";
  public static final String DESTRUCTIVE_STATEMENT = "destructive-statement";
  /** Error for timeouts, role and session authorization; warning for other settings. */
  public static final String SESSION_SETTING = "session-setting";
  /** Warning. */
  public static final String UNBATCHED_BACKFILL = "unbatched-backfill";
  /** Warning. */
  public static final String EXCLUSIVE_LOCKS_ON_SEVERAL_TABLES = "exclusive-locks-on-several-tables";
  /** Warning. */
  public static final String EXPLICIT_LOCK = "explicit-lock";
  /** Warning. */
  public static final String NON_CONCURRENT_DROP = "non-concurrent-drop";

  /** The lock-safety rules, in the order of the README's table. */
  public static final List<String> LOCK_SAFETY = List.of(
      TABLE_REWRITE, BLOCKING_INDEX_BUILD, VALIDATING_CONSTRAINT, VALIDATE_UNDER_EXCLUSIVE_LOCK, SET_NOT_NULL_SCAN,
      NOT_NULL_WITHOUT_DEFAULT, DESTRUCTIVE_STATEMENT, SESSION_SETTING, UNBATCHED_BACKFILL,
      EXCLUSIVE_LOCKS_ON_SEVERAL_TABLES, EXPLICIT_LOCK, NON_CONCURRENT_DROP);

  /** A bug in the processor. */
  public static final String INTERNAL = "internal";

  /**
   * The rules a {@code @Waive} may name: the judgement calls about versioning and blue-green
   * safety. The others (a duplicate step, broken SQL, transaction control, a changed shipped
   * migration, ...) would only move the failure from the compiler to the deploy.
   */
  public static final List<String> WAIVABLE = concat(
      List.of(STEP_SEQUENCE, VERSIONED_NAME, VERSION_SEQUENCE, IMMUTABLE_VERSION, PRE_CONTRACT), LOCK_SAFETY);

  /** Every rule id a user can meet. */
  public static final List<String> ALL = concat(List.of(
      RELEASE_FORMAT, RELEASE_SPELLING, DUPLICATE_STEP, STEP_SEQUENCE, MIGRATION_BODY, SQL_SYNTAX, TRANSACTION_CONTROL,
      NON_TRANSACTIONAL_ALONE, VERSIONED_NAME, VERSION_SEQUENCE, IMMUTABLE_VERSION, PRE_CONTRACT, SHIPPED_CHANGED,
      SHIPPED_ADDED, SHIPPED_REMOVED, OPAQUE_STATEMENT, LOCK_FILE, MIGRATION_SET, WAIVER, EXPAND_CONTRACT), LOCK_SAFETY);

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
