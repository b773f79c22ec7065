package dev.twostep.processor.internal.sql;

import java.util.List;
import java.util.Objects;

/**
 * What one statement does that matters for the locks it takes and how long it holds them: the
 * facts the lock-safety rules judge. Whether the table already existed (and so may be big and
 * busy) is for the rules to decide; the statement alone cannot tell.
 *
 * @param kind what it does
 * @param table the table (or domain, for {@link Kind#DOMAIN_CONSTRAINT}) it does it to;
 *     {@code null} for statements that name no table ({@code SET}, {@code DROP DATABASE}, a
 *     database-wide {@code VACUUM FULL}) or only an index ({@link #index})
 * @param what the clause as written, shortened, for messages: {@code "ADD COLUMN id bigserial"}
 * @param name the column, constraint, setting or mode it is about, else {@code null}
 * @param type for {@link Kind#COLUMN_DEFINED} and {@link Kind#TYPE_CHANGE} the column's type with
 *     its modifiers, as {@link ColumnType#of} reads it; else {@code null}
 * @param index for {@link Kind#DROP_INDEX}, {@link Kind#REINDEX} of an index and
 *     {@link Kind#PRIMARY_KEY_USING_INDEX} the index; else {@code null}
 * @param columns the columns of a primary key, a foreign key, an index or a {@code CHECK (c IS NOT
 *     NULL)}; else empty
 * @param flag per kind: {@code NOT NULL} for {@link Kind#COLUMN_DEFINED}; {@code USING} given for
 *     {@link Kind#TYPE_CHANGE}; validated (no {@code NOT VALID}) for {@link Kind#NOT_NULL_CHECK};
 *     {@code LOCAL} for {@link Kind#SESSION_SETTING}; {@code CASCADE} for {@link Kind#TRUNCATE}
 */
public record TableOperation(
    Kind kind, ObjectName table, String what, String name, ColumnType type, ObjectName index, List<String> columns,
    boolean flag) {

  /**
   * Functions PostgreSQL marks VOLATILE that appear in column defaults: a default calling one is
   * evaluated per row, so {@code ADD COLUMN} rewrites the table. {@code now()} and other STABLE
   * functions are evaluated once and stored as the column's missing value (no rewrite).
   */
  public static final java.util.Set<String> VOLATILE_FUNCTIONS = java.util.Set.of("gen_random_uuid",
      "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "uuidv4", "uuidv7", "random", "clock_timestamp",
      "timeofday", "nextval", "setseed", "gen_random_bytes");

  /** What a statement does. */
  public enum Kind {
    /** A column is declared (CREATE TABLE, ADD COLUMN): its type and nullability, for later rules. */
    COLUMN_DEFINED,
    /** Rewrites the table under ACCESS EXCLUSIVE: a serial, identity, generated or volatile-default column, SET LOGGED... */
    REWRITE,
    /** {@code ALTER COLUMN c TYPE t}: a rewrite unless binary-coercible from the old type. */
    TYPE_CHANGE,
    /** Builds an index while writes wait: CREATE INDEX, ADD PRIMARY KEY / UNIQUE / EXCLUDE without USING INDEX. */
    INDEX_BUILD,
    /** A unique index built (any way), with its {@link #columns}: what a later {@code USING INDEX} refers to. */
    INDEX_DEFINED,
    /** {@code ADD PRIMARY KEY USING INDEX}: sets NOT NULL on the index's columns. */
    PRIMARY_KEY_USING_INDEX,
    /** REINDEX without CONCURRENTLY (of {@link #table}, of {@link #index}, or of everything when both are null). */
    REINDEX,
    /** ADD CHECK or FOREIGN KEY that scans the table because it is not NOT VALID. */
    VALIDATING_CONSTRAINT,
    /** {@code ALTER DOMAIN ... ADD CONSTRAINT} without NOT VALID: scans every column of the domain. */
    DOMAIN_CONSTRAINT,
    /** {@code CHECK (c IS NOT NULL)} added, validated or NOT VALID: what makes SET NOT NULL cheap. */
    NOT_NULL_CHECK,
    /** {@code VALIDATE CONSTRAINT name}: a scan under SHARE UPDATE EXCLUSIVE. */
    VALIDATE,
    /** {@code SET NOT NULL} on column {@link #name}. */
    SET_NOT_NULL,
    /** {@code ADD COLUMN ... NOT NULL} without a non-null default. */
    NOT_NULL_WITHOUT_DEFAULT,
    /** The statement takes ACCESS EXCLUSIVE on the table (held until the migration commits). */
    ACCESS_EXCLUSIVE,
    /** VACUUM FULL of the table, or of the whole database when {@link #table} is null. */
    VACUUM_FULL,
    /** CLUSTER of the table, or of every clustered table when {@link #table} is null. */
    CLUSTER,
    /** TRUNCATE of the table; {@link #flag} is CASCADE. */
    TRUNCATE,
    /** DROP DATABASE or DROP TABLESPACE. */
    DESTRUCTIVE,
    /** SET or RESET of setting {@link #name} ({@code role}, {@code session authorization}, {@code all} too). */
    SESSION_SETTING,
    /** UPDATE of the table. */
    UPDATE,
    /** DELETE from the table. */
    DELETE,
    /** LOCK TABLE, in mode {@link #name}. */
    LOCK_TABLE,
    /** DROP INDEX {@link #index} without CONCURRENTLY. */
    DROP_INDEX,
    /** DETACH PARTITION without CONCURRENTLY. */
    DETACH_PARTITION
  }

  public TableOperation {
    Objects.requireNonNull(kind, "kind");
    columns = List.copyOf(columns);
  }

  static TableOperation of(Kind kind, ObjectName table, String what) {
    return new TableOperation(kind, table, what, null, null, null, List.of(), false);
  }

  static TableOperation named(Kind kind, ObjectName table, String what, String name, boolean flag) {
    return new TableOperation(kind, table, what, name, null, null, List.of(), flag);
  }
}
