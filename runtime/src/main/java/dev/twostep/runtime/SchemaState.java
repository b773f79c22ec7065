package dev.twostep.runtime;

import dev.twostep.Phase;
import dev.twostep.Release;
import java.util.Comparator;
import java.util.Objects;

/**
 * Where a database stands in the order of migrations: after pre or post of a release
 * ({@link #of}), or {@link #EMPTY} before anything. Printed as {@code 2.0.0:pre},
 * {@code 2.0.0:post} or {@code empty}. Ordered like the migrations: release ascending, pre before
 * post, empty first. Immutable; equal states are {@code equals}.
 */
public final class SchemaState implements Comparable<SchemaState> {
  /** A database on which no migration has been applied: the only state without release and phase. */
  public static final SchemaState EMPTY = new SchemaState(null, null);

  private static final Comparator<SchemaState> ORDER =
      Comparator.comparing((SchemaState s) -> s.release, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(s -> s.phase, Comparator.nullsFirst(Comparator.naturalOrder()));

  // both null only in EMPTY, which isEmpty() names: the accessors never return null
  private final Release release;
  private final Phase phase;

  private SchemaState(Release release, Phase phase) {
    this.release = release;
    this.phase = phase;
  }

  /**
   * The state after {@code phase} of {@code release}.
   *
   * @throws NullPointerException when either is {@code null}
   */
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

  /** True for {@link #EMPTY}, which has neither release nor phase. */
  public boolean isEmpty() {
    return release == null;
  }

  /**
   * The release of this state.
   *
   * @throws IllegalStateException for {@link #EMPTY}; ask {@link #isEmpty()} first
   */
  public Release release() {
    requireNotEmpty("release");
    return release;
  }

  /**
   * The phase of this state.
   *
   * @throws IllegalStateException for {@link #EMPTY}; ask {@link #isEmpty()} first
   */
  public Phase phase() {
    requireNotEmpty("phase");
    return phase;
  }

  private void requireNotEmpty(String what) {
    if (isEmpty()) {
      throw new IllegalStateException("the empty schema state has no " + what);
    }
  }

  @Override
  public int compareTo(SchemaState other) {
    return ORDER.compare(this, other);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SchemaState other && Objects.equals(release, other.release) && phase == other.phase;
  }

  @Override
  public int hashCode() {
    return Objects.hash(release, phase);
  }

  /** {@code 2.0.0:pre}, {@code 2.0.0:post} or {@code empty}. */
  @Override
  public String toString() {
    return isEmpty() ? "empty" : release.text() + ":" + phase.label();
  }
}
