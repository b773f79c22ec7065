package dev.twostep.spring;

import dev.twostep.runtime.Twostep;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The actuator endpoint {@code twostep} ({@code /actuator/twostep} once exposed): the catalog and
 * its newest release, the history table, the schema state, whether this release's code may run
 * on it, the applied and pending migrations (and any drift), the catalog's releases whose code
 * may run on the schema now, this instance's registration id and the application instances live
 * now (release, host, pid, instance id, started, last seen). Reads the database on each call.
 */
@Endpoint(id = "twostep")
public class TwostepEndpoint {
  private final TwostepReport report;

  /** An endpoint reporting on {@code twostep}, for an application that does not register itself. */
  public TwostepEndpoint(Twostep twostep) {
    this(twostep, null);
  }

  /**
   * An endpoint reporting on {@code twostep} and on this instance's registration.
   *
   * @param registrar this instance's registrar, or {@code null} when it does not register
   */
  public TwostepEndpoint(Twostep twostep, TwostepInstanceRegistrar registrar) {
    this.report = new TwostepReport(twostep, registrar);
  }

  /** The report, as JSON for the actuator. */
  @ReadOperation
  public Map<String, Object> twostep() {
    return report.describe();
  }
}
