package dev.twostep;

import java.util.Objects;
import java.util.Optional;

/**
 * One statement of an SQL migration, split at compile time by Twostep's PostgreSQL-aware lexer,
 * so the runtime can report which statement failed, with what the processor learnt about it
 * (see {@link #concurrentIndex()}). A final class rather than a record, so that a new fact (a new
 * accessor and a new constructor) never breaks code that uses the existing ones.
 */
public final class SqlStatement {
  private final int line;
  private final String sql;
  private final ConcurrentIndexBuild concurrentIndex;

  /**
   * A statement about which the processor records nothing beyond its text.
   *
   * @param line the 1-based line of the migration's SQL on which the statement starts
   * @param sql the statement text without its terminating semicolon
   * @throws IllegalArgumentException when {@code line} is below 1
   */
  public SqlStatement(int line, String sql) {
    this(line, sql, Optional.empty());
  }

  /**
   * A {@code CREATE [UNIQUE] INDEX CONCURRENTLY} statement; used by generated catalogs.
   *
   * @param line the 1-based line of the migration's SQL on which the statement starts
   * @param sql the statement text without its terminating semicolon
   * @param concurrentIndex what the processor read from it
   * @throws IllegalArgumentException when {@code line} is below 1
   */
  public SqlStatement(int line, String sql, ConcurrentIndexBuild concurrentIndex) {
    this(line, sql, Optional.of(Objects.requireNonNull(concurrentIndex, "concurrentIndex")));
  }

  private SqlStatement(int line, String sql, Optional<ConcurrentIndexBuild> concurrentIndex) {
    this.sql = Objects.requireNonNull(sql, "sql");
    if (line < 1) {
      throw new IllegalArgumentException("line must be >= 1");
    }
    this.line = line;
    this.concurrentIndex = concurrentIndex.orElse(null);
  }

  /** The 1-based line of the migration's SQL on which the statement starts. */
  public int line() {
    return line;
  }

  /** The statement text without its terminating semicolon. */
  public String sql() {
    return sql;
  }

  /**
   * For a {@code CREATE [UNIQUE] INDEX CONCURRENTLY}, the index it builds, as the processor read
   * it; empty for any other statement. The runtime cleans up after a failed build from these
   * facts alone, never from the SQL text.
   */
  public Optional<ConcurrentIndexBuild> concurrentIndex() {
    return Optional.ofNullable(concurrentIndex);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SqlStatement s
        && line == s.line && sql.equals(s.sql) && Objects.equals(concurrentIndex, s.concurrentIndex);
  }

  @Override
  public int hashCode() {
    return Objects.hash(line, sql, concurrentIndex);
  }

  @Override
  public String toString() {
    return "SqlStatement[line=" + line + ", sql=" + sql
        + (concurrentIndex == null ? "" : ", concurrentIndex=" + concurrentIndex) + "]";
  }
}
