package dev.twostep;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Adds a unique constraint without blocking writes while its index builds: one annotation that the
 * annotation processor expands into a pre- and a post-migration, checked by the same rules as
 * hand-written migrations and shown by {@code plan} like them.
 *
 * <p>Pre-migration {@link #step()} of {@link #release()} builds the unique index with
 * {@code CREATE UNIQUE INDEX CONCURRENTLY} (outside a transaction, alone in its migration; writes go
 * on; the runner drops the INVALID index a failed build leaves before it tries again). From then
 * on a duplicate is refused, so code of the previous release must already write none.
 * Post-migration {@link #step()} turns the index into the constraint with {@code ADD CONSTRAINT ...
 * UNIQUE USING INDEX}: a short exclusive lock, no scan. Index and constraint are named
 * {@code <table>_<columns>_key}, as PostgreSQL would name the constraint.
 *
 * <pre>{@code
 * @AddUniqueConstraint(release = "3.0.0", step = 4, table = "shop_customers", columns = "email")
 * final class OneCustomerPerEmail {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface AddUniqueConstraint {
  /** The release whose pre- and post-migrations add the constraint: 1 to 4 dot-separated integers. */
  String release();

  /** The step it takes both among the pre-migrations and among the post-migrations of its release. */
  int step();

  /** The table, optionally schema-qualified. */
  String table();

  /** The columns that are unique together, in order. */
  String[] columns();
}
