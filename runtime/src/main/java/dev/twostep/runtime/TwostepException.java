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

  /** The PostgreSQL SQLSTATE behind the failure, or {@code null}. */
  private final String sqlState;

  /** Creates an exception with a message for people. */
  public TwostepException(String message) {
    this(message, null, null);
  }

  /** Creates an exception with a message for people and its cause. */
  public TwostepException(String message, Throwable cause) {
    this(message, null, cause);
  }

  /** Creates an exception with a message for people, the SQLSTATE behind it and its cause. */
  public TwostepException(String message, String sqlState, Throwable cause) {
    super(message, cause);
    this.sqlState = sqlState;
  }

  /** The PostgreSQL SQLSTATE behind the failure, when there was one. */
  public Optional<String> sqlState() {
    return Optional.ofNullable(sqlState);
  }
}
