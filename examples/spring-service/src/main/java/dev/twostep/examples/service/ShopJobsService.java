package dev.twostep.examples.service;

import dev.twostep.examples.shop.app.JobQueue;
import dev.twostep.examples.shop.app.Release3JobQueue;
import javax.sql.DataSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The Shop job queue's newest release (3.0.0) as a Spring Boot web service. Twostep's starter
 * checks at start-up that the schema fits release 3.0.0 (it refuses to start on the schema of
 * 2.0.0), and reports on {@code /actuator/health} and {@code /actuator/twostep}.
 */
@SpringBootApplication
public class ShopJobsService {
  /** Starts the service; the database comes from {@code spring.datasource.*}. */
  public static void main(String[] args) {
    SpringApplication.run(ShopJobsService.class, args);
  }

  /** The code of release 3.0.0, calling the database functions that release's migrations created. */
  @Bean
  JobQueue jobQueue(DataSource dataSource) {
    return new Release3JobQueue(dataSource);
  }
}
