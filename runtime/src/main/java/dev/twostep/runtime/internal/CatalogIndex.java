package dev.twostep.runtime.internal;

import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.TwostepException;
import dev.twostep.runtime.TwostepException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The catalog side of {@link CatalogHistory}, built once per {@code Twostep}: a catalog is
 * immutable, so its migrations by position, its releases and the steps of each (release, phase)
 * need not be rebuilt for every read of the history.
 */
public final class CatalogIndex {
  private static final int[] NO_STEPS = new int[0];

  private final MigrationCatalog catalog;
  private final NavigableMap<CatalogHistory.Key, Migration> migrations;
  private final NavigableSet<Release> releases;
  private final Map<SchemaState, int[]> steps;
  private final Map<String, Release> spellings;

  /** Indexes {@code catalog}. */
  public CatalogIndex(MigrationCatalog catalog) {
    this.catalog = catalog;
    TreeMap<CatalogHistory.Key, Migration> byKey = new TreeMap<>();
    TreeSet<Release> releaseSet = new TreeSet<>();
    // sorted maps: a record as a hash key costs its first use a method handle bootstrap, felt at start-up
    Map<SchemaState, List<Integer>> stepLists = new TreeMap<>();
    Map<String, Release> texts = new HashMap<>();
    for (Migration m : catalog.migrations()) {
      byKey.put(CatalogHistory.Key.of(m), m);
      releaseSet.add(m.release());
      texts.putIfAbsent(m.release().text(), m.release());
      stepLists.computeIfAbsent(SchemaState.of(m.release(), m.phase()), g -> new ArrayList<>()).add(m.step());
    }
    TreeMap<SchemaState, int[]> stepArrays = new TreeMap<>();
    for (Map.Entry<SchemaState, List<Integer>> e : stepLists.entrySet()) {
      int[] array = new int[e.getValue().size()];
      for (int i = 0; i < array.length; i++) {
        array[i] = e.getValue().get(i);
      }
      Arrays.sort(array);
      stepArrays.put(e.getKey(), array);
    }
    this.migrations = Collections.unmodifiableNavigableMap(byKey);
    this.releases = Collections.unmodifiableNavigableSet(releaseSet);
    this.steps = Collections.unmodifiableSortedMap(stepArrays);
    this.spellings = Map.copyOf(texts);
  }

  /** The catalog indexed. */
  public MigrationCatalog catalog() {
    return catalog;
  }

  /** The catalog's migrations by position, in order of application; unmodifiable. */
  public NavigableMap<CatalogHistory.Key, Migration> migrations() {
    return migrations;
  }

  /** The catalog's releases, ascending; unmodifiable. */
  public NavigableSet<Release> releases() {
    return releases;
  }

  /** The steps of (release, phase) in the catalog, ascending; empty when it has none. Do not modify. */
  int[] steps(Release release, Phase phase) {
    int[] found = steps.get(SchemaState.of(release, phase));
    return found == null ? NO_STEPS : found;
  }

  /**
   * Reads the release of a history row; spellings the catalog uses are looked up, not parsed.
   *
   * @throws TwostepException when {@code text} is not a release number
   */
  public Release historyRelease(String text) {
    Release known = spellings.get(text);
    if (known != null) {
      return known;
    }
    try {
      return Release.parse(text);
    } catch (IllegalArgumentException e) {
      throw new TwostepException(Reason.HISTORY_UNREADABLE, "the history has a row with release '" + text
          + "', which is not a release number: " + e.getMessage(), e);
    }
  }
}
