package dev.twostep.processor.internal.codegen;

import dev.twostep.processor.internal.model.MigrationModel;
import dev.twostep.processor.internal.sql.ConcurrentIndexBuild;
import java.util.List;

/**
 * What the catalog writer needs about one migration beyond its model: its statements as split by
 * the SQL lexer, and whether it runs in a transaction.
 *
 * @param migration the migration
 * @param statements its statements in order; empty for a Java migration
 * @param transactional whether it runs in one transaction with its history row
 * @param checksum its checksum
 */
public record CatalogEntry(
    MigrationModel migration, List<Statement> statements, boolean transactional, String checksum) {

  public CatalogEntry {
    statements = List.copyOf(statements);
  }

  /**
   * One statement.
   *
   * @param line 1-based line in the migration's SQL where it starts
   * @param sql its text without the terminating semicolon
   * @param concurrentIndex for a {@code CREATE INDEX CONCURRENTLY}, what the catalog tells the
   *     runtime about the index; else {@code null}
   */
  public record Statement(int line, String sql, ConcurrentIndexBuild concurrentIndex) {}
}
