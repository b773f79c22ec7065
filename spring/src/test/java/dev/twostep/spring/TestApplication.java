package dev.twostep.spring;

import dev.twostep.testing.TestDatabase;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * A Spring Boot application with every auto-configuration on the test class path, booted for
 * real on a test database. Flyway and Liquibase are on that class path for the guard's tests, so
 * their auto-configuration is off unless a test turns it back on.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestApplication {
  /** Boots the application on {@code db} with {@code properties} ({@code name=value}) after the defaults. */
  static ConfigurableApplicationContext start(TestDatabase db, String... properties) {
    return builder(db, properties).run();
  }

  /** The builder {@link #start} runs, for tests that add beans or a class loader. */
  static SpringApplicationBuilder builder(TestDatabase db, String... properties) {
    List<String> all = new ArrayList<>(List.of(
        "spring.datasource.url=" + db.url(), "spring.datasource.username=" + db.user(),
        "spring.flyway.enabled=false", "spring.liquibase.enabled=false", "spring.main.banner-mode=off"));
    if (db.password() != null) {
      all.add("spring.datasource.password=" + db.password());
    }
    // later values win: a test can turn Flyway back on
    all.addAll(List.of(properties));
    return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE).logStartupInfo(false)
        .registerShutdownHook(false).properties(all.toArray(String[]::new));
  }

  /** A class loader that sees the test class path plus a second catalog, Inventory. */
  static DefaultResourceLoader withSecondCatalog() {
    URL extra = TestApplication.class.getClassLoader().getResource("second-catalog/");
    return new DefaultResourceLoader(new URLClassLoader(new URL[] {extra}, TestApplication.class.getClassLoader()));
  }
}
