package dev.twostep.runtime.internal;

import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.runtime.SchemaState;
import java.util.HashSet;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which steps of each (release, phase) the history holds, and from that and a catalog the schema
 * state: all {@link CompatibilityCheck} needs, without the rest of the history rows. Steps
 * 1..n, the usual case, are kept as the number n.
 */
public final class AppliedSteps {
  /** The applied steps of one (release, phase). */
  private static final class Steps {
    /** Steps 1..contiguous are applied. */
    int contiguous;
    /** Applied steps above contiguous + 1; null while there are none. */
    Set<Integer> others;

    void addFirst(int n) {
      if (n > contiguous) {
        contiguous = n;
        absorb();
      }
    }

    void add(int step) {
      if (step == contiguous + 1) {
        contiguous++;
        absorb();
      } else if (step > contiguous) {
        if (others == null) {
          others = new HashSet<>();
        }
        others.add(step);
      }
    }

    private void absorb() {
      if (others != null) {
        others.removeIf(s -> s <= contiguous);
        while (others.remove(contiguous + 1)) {
          contiguous++;
        }
        if (others.isEmpty()) {
          others = null;
        }
      }
    }

    boolean contains(int step) {
      return (step >= 1 && step <= contiguous) || (others != null && others.contains(step));
    }
  }

  /**
   * Where a database stands, as {@link CompatibilityCheck} needs it.
   *
   * @param knownReleases the releases of the catalog and of the history, ascending
   * @param state the highest (release, phase) applied completely together with everything before it
   * @param reached the highest (release, phase) of which anything is applied, at least {@code state}
   */
  public record Position(NavigableSet<Release> knownReleases, SchemaState state, SchemaState reached) {}

  private final TreeMap<SchemaState, Steps> groups = new TreeMap<>();

  /** No history yet. */
  public AppliedSteps() {}

  /** Records history row ({@code release}, {@code phase}, {@code step}). */
  public void add(Release release, Phase phase, int step) {
    groups.computeIfAbsent(SchemaState.of(release, phase), g -> new Steps()).add(step);
  }

  /** Records that steps 1 to {@code n} of ({@code release}, {@code phase}) are in the history. */
  public void addOneTo(Release release, Phase phase, int n) {
    groups.computeIfAbsent(SchemaState.of(release, phase), g -> new Steps()).addFirst(n);
  }

  /** True when the history holds row ({@code release}, {@code phase}, {@code step}). */
  public boolean contains(Release release, Phase phase, int step) {
    Steps steps = groups.get(SchemaState.of(release, phase));
    return steps != null && steps.contains(step);
  }

  /** True when the history has no rows. */
  public boolean isEmpty() {
    return groups.isEmpty();
  }

  /**
   * The schema state and how far the history reached, compared with {@code catalog}. A
   * (release, phase) the catalog knows is complete when all its migrations are applied (trivially
   * when it has none); one only the history knows, when it has any row. A release of the catalog
   * without post-migrations stays at N:pre until something later is applied.
   */
  public Position position(CatalogIndex catalog) {
    NavigableSet<Release> known = new TreeSet<>(catalog.releases());
    for (SchemaState group : groups.keySet()) {
      known.add(group.release());
    }
    if (groups.isEmpty()) {
      return new Position(known, SchemaState.EMPTY, SchemaState.EMPTY);
    }
    SchemaState highestRow = groups.lastKey();
    SchemaState complete = SchemaState.EMPTY;
    search:
    for (Release release : known) {
      boolean inCatalog = catalog.releases().contains(release);
      for (Phase phase : Phase.values()) {
        SchemaState group = SchemaState.of(release, phase);
        if (!isComplete(catalog, inCatalog, group)) {
          break search;
        }
        if (phase == Phase.POST && inCatalog && catalog.steps(release, phase).length == 0
            && highestRow.compareTo(group) <= 0) {
          // S(N) equals S_pre(N) when post(N) is empty; calling it N:pre keeps code N-1 allowed
          // until something later is applied, as it must be while N deploys.
          break search;
        }
        complete = group;
      }
    }
    return new Position(known, complete, highestRow.compareTo(complete) > 0 ? highestRow : complete);
  }

  private boolean isComplete(CatalogIndex catalog, boolean inCatalog, SchemaState group) {
    Steps applied = groups.get(group);
    if (!inCatalog) {
      return applied != null;
    }
    int[] needed = catalog.steps(group.release(), group.phase());
    if (needed.length == 0) {
      return true;
    }
    if (applied == null) {
      return false;
    }
    for (int step : needed) {
      if (!applied.contains(step)) {
        return false;
      }
    }
    return true;
  }
}
