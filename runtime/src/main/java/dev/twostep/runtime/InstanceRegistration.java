package dev.twostep.runtime;

import dev.twostep.runtime.internal.InstanceRegistry;
import java.time.Duration;

/**
 * The handle of an application instance registered with {@link Twostep#registerInstance}: while
 * it is open the instance counts as live and holds back post-migrations of newer releases. Close
 * it when the application stops; it is also closed on normal JVM exit. Thread-safe.
 */
public final class InstanceRegistration implements AutoCloseable {
  private final InstanceRegistry registry;
  private final String release;
  private final Duration lease;

  InstanceRegistration(InstanceRegistry registry, String release, Duration lease) {
    this.registry = registry;
    this.release = release;
    this.lease = lease;
  }

  /** The random id this instance registered with. */
  public String instanceId() {
    return registry.instanceId();
  }

  /** The release this instance registered. */
  public String release() {
    return release;
  }

  /** How long after its last heartbeat the instance still counts as live. */
  public Duration lease() {
    return lease;
  }

  /** Stops the heartbeat and deletes the registration; the instance no longer counts as live. Idempotent. */
  @Override
  public void close() {
    registry.close();
  }

  @Override
  public String toString() {
    return "instance " + instanceId() + " of release " + release + " (" + registry.host() + " pid " + registry.pid() + ")";
  }
}
