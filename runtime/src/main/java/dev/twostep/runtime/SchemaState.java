package dev.twostep.runtime;

import dev.twostep.Phase;
import dev.twostep.Release;
import java.util.Comparator;
import java.util.Objects;

/**
 * Where a database stands in the order of migrations: after pre or post of a release, or
 * {@link #EMPTY} before anything. Printed as {@code 2.0.0:pre}, {@code 2.0.0:post} or
 * {@code empty}. Ordered like the migrations: release ascending, pre before post, empty first.
 *
 * @param release the release, {@code null} only for {@link #EMPTY}
 * @param phase the phase, {@code null} only for {@link #EMPTY}
 */
public record SchemaState(Release release, Phase phase) implements Comparable<SchemaState> {
  /** A database on which no migration has been applied. */
  public static final SchemaState EMPTY = new SchemaState(null, null);

  private static final Comparator<SchemaState> ORDER =
      Comparator.comparing(SchemaState::release, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(SchemaState::phase, Comparator.nullsFirst(Comparator.naturalOrder()));

  /**
   * Checks that release and phase are both present or both absent.
   *
   * @throws IllegalArgumentException when only one of them is {@code null}
   */
  public SchemaState {
    if ((release == null) != (phase == null)) {
      throw new IllegalArgumentException("release and phase are both set or both null");
    }
  }

  /** The state after {@code phase} of {@code release}. */
  public static SchemaState of(Release release, Phase phase) {
    return new SchemaState(Objects.requireNonNull(release, "release"), Objects.requireNonNull(phase, "phase"));
  }

  /**
   * Parses {@code empty} or {@code <release>:<phase>} as printed by {@link #toString()}.
   *
   * @throws IllegalArgumentException when {@code text} is neither
   */
  public static SchemaState parse(String text) {
    if ("empty".equals(text)) {
      return EMPTY;
    }
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("schema state must be 'empty' or '<release>:<pre|post>', not '" + text + "'");
    }
    return of(Release.parse(text.substring(0, colon)), Phase.parse(text.substring(colon + 1)));
  }

  /** True for {@link #EMPTY}. */
  public boolean isEmpty() {
    return release == null;
  }

  @Override
  public int compareTo(SchemaState other) {
    return ORDER.compare(this, other);
  }

  /** {@code 2.0.0:pre}, {@code 2.0.0:post} or {@code empty}. */
  @Override
  public String toString() {
    return isEmpty() ? "empty" : release.text() + ":" + phase.label();
  }
}
