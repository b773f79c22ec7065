package dev.twostep;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a column {@code NOT NULL} without a long lock: one annotation that the annotation
 * processor expands into a pre- and a post-migration, checked by the same rules as hand-written
 * migrations and shown by {@code plan} like them.
 *
 * <p>Pre-migration {@link #step()} of {@link #release()} adds {@code CHECK (column IS NOT NULL) NOT
 * VALID}, which every row written from then on must pass and which takes no scan. With a
 * {@link #backfill()} it first adds a bridge trigger that gives a {@code NULL} written by any code
 * the backfill's value, then sets the rows that hold {@code NULL} to it, a batch at a time, each
 * batch committed on its own (outside a transaction; an interrupted run is resumed by the next
 * {@code pre}). Without one, code of the previous release must already write no {@code NULL} and
 * no row may hold one. Post-migration {@link #step()} validates the check (a scan that blocks no
 * writes), sets {@code NOT NULL} (PostgreSQL skips its own scan given the validated check), and
 * drops the check and the bridge.
 *
 * <pre>{@code
 * @SetNotNull(release = "3.0.0", step = 2, table = "shop_jobs", column = "owner", backfill = "'unknown'")
 * final class JobsHaveAnOwner {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface SetNotNull {
  /** The release whose pre- and post-migrations make the column NOT NULL: 1 to 4 dot-separated integers. */
  String release();

  /** The step it takes both among the pre-migrations and among the post-migrations of its release. */
  int step();

  /** The table, optionally schema-qualified ({@code "billing.invoices"}). */
  String table();

  /** The column that becomes NOT NULL. */
  String column();

  /**
   * An SQL expression over the row's columns giving the value for a {@code NULL} (a constant such
   * as {@code "'unknown'"}, or {@code "created_at"}); it must read no other table. Blank for no
   * backfill.
   */
  String backfill() default "";
}
