package dev.twostep.spring;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Fails start-up before any bean is created when Flyway's or Liquibase's auto-configuration also
 * defined its migrator: two tools migrating one database would each run what the other does not
 * know about. Reads bean definitions only, so neither tool has run yet when it fails.
 */
final class MigrationToolGuard implements BeanFactoryPostProcessor {
  /** A migrator's class and the property that turns its auto-configuration off. */
  private record Tool(String name, String className, String property) {}

  private static final List<Tool> TOOLS = List.of(
      new Tool("Flyway", "org.flywaydb.core.Flyway", "spring.flyway.enabled"),
      new Tool("Liquibase", "liquibase.integration.spring.SpringLiquibase", "spring.liquibase.enabled"));

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    ClassLoader classLoader = beanFactory.getBeanClassLoader();
    List<String> found = new ArrayList<>();
    List<String> fixes = new ArrayList<>();
    for (Tool tool : TOOLS) {
      if (!ClassUtils.isPresent(tool.className(), classLoader)) {
        continue;
      }
      Class<?> type = ClassUtils.resolveClassName(tool.className(), classLoader);
      String[] beans = beanFactory.getBeanNamesForType(type, true, false);
      if (beans.length > 0) {
        found.add(tool.name() + " (bean " + String.join(", ", beans) + ")");
        fixes.add(tool.property() + "=false");
      }
    }
    if (!found.isEmpty()) {
      throw new TwostepStartupException(String.join(" and ", found) + " would also migrate the database Twostep manages.",
          "Turn its auto-configuration off with " + String.join(" and ", fixes) + " (see \"Migrating from Flyway\" in "
              + "Twostep's README), or set twostep.enabled=false.");
    }
  }
}
