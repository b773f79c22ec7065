package dev.twostep.processor.internal.sql;

import java.util.Objects;

/**
 * A {@code CREATE [UNIQUE] INDEX CONCURRENTLY} as the classifier read it: the facts the generated
 * catalog hands to the runtime, which cleans up after a failed build without parsing SQL.
 *
 * @param table the table, resolved (schema {@code null} when unqualified)
 * @param index the index name, resolved, or {@code null} when the statement names none
 * @param unique {@code CREATE UNIQUE INDEX}
 * @param ifNotExists the statement says {@code IF NOT EXISTS}
 * @param definition the statement's text from the token after the table name to its end
 */
public record ConcurrentIndexBuild(
    ObjectName table, String index, boolean unique, boolean ifNotExists, String definition) {

  public ConcurrentIndexBuild {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(definition, "definition");
  }
}
