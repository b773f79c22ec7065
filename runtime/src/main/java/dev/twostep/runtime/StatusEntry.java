package dev.twostep.runtime;

import dev.twostep.Migration;
import dev.twostep.Phase;
import dev.twostep.runtime.internal.Printable;

/**
 * One line of {@link StatusReport}: a migration of the catalog, a history row, or both.
 *
 * @param release the release
 * @param phase pre or post
 * @param step the step within (release, phase)
 * @param description the catalog's description, or the history's for an unknown row
 * @param state applied, pending, changed since applied, or unknown to the catalog
 * @param migration the catalog's migration, {@code null} for {@link State#UNKNOWN}
 * @param history the history row, {@code null} for {@link State#PENDING} and
 *     {@link State#ADDED_TO_APPLIED_RELEASE}
 */
public record StatusEntry(
    String release, Phase phase, int step, String description, State state, Migration migration,
    HistoryEntry history) {

  /** How a catalog migration and the history relate. */
  public enum State {
    /** In the catalog and in the history with the same checksum. */
    APPLIED,
    /** In the catalog, not yet in the history. */
    PENDING,
    /** In both, but the catalog's checksum differs from the one recorded when it was applied. */
    CHECKSUM_MISMATCH,
    /** In the history only: a newer release's migration, or one removed from the catalog. */
    UNKNOWN,
    /**
     * In the catalog, not in the history, but sorting before a migration that was applied: it was
     * added to a release that had already been applied, so it can never run in order.
     */
    ADDED_TO_APPLIED_RELEASE;

    /** The state in lower case with blanks, as printed: {@code checksum mismatch}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
  }

  /** {@code "2.0.0:pre #1 add priority"}. */
  public String displayName() {
    return release + ":" + phase.label() + " #" + step + " " + Printable.escape(description);
  }
}
