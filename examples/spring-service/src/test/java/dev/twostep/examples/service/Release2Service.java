package dev.twostep.examples.service;

import dev.twostep.examples.shop.app.JobQueue;
import dev.twostep.examples.shop.app.Release2JobQueue;
import java.net.URL;
import java.net.URLClassLoader;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The service as release 2.0.0 shipped it: the same web endpoints on release 2.0.0's code, with
 * the Shop catalog of that release ({@link Release2Catalog}, chosen with
 * {@code twostep.catalog}), so the starter checks and registers release 2.0.0. Not a
 * {@code @Configuration}, so that {@link ShopJobsService}'s component scan does not pick it up.
 */
@EnableAutoConfiguration
@Import(JobController.class)
class Release2Service {
  /** The class loader release 2.0.0's jar would bring: it registers {@link Release2Catalog} too. */
  static DefaultResourceLoader resourceLoader() {
    URL catalog = Release2Service.class.getClassLoader().getResource("release2-catalog/");
    return new DefaultResourceLoader(new URLClassLoader(new URL[] {catalog}, Release2Service.class.getClassLoader()));
  }

  /** The code of release 2.0.0. */
  @Bean
  JobQueue jobQueue(DataSource dataSource) {
    return new Release2JobQueue(dataSource);
  }
}
