package dev.twostep.processor.internal.sql;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A {@code CREATE [UNIQUE] INDEX CONCURRENTLY} as the classifier read it: the facts the generated
 * catalog hands to the runtime, which cleans up after a failed build without parsing SQL. Names
 * are cut to 63 bytes, as PostgreSQL cuts them, so the runtime finds the index by its real name.
 *
 * @param table the table, resolved (schema {@code null} when unqualified)
 * @param index the index name, resolved, or {@code null} when the statement names none
 * @param unique {@code CREATE UNIQUE INDEX}
 * @param ifNotExists the statement says {@code IF NOT EXISTS}
 * @param definition the statement's text from the token after the table name to its end
 */
public record ConcurrentIndexBuild(
    ObjectName table, String index, boolean unique, boolean ifNotExists, String definition) {
  /** PostgreSQL's {@code NAMEDATALEN - 1}: the bytes of a name it keeps. */
  private static final int NAME_BYTES = 63;

  public ConcurrentIndexBuild {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(definition, "definition");
    table = new ObjectName(table.schema() == null ? null : truncate(table.schema()), truncate(table.name()));
    index = index == null ? null : truncate(index);
  }

  /** {@code name} as PostgreSQL stores it: at most 63 bytes of UTF-8, never cut inside a character. */
  static String truncate(String name) {
    if (name.getBytes(StandardCharsets.UTF_8).length <= NAME_BYTES) {
      return name;
    }
    int bytes = 0;
    int end = 0;
    while (end < name.length()) {
      int next = name.offsetByCodePoints(end, 1);
      bytes += name.substring(end, next).getBytes(StandardCharsets.UTF_8).length;
      if (bytes > NAME_BYTES) {
        break;
      }
      end = next;
    }
    return name.substring(0, end);
  }
}
