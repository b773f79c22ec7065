package dev.twostep.spring;

import dev.twostep.runtime.Twostep;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Spring Boot 3's health indicator {@code twostep}: UP when the code of the catalog's newest
 * release may run on the schema, DOWN (with the explanation) when it may not or the database
 * cannot be read.
 */
final class TwostepHealthIndicator implements HealthIndicator {
  private final TwostepReport report;

  TwostepHealthIndicator(Twostep twostep) {
    this.report = new TwostepReport(twostep, null);
  }

  @Override
  public Health health() {
    TwostepReport.HealthView view = report.health();
    Health.Builder builder = view.error() != null ? Health.down(view.error()) : view.up() ? Health.up() : Health.down();
    return builder.withDetails(view.details()).build();
  }
}
