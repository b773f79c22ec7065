package dev.twostep;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Changes a column's type without rewriting the table under an exclusive lock: one annotation that
 * the annotation processor expands into a pre- and a post-migration, checked by the same rules as
 * hand-written migrations and shown by {@code plan} like them.
 *
 * <p>Pre-migration {@link #step()} of {@link #release()} adds a shadow column
 * {@code twostep_new_<column>} of the new {@link #type()}, a bridge trigger that sets it from
 * {@link #column()} on every write (through {@link #using()}), a {@code CHECK (... IS NOT NULL) NOT
 * VALID} when the column is {@code NOT NULL}, and converts the rows written before in batches, each
 * committed on its own (outside a transaction; the next {@code pre} resumes an interrupted run).
 * Code of both releases reads and writes {@link #column()}, which keeps its old type until post.
 * Post-migration {@link #step()}, in one transaction, validates the check (a scan that blocks no
 * writes), sets {@code NOT NULL}, drops the bridge and the old column and renames the shadow
 * column to {@link #column()}: code of this release then reads the new type under the same name.
 *
 * <p>The old column's default, indexes and constraints are not carried over: declare them on the
 * new column in migrations of your own.
 *
 * <pre>{@code
 * @ChangeColumnType(release = "4.0.0", step = 1, table = "shop_jobs", column = "attempts", type = "bigint")
 * final class AttemptsAsBigint {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ChangeColumnType {
  /** The release whose pre- and post-migrations change the type: 1 to 4 dot-separated integers. */
  String release();

  /** The step it takes both among the pre-migrations and among the post-migrations of its release. */
  int step();

  /** The table, optionally schema-qualified. */
  String table();

  /** The column whose type changes. */
  String column();

  /** The new type, as SQL writes it ({@code "bigint"}, {@code "numeric(12, 2)"}). */
  String type();

  /**
   * An SQL expression over the row's columns converting the old value, as in {@code ALTER COLUMN
   * ... TYPE ... USING}; it must read no other table. Blank for {@code column::type}.
   */
  String using() default "";
}
