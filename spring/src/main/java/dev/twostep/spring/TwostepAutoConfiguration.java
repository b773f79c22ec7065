package dev.twostep.spring;

import dev.twostep.MigrationCatalog;
import dev.twostep.runtime.Twostep;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;

/**
 * Twostep's auto-configuration: a {@link Twostep} on the application's {@code DataSource} (or on
 * {@code twostep.url}) and the catalog found through {@code META-INF/services}, and the
 * {@link TwostepInitializer} that runs {@code twostep.mode} before the database's users start,
 * and the {@link TwostepInstanceRegistrar} that registers this instance for the deploy guard once
 * the initializer let the application start (off with {@code twostep.register-instance=false}).
 * Off with {@code twostep.enabled=false}. Works on Spring Boot 3.5 and 4.0: the data source
 * auto-configuration is named under both lines' packages.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@ConditionalOnClass(Twostep.class)
@ConditionalOnProperty(prefix = "twostep", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(TwostepProperties.class)
public class TwostepAutoConfiguration {
  /** Refuses to start beside Flyway's or Liquibase's auto-configuration. */
  @Bean
  static MigrationToolGuard twostepMigrationToolGuard() {
    return new MigrationToolGuard();
  }

  /**
   * The runtime on the application's {@code DataSource}, or on {@code twostep.url} with
   * {@code twostep.user} and {@code twostep.password} when set.
   *
   * @throws TwostepStartupException when there is no database or no single catalog
   */
  @Bean
  @ConditionalOnMissingBean
  public Twostep twostep(TwostepProperties properties, ObjectProvider<DataSource> dataSource, ResourceLoader resourceLoader) {
    MigrationCatalog catalog = CatalogSelection.choose(resourceLoader.getClassLoader(), properties.getCatalog());
    Twostep.Builder builder = Twostep.builder().catalog(catalog).schema(properties.getSchema())
        .table(properties.getTable()).lockTimeout(properties.getLockTimeout());
    if (properties.getUrl() != null && !properties.getUrl().isBlank()) {
      builder.url(properties.getUrl()).user(properties.getUser()).password(properties.getPassword());
    } else {
      DataSource source = dataSource.getIfUnique();
      if (source == null) {
        throw new TwostepStartupException("no DataSource for catalog " + catalog.name()
            + ": the application defines none, or several without a primary one.",
            "Configure spring.datasource.url, set twostep.url (with twostep.user and twostep.password), "
                + "or set twostep.enabled=false.");
      }
      builder.dataSource(source);
    }
    return builder.build();
  }

  /** Runs {@code twostep.mode} before the database's users are created. */
  @Bean
  @ConditionalOnMissingBean
  public TwostepInitializer twostepInitializer(Twostep twostep, TwostepProperties properties) {
    return new TwostepInitializer(twostep, properties.getMode());
  }

  /**
   * Registers this instance, with the catalog's newest release, on the {@link Twostep} bean's
   * database (the application's {@code DataSource}, or {@code twostep.url} when set) after the
   * initializer's check passed; deletes the registration when the context closes.
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "twostep", name = "register-instance", havingValue = "true", matchIfMissing = true)
  public TwostepInstanceRegistrar twostepInstanceRegistrar(Twostep twostep, TwostepInitializer initializer) {
    return new TwostepInstanceRegistrar(twostep, initializer);
  }
}
