package dev.twostep.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An application instance that announced itself with {@link Twostep#registerInstance} and whose
 * last heartbeat is younger than its lease: what {@code instances} lists and what the deploy guard
 * waits for.
 *
 * @param instanceId the random id the instance registered with
 * @param release the release of the instance's code, e.g. {@code 2.0.0}
 * @param host the host name the instance reported
 * @param pid the process id on that host
 * @param startedAt when the instance registered (database clock)
 * @param lastSeen its last heartbeat (database clock): its last sign of life
 * @param lease how long after {@code lastSeen} it still counts as live
 */
public record LiveInstance(
    String instanceId, String release, String host, long pid, Instant startedAt, Instant lastSeen, Duration lease) {
  /** Checks that nothing is null. */
  public LiveInstance {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(lastSeen, "lastSeen");
    Objects.requireNonNull(lease, "lease");
  }
}
