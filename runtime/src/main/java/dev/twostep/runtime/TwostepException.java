package dev.twostep.runtime;

import java.util.Optional;

/**
 * Why Twostep could not do what it was asked: a migration failed (the message names the migration
 * by release, phase, step and description, the statement and its line inside the migration's SQL,
 * and PostgreSQL's SQLSTATE and message), a safety rule refused to proceed (checksum drift, a
 * post-migration of an older release during {@code pre}), or the database could not be reached.
 * Messages never contain passwords.
 */
public class TwostepException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Why, for programs: a deploy script or an application decides on this (retry later, page
   * someone, refuse to start) instead of parsing the message.
   */
  public enum Reason {
    /** A statement of a migration failed; nothing of that migration was kept ({@link #sqlState()} says why). */
    MIGRATION_FAILED,
    /**
     * A lock was not free in time: another deployer held the deployer lock past the wait, or a
     * migration's {@code lock_timeout} retries were used up. Trying again later may succeed.
     */
    LOCK_BUSY,
    /**
     * A safety rule refused to go on: a post-migration the deploy guard holds back, a
     * post-migration of an older release during {@code pre}, a baseline of a database with
     * history, a connection without session semantics. Nothing was applied.
     */
    REFUSED,
    /** The database could not be reached, or the connection or its session was lost. Nothing was half-applied. */
    DATABASE_UNAVAILABLE,
    /** The history table is not Twostep's, was written by a newer Twostep, or has rows this catalog cannot read. */
    HISTORY_UNREADABLE,
    /** What was asked does not exist or is malformed: a target, a release, a list of databases. */
    INVALID_REQUEST,
    /** The thread was interrupted while waiting. */
    INTERRUPTED
  }

  private final Reason reason;

  /** The PostgreSQL SQLSTATE behind the failure, or {@code null}. */
  private final String sqlState;

  /** Creates an exception with a reason and a message for people. */
  public TwostepException(Reason reason, String message) {
    this(reason, message, null, null);
  }

  /** Creates an exception with a reason, a message for people and its cause. */
  public TwostepException(Reason reason, String message, Throwable cause) {
    this(reason, message, null, cause);
  }

  /** Creates an exception with a reason, a message for people, the SQLSTATE behind it and its cause. */
  public TwostepException(Reason reason, String message, String sqlState, Throwable cause) {
    super(message, cause);
    this.reason = java.util.Objects.requireNonNull(reason, "reason");
    this.sqlState = sqlState;
  }

  /** Why, for programs; the message says it for people. */
  public Reason reason() {
    return reason;
  }

  /** The PostgreSQL SQLSTATE behind the failure, when there was one. */
  public Optional<String> sqlState() {
    return Optional.ofNullable(sqlState);
  }
}
