package dev.twostep;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Adds a foreign key without a long lock: one annotation that the annotation processor expands
 * into a pre- and a post-migration, checked by the same rules as hand-written migrations and shown
 * by {@code plan} like them.
 *
 * <p>Pre-migration {@link #step()} of {@link #release()} adds the constraint {@code NOT VALID}: a
 * short lock on both tables and no scan; every row written from then on must satisfy it, so code
 * of the previous release must already write only rows that do. Post-migration {@link #step()}
 * validates it: a scan that blocks no writes ({@code SHARE UPDATE EXCLUSIVE} on {@link #table()},
 * {@code ROW SHARE} on the referenced table). The constraint is named
 * {@code <table>_<columns>_fkey}, as PostgreSQL would name it.
 *
 * <pre>{@code
 * @AddForeignKey(release = "3.0.0", step = 3, table = "shop_jobs", columns = "customer_id",
 *     references = "shop_customers (id)")
 * final class JobsBelongToCustomers {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface AddForeignKey {
  /** The release whose pre- and post-migrations add the key: 1 to 4 dot-separated integers. */
  String release();

  /** The step it takes both among the pre-migrations and among the post-migrations of its release. */
  int step();

  /** The referencing table, optionally schema-qualified. */
  String table();

  /** The referencing columns, in order. */
  String[] columns();

  /** The referenced table with its columns, as SQL writes it after {@code REFERENCES}: {@code "shop_customers (id)"}. */
  String references();
}
