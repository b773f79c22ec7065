package dev.twostep.spring;

import java.util.Set;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

/**
 * Tells Spring Boot that {@link TwostepInitializer} initializes the database, so that beans which
 * depend on database initialization (JPA's {@code EntityManagerFactory}, {@code JdbcTemplate},
 * beans marked {@code @DependsOnDatabaseInitialization}) are created after it, as with Flyway; and
 * the {@link TwostepInstanceRegistrar} too, so that those beans are created after the instance
 * registered and destroyed before its registration is deleted.
 */
final class TwostepDatabaseInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {
  @Override
  protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
    return Set.of(TwostepInitializer.class, TwostepInstanceRegistrar.class);
  }
}
