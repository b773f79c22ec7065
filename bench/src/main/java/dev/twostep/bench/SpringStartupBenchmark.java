package dev.twostep.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.twostep.Phase;
import dev.twostep.examples.shop.db.ShopMigrations;
import dev.twostep.runtime.Target;
import dev.twostep.runtime.Twostep;
import dev.twostep.spring.TwostepInitializer;
import dev.twostep.testing.TestDatabase;
import dev.twostep.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.metrics.StartupStep;

/**
 * Benchmark 6, Spring Boot start-up cost of {@code twostep.mode=check}: boots one small Boot
 * application again and again in this JVM on the Shop database at {@code 3.0.0:pre}, alternating
 * the starter on ({@code twostep.mode=check}) and off ({@code twostep.enabled=false}), with the
 * application's {@code DataSource} a Hikari pool opened and warmed once before the first boot (as
 * in a service whose pool is already warm). The cost is the difference of the median start-up
 * times; the rounds interleave so that drift of the machine hits both sides alike.
 *
 * <pre>bench/run.sh spring [--warmup 30] [--rounds 200]</pre>
 */
public final class SpringStartupBenchmark {
  private SpringStartupBenchmark() {}

  /** The application: nothing but auto-configuration, so the starter is what differs. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  /** The Twostep beans, whose creation Spring's start-up recording times one by one. */
  private static final Set<String> TWOSTEP_BEANS = Set.of("twostep", "twostepInitializer", "twostepMigrationToolGuard");

  /** Nanoseconds spent creating the Twostep beans during the last boot with the starter on. */
  private static long lastBeansNanos;

  private static long bootNanos(HikariDataSource pool, boolean twostep) {
    BufferingApplicationStartup recording = new BufferingApplicationStartup(20_000);
    recording.addFilter(step -> step.getName().equals("spring.beans.instantiate"));
    long start = System.nanoTime();
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
        .logStartupInfo(false).registerShutdownHook(false).applicationStartup(recording)
        .initializers(c -> c.getBeanFactory().registerSingleton("dataSource", pool))
        .properties("spring.main.banner-mode=off", twostep ? "twostep.mode=check" : "twostep.enabled=false")
        .run()) {
      long elapsed = System.nanoTime() - start;
      boolean ran = context.getBeanNamesForType(TwostepInitializer.class).length > 0;
      if (ran != twostep || (twostep && !context.getBean(TwostepInitializer.class).result().compatible())) {
        throw new IllegalStateException("the starter did not run as configured (twostep=" + twostep + ")");
      }
      if (twostep) {
        lastBeansNanos = twostepBeansNanos(recording.getBufferedTimeline());
      }
      return elapsed;
    }
  }

  /** The time of the outermost instantiations of Twostep's beans (one may create another). */
  private static long twostepBeansNanos(StartupTimeline timeline) {
    Set<Long> ours = new java.util.HashSet<>();
    long total = 0;
    for (StartupTimeline.TimelineEvent event : timeline.getEvents()) {
      String bean = null;
      for (StartupStep.Tag tag : event.getStartupStep().getTags()) {
        if (tag.getKey().equals("beanName")) {
          bean = tag.getValue();
        }
      }
      if (bean != null && TWOSTEP_BEANS.contains(bean)) {
        ours.add(event.getStartupStep().getId());
        if (!ours.contains(event.getStartupStep().getParentId())) {
          total += event.getDuration().toNanos();
        }
      }
    }
    return total;
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args, Set.of("warmup", "rounds", "results"));
    int warmup = options.integer("warmup", 30);
    int rounds = options.integer("rounds", 200);
    Path results = Path.of(options.string("results", "bench/results"));
    TestPostgres server = TestPostgres.shared();
    try (Report report = Report.open(results, "spring"); TestDatabase db = server.createDatabase("bench_spring")) {
      try (Connection c = db.connect()) {
        report.header("spring", "bench/run.sh spring --warmup " + warmup + " --rounds " + rounds, c);
      }
      Twostep.builder().dataSource(db.dataSource()).catalog(new ShopMigrations()).build()
          .migrate(Target.of("3.0.0", Phase.PRE));
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(db.url());
      config.setUsername(db.user());
      config.setPassword(db.password());
      config.setMinimumIdle(2);
      config.setMaximumPoolSize(2);
      try (HikariDataSource pool = new HikariDataSource(config)) {
        try (Connection warm = pool.getConnection()) {
          warm.isValid(1);
        }
        report.line("Spring Boot %s, Shop catalog (3 releases, %d migrations) at 3.0.0:pre, Hikari pool of 2 opened before the first boot",
            org.springframework.boot.SpringBootVersion.getVersion(), new ShopMigrations().migrations().size());
        for (int i = 0; i < warmup; i++) {
          bootNanos(pool, i % 2 == 0);
          bootNanos(pool, i % 2 != 0);
        }
        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        List<Double> beans = new ArrayList<>();
        report.line("round  off_ms  check_ms  twostep_beans_ms");
        for (int i = 0; i < rounds; i++) {
          // alternate which side goes first: neither always follows a garbage-making boot
          double on;
          double off;
          if (i % 2 == 0) {
            on = bootNanos(pool, true) / 1e6;
            off = bootNanos(pool, false) / 1e6;
          } else {
            off = bootNanos(pool, false) / 1e6;
            on = bootNanos(pool, true) / 1e6;
          }
          with.add(on);
          without.add(off);
          beans.add(lastBeansNanos / 1e6);
          report.line("%5d  %6.2f  %8.2f  %16.2f", i, off, on, lastBeansNanos / 1e6);
        }
        double medianOn = Stats.median(with);
        double medianOff = Stats.median(without);
        report.line("");
        report.line("boot without Twostep (twostep.enabled=false): median %.2f ms, p90 %.2f ms", medianOff,
            Stats.percentile(without, 90));
        report.line("boot with twostep.mode=check:               median %.2f ms, p90 %.2f ms", medianOn,
            Stats.percentile(with, 90));
        report.line("added by the starter in check mode (difference of medians): %.2f ms", medianOn - medianOff);
        report.line("creating Twostep's beans (catalog discovery, Flyway/Liquibase guard, the check on the warm pool), "
            + "as Spring's start-up recording times them: median %.2f ms, p90 %.2f ms", Stats.median(beans),
            Stats.percentile(beans, 90));
      }
      report.line("load average at the end: %s", Machine.loadAverage());
    }
  }
}
