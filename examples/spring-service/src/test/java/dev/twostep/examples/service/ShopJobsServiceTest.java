package dev.twostep.examples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.twostep.Phase;
import dev.twostep.examples.shop.db.ShopMigrations;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import dev.twostep.spring.TwostepStartupException;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

/**
 * The service as deployed: the real Spring Boot application with its web server on a random port,
 * on a test PostgreSQL, spoken to over HTTP.
 */
class ShopJobsServiceTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private static Twostep shop(TestDatabase db) {
    return Twostep.builder().dataSource(db.dataSource()).catalog(new ShopMigrations()).build();
  }

  private static ConfigurableApplicationContext start(TestDatabase db, String... properties) {
    List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
        "--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.user()));
    if (db.password() != null) {
      args.add("--spring.datasource.password=" + db.password());
    }
    for (String p : properties) {
      args.add("--" + p);
    }
    SpringApplication application = new SpringApplication(ShopJobsService.class);
    application.setRegisterShutdownHook(false);
    return application.run(args.toArray(String[]::new));
  }

  private HttpResponse<String> call(ConfigurableApplicationContext context, String method, String path, String body)
      throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + path);
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
    return http.send(HttpRequest.newBuilder(uri).method(method, publisher).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void checkModeRefusesTheSchemaOfRelease2WithOneClearMessage() {
    try (TestDatabase db = TestPostgres.shared().createDatabase("service_old")) {
      shop(db).migrate(Target.of("2.0.0", Phase.POST));

      Throwable thrown = catchThrowable(() -> start(db).close());

      Throwable root = NestedExceptionUtils.getMostSpecificCause(thrown);
      Throwable failure = thrown;
      while (failure != null && !(failure instanceof TwostepStartupException)) {
        failure = failure.getCause();
      }
      assertThat(failure).as("behind %s", root).isInstanceOf(TwostepStartupException.class);
      assertThat(failure.getMessage()).isEqualTo("Twostep: refusing to start: code of release 3.0.0 needs schema state "
          + "3.0.0:pre or later, but the database is at 2.0.0:post. Apply `migrate --to 3.0.0:pre` first. (release 3.0.0 "
          + "is the newest of catalog Shop; history public.twostep_history) Migrate the database first (the catalog's "
          + "command line: migrate --to 3.0.0:pre), or deploy the code of a release that fits this schema. "
          + "twostep.mode=none skips this check.");
    }
  }

  @Test
  void preModeMigratesAndTheServiceRunsRelease3sCodeWithHealthUp() throws Exception {
    try (TestDatabase db = TestPostgres.shared().createDatabase("service_pre");
        ConfigurableApplicationContext context = start(db, "twostep.mode=pre")) {
      HttpResponse<String> enqueued = call(context, "POST", "/queues/mail/jobs?priority=5", "{\"to\": \"ada\"}");
      assertThat(enqueued.statusCode()).isEqualTo(200);
      assertThat(call(context, "GET", "/queues/mail", null).body()).contains("\"queued\":1");
      HttpResponse<String> next = call(context, "POST", "/queues/mail/next", null);
      assertThat(next.statusCode()).isEqualTo(200);
      assertThat(next.body()).isEqualTo(enqueued.body());
      assertThat(call(context, "POST", "/queues/mail/next", null).statusCode()).isEqualTo(204);

      HttpResponse<String> health = call(context, "GET", "/actuator/health", null);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"twostep\":{\"status\":\"UP\"").contains("\"state\":\"3.0.0:pre\"");
      HttpResponse<String> twostep = call(context, "GET", "/actuator/twostep", null);
      assertThat(twostep.body()).contains("\"state\":\"3.0.0:pre\"").contains("\"compatibleReleases\":[\"2.0.0\",\"3.0.0\"]");
      assertThat(shop(db).status().state()).isEqualTo(SchemaState.parse("3.0.0:pre"));
    }
  }

  @Test
  void healthIsDownWhenStartedWithoutTheCheckOnTheSchemaOfRelease2() throws Exception {
    try (TestDatabase db = TestPostgres.shared().createDatabase("service_down")) {
      shop(db).migrate(Target.of("2.0.0", Phase.POST));
      try (ConfigurableApplicationContext context = start(db, "twostep.mode=none")) {
        HttpResponse<String> health = call(context, "GET", "/actuator/health", null);
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"twostep\":{\"status\":\"DOWN\"")
            .contains("needs schema state 3.0.0:pre or later, but the database is at 2.0.0:post");
      }
    }
  }
}
