package dev.twostep.runtime;

import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.runtime.TwostepException.Reason;
import java.util.Objects;
import java.util.Optional;

/**
 * How far to migrate: up to and including one phase of one release ({@link #of}), or of whatever
 * release is the catalog's newest ({@link #newest}). Parsed from the command line's {@code --to}:
 * {@code pre} (pre of the catalog's newest release), {@code post} (everything),
 * {@code <release>:pre}, {@code <release>:post}, or {@code <release>} (its post). Immutable;
 * equal targets are {@code equals}.
 */
public final class Target {
  // null only for a newest target, which isNewest() names: release() is an Optional
  private final Release release;
  private final Phase phase;

  private Target(Release release, Phase phase) {
    this.release = release;
    this.phase = Objects.requireNonNull(phase, "phase");
  }

  /**
   * Up to {@code phase} of whatever release is the catalog's newest.
   *
   * @throws NullPointerException when {@code phase} is {@code null}
   */
  public static Target newest(Phase phase) {
    return new Target(null, phase);
  }

  /**
   * Up to {@code phase} of {@code release}.
   *
   * @throws NullPointerException when either is {@code null}
   */
  public static Target of(Release release, Phase phase) {
    return new Target(Objects.requireNonNull(release, "release"), phase);
  }

  /**
   * Up to {@code phase} of {@code release}.
   *
   * @throws IllegalArgumentException when {@code release} is not a release number
   */
  public static Target of(String release, Phase phase) {
    return of(Release.parse(Objects.requireNonNull(release, "release")), phase);
  }

  /**
   * Parses {@code pre}, {@code post}, {@code <release>:pre}, {@code <release>:post} or
   * {@code <release>}.
   *
   * @throws IllegalArgumentException when {@code text} is none of these
   */
  public static Target parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.trim();
    if (t.equalsIgnoreCase("pre") || t.equalsIgnoreCase("post")) {
      return newest(Phase.parse(t));
    }
    int colon = t.indexOf(':');
    try {
      if (colon < 0) {
        return of(Release.parse(t), Phase.POST);
      }
      return of(Release.parse(t.substring(0, colon)), Phase.parse(t.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "target '" + text + "' must be 'pre', 'post', '<release>', '<release>:pre' or '<release>:post' ("
              + e.getMessage() + ")", e);
    }
  }

  /** The release; empty for a {@link #newest} target, which follows the catalog's newest release. */
  public Optional<Release> release() {
    return Optional.ofNullable(release);
  }

  /** The last phase to apply. */
  public Phase phase() {
    return phase;
  }

  /** True when the target follows the catalog's newest release. */
  public boolean isNewest() {
    return release == null;
  }

  /**
   * The schema state this target reaches with {@code catalog}.
   *
   * @throws TwostepException when the catalog has no migrations or does not know the release
   */
  public SchemaState resolve(MigrationCatalog catalog) {
    if (catalog.migrations().isEmpty()) {
      throw new TwostepException(Reason.INVALID_REQUEST, "catalog " + catalog.name() + " has no migrations");
    }
    if (release == null) {
      return SchemaState.of(catalog.newestRelease(), phase);
    }
    for (Migration m : catalog.migrations()) {
      if (m.release().equals(release)) {
        return SchemaState.of(m.release(), phase);
      }
    }
    throw new TwostepException(Reason.INVALID_REQUEST, "target " + this + ": release " + release + " has no migrations in catalog "
        + catalog.name() + " (newest release: " + catalog.newestRelease() + ")");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Target other && Objects.equals(release, other.release) && phase == other.phase;
  }

  @Override
  public int hashCode() {
    return Objects.hash(release, phase);
  }

  /** {@code pre}, {@code post}, {@code 2.0.0:pre} or {@code 2.0.0:post}. */
  @Override
  public String toString() {
    return release == null ? phase.label() : release.text() + ":" + phase.label();
  }
}
