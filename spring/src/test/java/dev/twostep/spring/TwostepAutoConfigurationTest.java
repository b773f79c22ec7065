package dev.twostep.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.Phase;
import com.zaxxer.hikari.HikariDataSource;
import dev.twostep.examples.shop.db.ShopMigrations;
import dev.twostep.runtime.InstanceRegistration;
import dev.twostep.runtime.LiveInstance;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import javax.sql.DataSource;
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

  /**
   * Makes {@code db} remember every row ever inserted into {@code public.twostep_instances} (which
   * the deployer created), so a test sees registrations that were deleted again.
   */
  private static void recordRegistrations(TestDatabase db) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE registrations_seen (instance_id text, release text, pid bigint)");
      s.execute("CREATE FUNCTION note_registration() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
          + "INSERT INTO registrations_seen VALUES (NEW.instance_id, NEW.release, NEW.pid); RETURN NEW; END $$");
      s.execute("CREATE TRIGGER note_registration AFTER INSERT ON public.twostep_instances "
          + "FOR EACH ROW EXECUTE FUNCTION note_registration()");
    }
  }

  /** The registrations {@link #recordRegistrations} saw: instance id and release. */
  private static List<String> registrationsSeen(TestDatabase db) throws SQLException {
    List<String> seen = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT instance_id, release FROM registrations_seen ORDER BY instance_id")) {
      while (rs.next()) {
        seen.add(rs.getString(1) + " " + rs.getString(2));
      }
    }
    return seen;
  }

  /** Waits until the application's Hikari pool has no connection in use: start-up holds none for good. */
  private static void awaitNoConnectionInUse(ConfigurableApplicationContext context) throws SQLException {
    HikariDataSource pool = context.getBean(DataSource.class).unwrap(HikariDataSource.class);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (pool.getHikariPoolMXBean().getActiveConnections() > 0) {
      assertThat(Instant.now()).as("a connection of the pool stays in use").isBefore(deadline);
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }

  @Test
  void checkModeRefusesToStartOnTheSchemaOfAnOlderRelease() throws SQLException {
    try (TestDatabase db = TestPostgres.shared().createDatabase("spring_check_old")) {
      shop(db).migrate(Target.of("2.0.0", Phase.POST));
      recordRegistrations(db);

      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> TestApplication.start(db).close());

      TwostepStartupException failure = startupFailure(thrown);
      assertThat(failure.description())
          .startsWith("refusing to start: code of release 3.0.0 needs schema state 3.0.0:pre or later, but the database is at 2.0.0:post")
          .contains("release 3.0.0 is the newest of catalog Shop");
      assertThat(failure.action()).contains("migrate --to 3.0.0:pre").contains("twostep.mode=none");
      assertThat(shop(db).status().state()).isEqualTo(SchemaState.parse("2.0.0:post"));
      // an instance that refused to start never counted as live, not even for a moment
      assertThat(registrationsSeen(db)).isEmpty();
    }
  }

  @Test
  void registersTheNewestReleaseOnceTheCheckPassedAndDeregistersWhenTheContextCloses() throws Exception {
    try (TestDatabase db = TestPostgres.shared().createDatabase("spring_register")) {
      shop(db).migrate(Target.of("3.0.0", Phase.PRE));
      recordRegistrations(db);

      String instanceId;
      try (ConfigurableApplicationContext context = TestApplication.start(db)) {
        InstanceRegistration registration = context.getBean(TwostepInstanceRegistrar.class).registration();
        instanceId = registration.instanceId();
        List<LiveInstance> live = shop(db).instances();
        assertThat(live).hasSize(1);
        assertThat(live.get(0).instanceId()).isEqualTo(instanceId);
        assertThat(live.get(0).release()).isEqualTo("3.0.0");
        assertThat(live.get(0).pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(live.get(0).lease()).isEqualTo(Duration.ofSeconds(30));
        // registered through the application's pool, which it does not keep a connection of
        awaitNoConnectionInUse(context);
      }
      assertThat(shop(db).instances()).isEmpty();
      assertThat(registrationsSeen(db)).containsExactly(instanceId + " 3.0.0");
    }
  }

  @Test
  void aRegistrationTheDatabaseRefusesFailsStartupUnlessRegisterInstanceIsFalse() throws SQLException {
    try (TestDatabase db = TestPostgres.shared().createDatabase("spring_replica")) {
      shop(db).migrate(Target.of("3.0.0", Phase.PRE));
      // what a hot standby answers to writes (SQLSTATE 25006): an application on a read replica
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("ALTER DATABASE \"" + db.name() + "\" SET default_transaction_read_only = on");
      }

      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> TestApplication.start(db).close());

      TwostepStartupException failure = startupFailure(thrown);
      assertThat(failure.description()).startsWith("cannot register this instance of release 3.0.0 for the deploy guard: ")
          .contains("SQLSTATE 25006").contains("register through a DataSource on the primary");
      assertThat(failure.action()).contains("twostep.register-instance=false");
      try (ConfigurableApplicationContext context = TestApplication.start(db, "twostep.register-instance=false")) {
        assertThat(context.getBean(TwostepInitializer.class).result().compatible()).isTrue();
      }
    }
  }

  @Test
  void registerInstanceFalseRegistersNothing() throws SQLException {
    try (TestDatabase db = TestPostgres.shared().createDatabase("spring_no_register")) {
      shop(db).migrate(Target.of("3.0.0", Phase.PRE));
      recordRegistrations(db);
      try (ConfigurableApplicationContext context = TestApplication.start(db, "twostep.register-instance=false")) {
        assertThat(context.getBean(TwostepInitializer.class).result().compatible()).isTrue();
        assertThatThrownBy(() -> context.getBean(TwostepInstanceRegistrar.class))
            .isInstanceOf(NoSuchBeanDefinitionException.class);
        assertThat(shop(db).instances()).isEmpty();
        Map<String, Object> report = context.getBean(TwostepEndpoint.class).twostep();
        assertThat(report).doesNotContainKey("instanceId").containsEntry("instances", List.of());
      }
      assertThat(registrationsSeen(db)).isEmpty();
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
  void noneModeOnlyRegistersAndDisabledTouchesNothing() throws SQLException {
    try (TestDatabase db = TestPostgres.shared().createDatabase("spring_none")) {
      try (ConfigurableApplicationContext context = TestApplication.start(db, "twostep.mode=none")) {
        assertThat(context.getBean(TwostepInitializer.class).result()).isNull();
        // no check, but the instance runs release 3.0.0's code: the deploy guard must see it
        assertThat(shop(db).instances()).extracting(LiveInstance::release).containsExactly("3.0.0");
      }
      assertThat(shop(db).instances()).isEmpty();
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
        // registered where the check looked: the database of twostep.url
        assertThat(shop(migrated).instances()).extracting(LiveInstance::release).containsExactly("3.0.0");
        assertThat(shop(app).instances()).isEmpty();
      }
      assertThat(shop(migrated).instances()).isEmpty();
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

        InstanceRegistration registration = shop(db).registerInstance("2.0.0");
        try {
          List<?> instances = (List<?>) context.getBean(TwostepEndpoint.class).twostep().get("instances");
          assertThat(instances).hasSize(2);
          Map<?, ?> self = (Map<?, ?>) instances.get(0);
          assertThat(self.get("instanceId")).isEqualTo(report.get("instanceId"));
          assertThat(self.get("release")).isEqualTo("3.0.0");
          assertThat(self.get("pid")).isEqualTo(ProcessHandle.current().pid());
          assertThat(self.get("host")).isNotNull();
          assertThat(Instant.parse((String) self.get("lastSeen"))).isAfterOrEqualTo(Instant.parse((String) self.get("startedAt")));
          assertThat(self.get("lease")).isEqualTo("PT30S");
          Map<?, ?> other = (Map<?, ?>) instances.get(1);
          assertThat(other.get("instanceId")).isEqualTo(registration.instanceId());
          assertThat(other.get("release")).isEqualTo("2.0.0");
        } finally {
          registration.close();
        }
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
