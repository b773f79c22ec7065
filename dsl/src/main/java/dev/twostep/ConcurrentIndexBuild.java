package dev.twostep;

import java.util.Objects;
import java.util.Optional;

/**
 * What the annotation processor read from a {@code CREATE [UNIQUE] INDEX CONCURRENTLY} statement,
 * so the runtime never parses SQL: it finds the INVALID index a failed build leaves behind, and
 * recognises the index an interrupted run already built, from these facts alone. Generated
 * catalogs carry it on their {@link SqlStatement}s; applications read it.
 *
 * <p>Names are resolved as PostgreSQL resolves them: unquoted names folded to lower case, quoted
 * names as written without their quotes.
 */
public final class ConcurrentIndexBuild {
  private final String schema;
  private final String table;
  private final String index;
  private final boolean unique;
  private final boolean ifNotExists;
  private final String definition;

  private ConcurrentIndexBuild(
      String schema, String table, String index, boolean unique, boolean ifNotExists, String definition) {
    this.schema = schema;
    this.table = Objects.requireNonNull(table, "table");
    this.index = index;
    this.unique = unique;
    this.ifNotExists = ifNotExists;
    this.definition = Objects.requireNonNull(definition, "definition");
    if (table.isEmpty() || (schema != null && schema.isEmpty()) || (index != null && index.isEmpty())) {
      throw new IllegalArgumentException("a name cannot be empty (PostgreSQL has no zero-length identifiers)");
    }
  }

  /**
   * The facts of one statement; used by generated catalogs.
   *
   * @param schema the table's schema, or {@code null} when the statement does not qualify the table
   * @param table the table the index is built on
   * @param index the index name, or {@code null} when the statement names none (PostgreSQL then
   *     picks one)
   * @param unique whether it is {@code CREATE UNIQUE INDEX}
   * @param ifNotExists whether it says {@code IF NOT EXISTS}
   * @param definition the statement's text after the table name, from its next token on: access
   *     method, columns and expressions, {@code INCLUDE}, {@code WHERE} and the rest, as written
   * @throws IllegalArgumentException when a name is empty
   */
  public static ConcurrentIndexBuild of(
      String schema, String table, String index, boolean unique, boolean ifNotExists, String definition) {
    return new ConcurrentIndexBuild(schema, table, index, unique, ifNotExists, definition);
  }

  /** The table's schema, when the statement qualifies the table; else the search path decides. */
  public Optional<String> schema() {
    return Optional.ofNullable(schema);
  }

  /** The table the index is built on. */
  public String table() {
    return table;
  }

  /** The index name, when the statement gives one. */
  public Optional<String> index() {
    return Optional.ofNullable(index);
  }

  /** Whether it builds a unique index. */
  public boolean unique() {
    return unique;
  }

  /** Whether the statement says {@code IF NOT EXISTS}. */
  public boolean ifNotExists() {
    return ifNotExists;
  }

  /**
   * The statement's text after the table name, e.g. {@code "USING gin (tags) WHERE deleted_at IS
   * NULL"}: what the index is built of, without its name and table.
   */
  public String definition() {
    return definition;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConcurrentIndexBuild b
        && Objects.equals(schema, b.schema) && table.equals(b.table) && Objects.equals(index, b.index)
        && unique == b.unique && ifNotExists == b.ifNotExists && definition.equals(b.definition);
  }

  @Override
  public int hashCode() {
    return Objects.hash(schema, table, index, unique, ifNotExists, definition);
  }

  @Override
  public String toString() {
    return "ConcurrentIndexBuild[" + (unique ? "unique " : "") + (index == null ? "(unnamed)" : index)
        + (ifNotExists ? " if not exists" : "") + " on " + (schema == null ? "" : schema + ".") + table + " "
        + definition + "]";
  }
}
