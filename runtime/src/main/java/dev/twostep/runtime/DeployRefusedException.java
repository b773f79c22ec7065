package dev.twostep.runtime;

import java.util.List;

/**
 * The deploy guard refused a post-migration: pre of its release was not applied by an earlier run
 * (so code of that release cannot have been deployed on it), or instances of an older release are
 * still live. The message names what is missing and the path; the command line exits with
 * {@code 4}. Override with {@link Twostep.Builder#allowDowntime} or wait with
 * {@link Twostep.Builder#waitForInstances}.
 */
public final class DeployRefusedException extends TwostepException {
  private static final long serialVersionUID = 1L;

  /** The live instances of older releases that held the post-migration back; empty for a missing pre run. */
  private final transient List<LiveInstance> liveInstances;

  /** A refusal with a message for people and the instances that caused it (may be empty). */
  public DeployRefusedException(String message, List<LiveInstance> liveInstances) {
    super(Reason.REFUSED, message);
    this.liveInstances = List.copyOf(liveInstances);
  }

  /** The live instances of older releases that held the post-migration back; empty for a missing pre run. */
  public List<LiveInstance> liveInstances() {
    return liveInstances == null ? List.of() : liveInstances;
  }
}
