package dev.twostep.processor.internal.model;

import java.util.List;
import java.util.Set;

/**
 * An expand/contract operation as read from its annotation ({@code @RenameColumn}, ...), in plain
 * values. The processor expands it into one pre- and one post-migration at {@link #step}.
 *
 * @param kind which operation
 * @param className the annotated class, the key back to the element
 * @param simpleName the class's simple name
 * @param packageName the class's package
 * @param release the {@code release} attribute as written
 * @param step the {@code step} attribute
 * @param table the {@code table} attribute as written
 * @param column the column it changes: {@code from} of a rename
 * @param newName the new column name of a rename, the new type of a type change, else {@code null}
 * @param expression the {@code backfill} of {@code @SetNotNull} (blank for none), the {@code references}
 *     of {@code @AddForeignKey}, the {@code using} of {@code @ChangeColumnType}, else {@code null}
 * @param keyColumns the {@code columns} of {@code @AddForeignKey} and {@code @AddUniqueConstraint}, else empty
 * @param suppressed the {@code @SuppressWarnings} values on the class
 */
public record Operation(
    Kind kind,
    String className,
    String simpleName,
    String packageName,
    String release,
    int step,
    String table,
    String column,
    String newName,
    String expression,
    List<String> keyColumns,
    Set<String> suppressed) {

  /** The operations, by annotation. */
  public enum Kind {
    RENAME_COLUMN("RenameColumn"),
    SET_NOT_NULL("SetNotNull"),
    ADD_FOREIGN_KEY("AddForeignKey"),
    ADD_UNIQUE_CONSTRAINT("AddUniqueConstraint"),
    CHANGE_COLUMN_TYPE("ChangeColumnType");

    private final String annotation;

    Kind(String annotation) {
      this.annotation = annotation;
    }

    /** The annotation's simple name, {@code "RenameColumn"}. */
    public String annotation() {
      return annotation;
    }
  }

  public Operation {
    suppressed = Set.copyOf(suppressed);
    keyColumns = List.copyOf(keyColumns);
  }

  /** {@code "@RenameColumn of release 3.0.0 step 1"}: how messages name the operation. */
  public String label() {
    return "@" + kind.annotation() + " of release " + release + " step " + step;
  }

  /** Whether its pre-migration copies rows in batches (and so runs outside a transaction). */
  public boolean backfills() {
    return kind == Kind.RENAME_COLUMN || kind == Kind.CHANGE_COLUMN_TYPE
        || (kind == Kind.SET_NOT_NULL && !expression.isBlank());
  }

  /**
   * The columns of {@link #table} whose values it rewrites or whose name it changes (a rename, NOT
   * NULL with its bridge): two such operations on one column in one release would fight. A key or
   * constraint only reads its columns.
   */
  public List<String> columns() {
    if (kind == Kind.ADD_FOREIGN_KEY || kind == Kind.ADD_UNIQUE_CONSTRAINT) {
      return List.of();
    }
    return kind == Kind.RENAME_COLUMN ? List.of(column, newName) : List.of(column);
  }
}
