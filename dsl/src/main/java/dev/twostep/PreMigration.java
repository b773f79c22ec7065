package dev.twostep;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a <em>pre-migration</em> of a release: it runs while the code of the previous
 * release still serves traffic, so it may only expand the schema (add tables, nullable columns,
 * new versions of functions, indexes built {@code CONCURRENTLY}, constraints {@code NOT VALID}).
 *
 * <p>With a non-blank {@link #sql()} the class is an SQL migration and needs no body. With a blank
 * {@code sql} the class must implement {@link JavaMigration} and have a no-argument constructor
 * that the generated catalog can call. The annotation processor checks both, together with the
 * ordering and versioning rules, at compile time.
 *
 * <pre>{@code
 * @PreMigration(release = "2.0.0", step = 1, sql = """
 *     ALTER TABLE shop_jobs ADD COLUMN priority int NOT NULL DEFAULT 0;
 *     """)
 * final class AddPriority {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface PreMigration {
  /** The release this migration belongs to: 1 to 4 dot-separated non-negative integers. */
  String release();

  /** The position of this migration among the pre-migrations of its release, from 1 without gaps. */
  int step();

  /** The SQL to run; blank for a {@link JavaMigration}. */
  String sql() default "";

  /** A human description; by default the class's simple name split into lower-case words. */
  String description() default "";
}
