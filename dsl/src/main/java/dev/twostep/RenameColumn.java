package dev.twostep;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Renames a column without downtime: one annotation that the annotation processor expands into
 * the pre- and post-migration of a blue-green rename, checked by the same rules as hand-written
 * migrations and shown by {@code plan} like them.
 *
 * <p>Pre-migration {@link #step()} of {@link #release()} adds column {@link #to()} with the type of
 * {@link #from()}, a bridge trigger that keeps both columns equal whichever release's code writes
 * (code of the previous release writes {@code from}, code of this release writes {@code to}; when
 * a write sets both differently, {@code to} wins), a {@code CHECK (to IS NOT NULL) NOT VALID} when
 * {@code from} is {@code NOT NULL}, and then copies {@code from} into {@code to} for the rows
 * written before, a batch at a time, each batch committed on its own. The pre-migration runs
 * outside a transaction; when it is interrupted, the next {@code pre} resumes the copy. Post-migration
 * {@link #step()} validates the check, sets {@code NOT NULL} (without a scan), and drops the bridge
 * and column {@code from}.
 *
 * <p>Code of this release reads and writes only {@code to}; the default and the indexes of
 * {@code from} are not carried over (add them in migrations of your own).
 *
 * <pre>{@code
 * @RenameColumn(release = "3.0.0", step = 1, table = "shop_jobs", from = "queue", to = "queue_name")
 * final class RenameQueue {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface RenameColumn {
  /** The release whose pre- and post-migrations do the rename: 1 to 4 dot-separated integers. */
  String release();

  /** The step the rename takes both among the pre-migrations and among the post-migrations of its release. */
  int step();

  /** The table, optionally schema-qualified ({@code "billing.invoices"}). */
  String table();

  /** The column's current name, which code of the previous release uses. */
  String from();

  /** The column's new name, which code of {@link #release()} uses. */
  String to();
}
