package dev.twostep.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.Phase;
import dev.twostep.examples.shop.db.ShopMigrations;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The starter in real Spring Boot contexts on a real PostgreSQL, with the Shop catalog (releases
 * 1.0.0 to 3.0.0) found through META-INF/services. Runs on Boot 3.5 here and on Boot 4.0 in the
 * module spring-boot4.
 */
class TwostepAutoConfigurationTest {
  private static Twostep shop(TestDatabase db) {
    return Twostep.builder().dataSource(db.dataSource()).catalog(new ShopMigrations()).build();
  }

  private static TwostepStartupException startupFailure(Throwable thrown) {
    Throwable cause = thrown;
    while (cause != null && !(cause instanceof TwostepStartupException)) {
      cause = cause.getCause();
    }
    assertThat(cause).as("a TwostepStartupException behind %s", thrown).isNotNull();
    return (TwostepStartupException) cause;
  }

  private static boolean tableExists(TestDatabase db, String table) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  @Test
  void checkModeRefusesToStartOnTheSchemaOfAnOlderRelease() {
    try (TestDatabase db = TestPostgres.shared().createDatabase("spring_check_old")) {
      shop(db).migrate(Target.of("2.0.0", Phase.POST));

      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> TestApplication.start(db).close());

      TwostepStartupException failure = startupFailure(thrown);
      assertThat(failure.description())
          .startsWith("refusing to start: code of release 3.0.0 needs schema state 3.0.0:pre or later, but the database is at 2.0.0:post")
          .contains("release 3.0.0 is the newest of catalog Shop");
      assertThat(failure.action()).contains("migrate --to 3.0.0:pre").contains("twostep.mode=none");
      assertThat(shop(db).status().state()).isEqualTo(SchemaState.parse("2.0.0:post"));
    }
  }

  @Test
  void checkModeStartsOnPreOfTheNewestReleaseAndChangesNothing() {
    try (TestDatabase db = TestPostgres.shared().createDatabase("spring_check_ok")) {
      shop(db).migrate(Target.of("3.0.0", Phase.PRE));

      try (ConfigurableApplicationContext context = TestApplication.start(db)) {
        assertThat(context.getBean(TwostepInitializer.class).result().compatible()).isTrue();
        assertThat(context.getBean(TwostepInitializer.class).result().state()).isEqualTo(SchemaState.parse("3.0.0:pre"));
      }
      assertThat(shop(db).status().state()).isEqualTo(SchemaState.parse("3.0.0:pre"));
    }
  }

  /** Reads the Shop table while it is created: only works when Twostep ran first. */
  @Component
  static class JobCounter {
    final long jobs;

    JobCounter(JdbcTemplate jdbc) {
      this.jobs = jdbc.queryForObject("SELECT count(*) FROM shop_jobs", Long.class);
    }
  }

  @Test
  void preModeAppliesUpToPreBeforeJdbcTemplateUsersStart() {
    try (TestDatabase db = TestPostgres.shared().createDatabase("spring_pre")) {
      try (ConfigurableApplicationContext context =
          TestApplication.builder(db, "twostep.mode=pre").sources(JobCounter.class).run()) {
        assertThat(context.getBean(JobCounter.class).jobs).isZero();
        assertThat(context.getBean(TwostepInitializer.class).result().state()).isEqualTo(SchemaState.parse("3.0.0:pre"));
      }
      assertThat(shop(db).status().state()).isEqualTo(SchemaState.parse("3.0.0:pre"));
    }
  }

  @Test
  void migrateModeAppliesEverything() {
    try (TestDatabase db = TestPostgres.shared().createDatabase("spring_migrate")) {
      try (ConfigurableApplicationContext context = TestApplication.start(db, "twostep.mode=migrate")) {
        assertThat(context.getBean(TwostepInitializer.class).result().compatible()).isTrue();
      }
      assertThat(shop(db).status().state()).isEqualTo(SchemaState.parse("3.0.0:post"));
    }
  }

  @Test
  void noneModeAndDisabledTouchNothing() throws SQLException {
    try (TestDatabase db = TestPostgres.shared().createDatabase("spring_none")) {
      try (ConfigurableApplicationContext context = TestApplication.start(db, "twostep.mode=none")) {
        assertThat(context.getBean(TwostepInitializer.class).result()).isNull();
      }
      try (ConfigurableApplicationContext context = TestApplication.start(db, "twostep.enabled=false")) {
        assertThatThrownBy(() -> context.getBean(Twostep.class)).isInstanceOf(NoSuchBeanDefinitionException.class);
      }
      assertThat(tableExists(db, "public.twostep_history")).isFalse();
    }
  }

  @Test
  void historyTablePropertiesAreUsed() throws SQLException {
    try (TestDatabase db = TestPostgres.shared().createDatabase("spring_table")) {
      try (ConfigurableApplicationContext context =
          TestApplication.start(db, "twostep.mode=pre", "twostep.schema=deploy", "twostep.table=shop_history")) {
        assertThat(context.getBean(Twostep.class).historyTable()).isEqualTo("deploy.shop_history");
      }
      assertThat(tableExists(db, "deploy.shop_history")).isTrue();
      assertThat(tableExists(db, "public.twostep_history")).isFalse();
    }
  }

  @Test
  void twostepUrlMigratesASeparateDatabaseWithItsOwnCredentials() throws SQLException {
    try (TestDatabase app = TestPostgres.shared().createDatabase("spring_app");
        TestDatabase migrated = TestPostgres.shared().createDatabase("spring_migrated")) {
      String[] properties = migrated.password() == null
          ? new String[] {"twostep.mode=pre", "twostep.url=" + migrated.url(), "twostep.user=" + migrated.user()}
          : new String[] {"twostep.mode=pre", "twostep.url=" + migrated.url(), "twostep.user=" + migrated.user(),
              "twostep.password=" + migrated.password()};
      try (ConfigurableApplicationContext context = TestApplication.start(app, properties)) {
        assertThat(context.getBean(TwostepInitializer.class).result().compatible()).isTrue();
      }
      assertThat(tableExists(migrated, "shop_jobs")).isTrue();
      assertThat(tableExists(app, "shop_jobs")).isFalse();
    }
  }

  @Test
  void severalCatalogsAreNamedUntilTwostepCatalogPicksOne() throws SQLException {
    try (TestDatabase db = TestPostgres.shared().createDatabase("spring_catalogs")) {
      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() ->
          TestApplication.builder(db, "twostep.mode=pre").resourceLoader(TestApplication.withSecondCatalog()).run().close());
      TwostepStartupException failure = startupFailure(thrown);
      assertThat(failure.description()).isEqualTo("2 migration catalogs on the class path: "
          + "Inventory (dev.twostep.spring.InventoryCatalog), Shop (dev.twostep.examples.shop.db.ShopMigrations).");
      assertThat(failure.action()).isEqualTo("Choose one with twostep.catalog=<name>.");

      Throwable unknown = org.assertj.core.api.Assertions.catchThrowable(() -> TestApplication
          .builder(db, "twostep.mode=pre", "twostep.catalog=Stock").resourceLoader(TestApplication.withSecondCatalog())
          .run().close());
      assertThat(startupFailure(unknown).description()).startsWith("twostep.catalog=Stock names no catalog on the class path");

      try (ConfigurableApplicationContext context = TestApplication
          .builder(db, "twostep.mode=pre", "twostep.catalog=Inventory").resourceLoader(TestApplication.withSecondCatalog())
          .run()) {
        assertThat(context.getBean(Twostep.class).catalog().name()).isEqualTo("Inventory");
      }
      assertThat(tableExists(db, "inventory")).isTrue();
      assertThat(tableExists(db, "shop_jobs")).isFalse();
    }
  }

  @Test
  void flywayAutoConfigurationLeftOnFailsStartupNamingTheProperty() throws SQLException {
    try (TestDatabase db = TestPostgres.shared().createDatabase("spring_flyway")) {
      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() ->
          TestApplication.start(db, "twostep.mode=pre", "spring.flyway.enabled=true").close());
      TwostepStartupException failure = startupFailure(thrown);
      assertThat(failure.description()).startsWith("Flyway (bean ").endsWith(" would also migrate the database Twostep manages.");
      assertThat(failure.action()).startsWith("Turn its auto-configuration off with spring.flyway.enabled=false ");
      // refused before either tool ran
      assertThat(tableExists(db, "flyway_schema_history")).isFalse();
      assertThat(tableExists(db, "public.twostep_history")).isFalse();
    }
  }

  @Test
  void liquibaseAutoConfigurationLeftOnFailsStartupNamingTheProperty() throws SQLException {
    try (TestDatabase db = TestPostgres.shared().createDatabase("spring_liquibase")) {
      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() ->
          TestApplication.start(db, "spring.liquibase.enabled=true").close());
      TwostepStartupException failure = startupFailure(thrown);
      assertThat(failure.description()).startsWith("Liquibase (bean ");
      assertThat(failure.action()).startsWith("Turn its auto-configuration off with spring.liquibase.enabled=false ");
      assertThat(tableExists(db, "databasechangelog")).isFalse();
    }
  }

  @Test
  void endpointShowsStateMigrationsAndCompatibleReleases() {
    try (TestDatabase db = TestPostgres.shared().createDatabase("spring_endpoint")) {
      shop(db).migrate(Target.of("3.0.0", Phase.PRE));
      try (ConfigurableApplicationContext context = TestApplication.start(db)) {
        Map<String, Object> report = context.getBean(TwostepEndpoint.class).twostep();
        assertThat(report).containsEntry("catalog", "Shop").containsEntry("release", "3.0.0")
            .containsEntry("state", "3.0.0:pre").containsEntry("compatible", true)
            .containsEntry("compatibleReleases", List.of("2.0.0", "3.0.0"))
            .containsEntry("historyTable", "public.twostep_history");
        assertThat(report.get("applied").toString()).startsWith("[1.0.0:pre #1 ");
        assertThat((List<?>) report.get("pending")).isNotEmpty().allMatch(m -> m.toString().startsWith("3.0.0:post"));
        assertThat(healthStatus(context)).isEqualTo("UP");
      }
    }
  }

  @Test
  void healthIsDownWhenThisReleaseMayNotRunOnTheSchema() {
    try (TestDatabase db = TestPostgres.shared().createDatabase("spring_health")) {
      shop(db).migrate(Target.of("2.0.0", Phase.POST));
      try (ConfigurableApplicationContext context = TestApplication.start(db, "twostep.mode=none")) {
        assertThat(healthStatus(context)).isEqualTo("DOWN");
        assertThat(context.getBean(TwostepEndpoint.class).twostep()).containsEntry("compatible", false)
            .containsEntry("compatibleReleases", List.of("2.0.0"));
      }
    }
  }

  /** The status of the bean twostepHealthIndicator, whose type differs between Boot 3 and Boot 4. */
  private static String healthStatus(ConfigurableApplicationContext context) {
    try {
      Object indicator = context.getBean("twostepHealthIndicator");
      Object health = indicator.getClass().getMethod("health").invoke(indicator);
      return health.getClass().getMethod("getStatus").invoke(health).toString();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(NestedExceptionUtils.getMostSpecificCause(e));
    }
  }
}
