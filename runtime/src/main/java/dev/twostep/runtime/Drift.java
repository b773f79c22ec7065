package dev.twostep.runtime;

/**
 * A difference between the history and the catalog found by {@link Twostep#verify()}; the
 * per-migration kinds are also those of {@link StatusEntry#drift()}.
 *
 * @param migration the migration or history row as {@code "2.0.0:pre #1 add priority"}
 * @param kind what kind of difference
 * @param message what is wrong and how to fix it
 */
public record Drift(String migration, Kind kind, String message) {
  /** Kinds of drift. */
  public enum Kind {
    /** An applied migration's SQL (or Java class) changed after it was applied. */
    CHECKSUM_MISMATCH,
    /** A history row of a release the catalog has, for a step the catalog does not have. */
    UNKNOWN_MIGRATION,
    /** A history row of a release newer than the catalog's newest, or of a release it lacks. */
    UNKNOWN_RELEASE,
    /**
     * A catalog migration without a history row although a later one has one: the row was
     * deleted, or the migration was added to a release that had already been applied; {@code
     * migrate} refuses to apply it out of order.
     */
    ADDED_TO_APPLIED_RELEASE,
    /** No history at all, although the database has tables: it was built without Twostep and needs a baseline. */
    NO_HISTORY,
    /** Most history rows disagree with the catalog: the history table was written by another catalog. */
    ANOTHER_CATALOG;

    /** The kind in lower case with blanks, as {@code verify} prints it: {@code checksum mismatch}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
  }
}
