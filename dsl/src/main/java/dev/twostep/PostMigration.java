package dev.twostep;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a <em>post-migration</em> of a release: it runs once no instance of the
 * previous release's code is left, so it may contract the schema (drop what only the previous
 * release used, validate constraints, set {@code NOT NULL}, drop bridge objects).
 *
 * <p>With a non-blank {@link #sql()} the class is an SQL migration and needs no body. With a blank
 * {@code sql} the class must implement {@link JavaMigration} and have a no-argument constructor
 * that the generated catalog can call.
 *
 * <pre>{@code
 * @PostMigration(release = "2.0.0", step = 1, sql = "DROP FUNCTION shop_fetch_job_v1(text);")
 * final class DropFetchJobV1 {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface PostMigration {
  /** The release this migration belongs to: 1 to 4 dot-separated non-negative integers. */
  String release();

  /** The position of this migration among the post-migrations of its release, from 1 without gaps. */
  int step();

  /** The SQL to run; blank for a {@link JavaMigration}. */
  String sql() default "";

  /** A human description; by default the class's simple name split into lower-case words. */
  String description() default "";
}
