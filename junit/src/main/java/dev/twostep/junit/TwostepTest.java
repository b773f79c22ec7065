package dev.twostep.junit;

import dev.twostep.MigrationCatalog;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class whose tests get databases of {@link #catalog()}: a parameter or field of type
 * {@link javax.sql.DataSource} or {@link StateDatabase} is a fresh database at the state named by
 * its {@link AtState} (the newest release's post, {@code "latest"}, without one); a parameter of
 * type {@link dev.twostep.runtime.snapshot.RehearsalReport} is the rehearsal of the catalog.
 *
 * <pre>{@code
 * @TwostepTest(catalog = ShopMigrations.class)
 * class JobRepositoryTest {
 *   @Test void oldCodeRunsOnPre(@AtState("2.0.0:pre") DataSource db) { ... }
 *   @Test void newCodeRunsOnLatest(DataSource db) { ... }
 *   @Test void releasesAreSafe(RehearsalReport report) { assertTrue(report.passed(), report.render()); }
 * }
 * }</pre>
 *
 * <p>Nested test classes inherit the nearest enclosing {@code @TwostepTest}. Databases live on the
 * embedded PostgreSQL of {@code twostep-testing}, or on the server named by the environment
 * variable {@code TWOSTEP_TEST_URL}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(TwostepExtension.class)
public @interface TwostepTest {
  /**
   * The catalog, usually the generated {@code <Name>Migrations}; it needs a no-argument
   * constructor. Without it, the single catalog registered on the class path is used.
   */
  Class<? extends MigrationCatalog> catalog() default MigrationCatalog.class;
}
