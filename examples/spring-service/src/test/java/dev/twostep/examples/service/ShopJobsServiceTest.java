package dev.twostep.examples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.twostep.Phase;
import dev.twostep.examples.shop.db.ShopMigrations;
import dev.twostep.runtime.LiveInstance;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import dev.twostep.runtime.cli.TwostepCommandLine;
import dev.twostep.spring.TwostepStartupException;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    return start(new SpringApplication(ShopJobsService.class), db, properties);
  }

  /** Release 2.0.0 of the service: its code and its catalog ({@link Release2Service}). */
  private static ConfigurableApplicationContext startRelease2(TestDatabase db) {
    SpringApplication release2 = new SpringApplication(Release2Service.resourceLoader(), Release2Service.class);
    return start(release2, db, "twostep.catalog=" + Release2Catalog.class.getName());
  }

  private static ConfigurableApplicationContext start(SpringApplication application, TestDatabase db, String... properties) {
    List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
        "--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.user()));
    if (db.password() != null) {
      args.add("--spring.datasource.password=" + db.password());
    }
    for (String p : properties) {
      args.add("--" + p);
    }
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

  /** {@code post} as the deploy pipeline runs it: the catalog's command line; standard error is kept in {@code err}. */
  private static int post(TestDatabase db, StringWriter err) {
    List<String> args = new ArrayList<>(List.of("post", "--url", db.url(), "--user", db.user()));
    if (db.password() != null) {
      args.addAll(List.of("--password", db.password()));
    }
    return new TwostepCommandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), Map.of())
        .run(new ShopMigrations(), args.toArray(String[]::new));
  }

  @Test
  void aLiveInstanceOfRelease2HoldsPostOf3BackUntilItStops() throws Exception {
    try (TestDatabase db = TestPostgres.shared().createDatabase("service_guard")) {
      shop(db).migrate(Target.of("2.0.0", Phase.POST));
      ConfigurableApplicationContext release2 = startRelease2(db);
      try {
        // release 2.0.0 serves; the deployer runs pre of 3.0.0 and starts release 3.0.0 next to it
        assertThat(call(release2, "POST", "/queues/mail/jobs?priority=1", "{\"to\": \"ada\"}").statusCode()).isEqualTo(200);
        shop(db).migrate(Target.newest(Phase.PRE));
        try (ConfigurableApplicationContext release3 = start(db)) {
          List<LiveInstance> live = shop(db).instances();
          assertThat(live).extracting(LiveInstance::release).containsExactly("2.0.0", "3.0.0");
          LiveInstance old = live.get(0);
          assertThat(old.pid()).isEqualTo(ProcessHandle.current().pid());
          assertThat(call(release3, "GET", "/actuator/twostep", null).body())
              .contains("\"instances\":[{\"release\":\"2.0.0\",\"host\":\"" + old.host() + "\",\"pid\":" + old.pid()
                  + ",\"instanceId\":\"" + old.instanceId() + "\"");

          StringWriter refused = new StringWriter();
          assertThat(post(db, refused)).isEqualTo(TwostepCommandLine.REFUSED);
          assertThat(refused.toString()).contains("2.0.0").contains(old.host()).contains("pid " + old.pid())
              .contains(old.instanceId());
          assertThat(shop(db).status().state()).isEqualTo(SchemaState.parse("3.0.0:pre"));

          release2.close();
          assertThat(shop(db).instances()).extracting(LiveInstance::release).containsExactly("3.0.0");
          StringWriter err = new StringWriter();
          assertThat(post(db, err)).as(err.toString()).isEqualTo(TwostepCommandLine.OK);
          assertThat(shop(db).status().state()).isEqualTo(SchemaState.parse("3.0.0:post"));
          assertThat(call(release3, "GET", "/actuator/health", null).body()).contains("\"twostep\":{\"status\":\"UP\"");
        }
        assertThat(shop(db).instances()).isEmpty();
      } finally {
        release2.close();
      }
    }
  }
}
