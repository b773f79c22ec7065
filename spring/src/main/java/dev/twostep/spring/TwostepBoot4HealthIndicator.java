package dev.twostep.spring;

import dev.twostep.runtime.Twostep;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Spring Boot 4's health indicator {@code twostep} (Boot 4 moved health indicators to
 * {@code org.springframework.boot.health}): the same report as {@link TwostepHealthIndicator}.
 */
final class TwostepBoot4HealthIndicator implements HealthIndicator {
  private final TwostepReport report;

  TwostepBoot4HealthIndicator(Twostep twostep) {
    this.report = new TwostepReport(twostep, null);
  }

  @Override
  public Health health() {
    TwostepReport.HealthView view = report.health();
    Health.Builder builder = view.error() != null ? Health.down(view.error()) : view.up() ? Health.up() : Health.down();
    return builder.withDetails(view.details()).build();
  }
}
