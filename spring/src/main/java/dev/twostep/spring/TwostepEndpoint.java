package dev.twostep.spring;

import dev.twostep.runtime.Twostep;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The actuator endpoint {@code twostep} ({@code /actuator/twostep} once exposed): the catalog and
 * its newest release, the history table, the schema state, whether this release's code may run
 * on it, the applied and pending migrations (and any drift), and the catalog's releases whose
 * code may run on the schema now. Reads the database on each call.
 */
@Endpoint(id = "twostep")
public class TwostepEndpoint {
  private final TwostepReport report;

  /** An endpoint reporting on {@code twostep}. */
  public TwostepEndpoint(Twostep twostep) {
    this.report = new TwostepReport(twostep);
  }

  /** The report, as JSON for the actuator. */
  @ReadOperation
  public Map<String, Object> twostep() {
    return report.describe();
  }
}
