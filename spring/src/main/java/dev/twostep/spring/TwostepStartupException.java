package dev.twostep.spring;

/**
 * Why the starter refused to let the application start: the schema does not fit this release's
 * code, the catalog or database is not configured, or Flyway or Liquibase would migrate the same
 * database. Spring Boot prints {@link #description()} and {@link #action()} as its start-up
 * failure report.
 */
public class TwostepStartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String description;
  private final String action;

  /** Creates an exception saying what is wrong and how to fix it. */
  public TwostepStartupException(String description, String action) {
    this(description, action, null);
  }

  /** Creates an exception saying what is wrong, how to fix it, and its cause. */
  public TwostepStartupException(String description, String action, Throwable cause) {
    super("Twostep: " + description + " " + action, cause);
    this.description = description;
    this.action = action;
  }

  /** What is wrong, with the actual values. */
  public String description() {
    return description;
  }

  /** How to fix it. */
  public String action() {
    return action;
  }
}
