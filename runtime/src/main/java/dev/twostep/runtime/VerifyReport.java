package dev.twostep.runtime;

import java.util.List;

/**
 * What {@link Twostep#verify()} found.
 *
 * @param applied how many history rows matched the catalog
 * @param drift every difference between history and catalog
 */
public record VerifyReport(int applied, List<Drift> drift) {
  /** Copies the list. */
  public VerifyReport {
    drift = List.copyOf(drift);
  }

  /** True when every history row matches the catalog. */
  public boolean ok() {
    return drift.isEmpty();
  }
}
