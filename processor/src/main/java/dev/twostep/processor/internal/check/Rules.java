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
  /** A malformed {@code @Waive}. */
  public static final String WAIVER = "waiver";
  /** A bug in the processor. */
  public static final String INTERNAL = "internal";

  /**
   * The rules a {@code @Waive} may name: the judgement calls about versioning and blue-green
   * safety. The others (a duplicate step, broken SQL, transaction control, a changed shipped
   * migration, ...) would only move the failure from the compiler to the deploy.
   */
  public static final List<String> WAIVABLE = List.of(
      STEP_SEQUENCE, VERSIONED_NAME, VERSION_SEQUENCE, IMMUTABLE_VERSION, PRE_CONTRACT);

  /** Every rule id a user can meet. */
  public static final List<String> ALL = List.of(
      RELEASE_FORMAT, RELEASE_SPELLING, DUPLICATE_STEP, STEP_SEQUENCE, MIGRATION_BODY, SQL_SYNTAX, TRANSACTION_CONTROL,
      NON_TRANSACTIONAL_ALONE, VERSIONED_NAME, VERSION_SEQUENCE, IMMUTABLE_VERSION, PRE_CONTRACT, SHIPPED_CHANGED,
      SHIPPED_ADDED, SHIPPED_REMOVED, OPAQUE_STATEMENT, LOCK_FILE, MIGRATION_SET, WAIVER);
}
