package dev.twostep.junit;

import dev.twostep.MigrationCatalog;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Asks for a fresh database at a schema state of a catalog, on a test method parameter, an
 * instance field (a new database per test) or a static field (one database for the class) of type
 * {@link javax.sql.DataSource} or {@link StateDatabase}. The database is dropped after the test
 * (or, for a static field, after the class).
 *
 * <pre>{@code
 * @Test
 * void oldCodeStillWorks(@AtState("2.0.0:pre") DataSource db) { ... }
 * }</pre>
 *
 * <p>Each state is built once per test run, by applying the catalog to a template database with
 * Twostep; every test then gets a copy ({@code CREATE DATABASE ... TEMPLATE}), which takes
 * milliseconds whatever the number of migrations. Works on its own (it registers the extension)
 * or inside a {@link TwostepTest} class, which supplies the catalog.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
@ExtendWith(TwostepExtension.class)
public @interface AtState {
  /**
   * The state: {@code "2.0.0:pre"}, {@code "2.0.0:post"}, {@code "2.0.0"} (its post),
   * {@code "pre"} (pre of the newest release), {@code "latest"} or {@code "post"} (everything
   * applied), or {@code "empty"} (a database on which nothing ran).
   */
  String value() default "latest";

  /**
   * The catalog; by default the one of the enclosing {@link TwostepTest}, or else the single
   * catalog registered on the class path.
   */
  Class<? extends MigrationCatalog> catalog() default MigrationCatalog.class;
}
