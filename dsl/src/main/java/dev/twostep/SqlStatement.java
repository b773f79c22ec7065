package dev.twostep;

import java.util.Objects;

/**
 * One statement of an SQL migration, split at compile time by Twostep's PostgreSQL-aware lexer,
 * so the runtime can report which statement failed.
 *
 * @param line the 1-based line of the migration's SQL on which the statement starts
 * @param sql the statement text without its terminating semicolon
 */
public record SqlStatement(int line, String sql) {
  /**
   * Checks the parts.
   *
   * @throws IllegalArgumentException when {@code line} is below 1
   */
  public SqlStatement {
    Objects.requireNonNull(sql, "sql");
    if (line < 1) {
      throw new IllegalArgumentException("line must be >= 1");
    }
  }
}
