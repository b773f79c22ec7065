package dev.twostep.runtime.internal;

import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.runtime.Drift;
import dev.twostep.runtime.HistoryEntry;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.StatusEntry;
import dev.twostep.runtime.TwostepException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A catalog and the history of one database side by side: which migrations are applied, pending,
 * changed or unknown; the schema state; and whether migrating to a target is safe.
 */
public final class CatalogHistory {
  /** The position of a migration or history row in the order of application. */
  public record Key(Release release, Phase phase, int step) implements Comparable<Key> {
    private static final Comparator<Key> ORDER = Comparator.comparing(Key::release)
        .thenComparing(Key::phase).thenComparingInt(Key::step);

    static Key of(Migration m) {
      return new Key(m.release(), m.phase(), m.step());
    }

    /** The (release, phase) group of this key. */
    public SchemaState group() {
      return SchemaState.of(release, phase);
    }

    @Override
    public int compareTo(Key other) {
      return ORDER.compare(this, other);
    }
  }

  private final MigrationCatalog catalog;
  private final Map<Key, Migration> migrations;
  private final Map<Key, HistoryEntry> history = new TreeMap<>();
  private final NavigableSet<Release> catalogReleases;
  private final NavigableSet<Release> knownReleases;
  private final SchemaState state;
  private final SchemaState reached;

  /**
   * Puts {@code catalog} and {@code rows} side by side.
   *
   * @throws TwostepException when a history row names a release that is not a release number
   */
  public CatalogHistory(MigrationCatalog catalog, List<HistoryEntry> rows) {
    this(new CatalogIndex(catalog), rows);
  }

  /**
   * Puts the indexed catalog and {@code rows} side by side.
   *
   * @throws TwostepException when a history row names a release that is not a release number
   */
  public CatalogHistory(CatalogIndex index, List<HistoryEntry> rows) {
    this.catalog = index.catalog();
    this.migrations = index.migrations();
    this.catalogReleases = index.releases();
    AppliedSteps applied = new AppliedSteps();
    List<HistoryEntry> nextRows = new ArrayList<>();
    for (HistoryEntry row : rows) {
      Release release = index.historyRelease(row.release());
      if (release.isNext()) {
        nextRows.add(row);
      } else {
        history.put(new Key(release, row.phase(), row.step()), row);
        applied.add(release, row.phase(), row.step());
      }
    }
    // after the numbered rows: a next row that shipped stands at its numbered position unless that is taken
    for (HistoryEntry row : nextRows) {
      Release release = ShippedNextRows.shippedAs(index, row.phase(), row.step(), row.checksum(), history::containsKey)
          .orElse(Release.NEXT);
      history.put(new Key(release, row.phase(), row.step()), row);
      applied.add(release, row.phase(), row.step());
    }
    AppliedSteps.Position position = applied.position(index);
    this.knownReleases = position.knownReleases();
    this.state = position.state();
    this.reached = position.reached();
  }

  /** True when the database has history rows. */
  public boolean hasHistory() {
    return !history.isEmpty();
  }

  /** The highest (release, phase) applied completely together with everything before it. */
  public SchemaState state() {
    return state;
  }

  /** The highest (release, phase) of which anything is applied, at least {@link #state()}. */
  public SchemaState reached() {
    return reached;
  }

  /** The releases of the catalog and of the history, ascending. */
  public NavigableSet<Release> knownReleases() {
    return new TreeSet<>(knownReleases);
  }

  /** The catalog's migrations up to and including {@code target} that the history lacks, in order. */
  public List<Migration> pending(SchemaState target) {
    return migrations.entrySet().stream()
        .filter(e -> e.getKey().group().compareTo(target) <= 0 && !history.containsKey(e.getKey()))
        .map(Map.Entry::getValue)
        .toList();
  }

  /** Every catalog migration and history row, in order of application. */
  public List<StatusEntry> entries() {
    TreeMap<Key, StatusEntry> out = new TreeMap<>();
    Optional<Key> lastApplied = lastAppliedOfCatalog();
    migrations.forEach((key, m) -> {
      HistoryEntry row = history.get(key);
      out.put(key, row != null
          ? row.checksum().equals(m.checksum()) ? StatusEntry.applied(m, row) : StatusEntry.checksumMismatch(m, row)
          : lastApplied.isPresent() && key.compareTo(lastApplied.get()) < 0
              ? StatusEntry.addedToAppliedRelease(m) : StatusEntry.pending(m));
    });
    history.forEach((key, row) -> out.computeIfAbsent(key, k -> StatusEntry.unknown(
        k.release().isNext() || catalogReleases.contains(k.release()) ? Drift.Kind.UNKNOWN_MIGRATION
            : Drift.Kind.UNKNOWN_RELEASE, row)));
    return List.copyOf(out.values());
  }

  /** The last catalog migration in the history; rows unknown to the catalog are drift of their own. */
  private Optional<Key> lastAppliedOfCatalog() {
    return history.keySet().stream().filter(migrations::containsKey).max(Comparator.naturalOrder());
  }

  /** How many history rows match the catalog exactly. */
  public int matching() {
    return (int) entries().stream().filter(e -> e.state() == StatusEntry.State.APPLIED).count();
  }

  /**
   * Checksum mismatches, rows unknown to the catalog, and catalog migrations that sort before the
   * last applied one but were never applied (added to a release that had already been applied).
   */
  public List<Drift> drift() {
    List<Drift> out = new ArrayList<>();
    Optional<Drift> foreign = anotherCatalog();
    if (foreign.isPresent()) {
      return List.of(foreign.get());
    }
    Optional<Key> lastApplied = lastAppliedOfCatalog();
    for (StatusEntry e : entries()) {
      if (e.drift().isEmpty()) {
        continue;
      }
      Drift.Kind kind = e.drift().get();
      out.add(new Drift(e.displayName(), kind, switch (kind) {
        case ADDED_TO_APPLIED_RELEASE -> "the history row of " + e.displayName() + " is missing, although the later "
            + history.get(lastApplied.orElseThrow()).displayName() + " has one: the row was "
            + "deleted, or the migration was added to a release that had already been applied. A deleted row: "
            + "restore it (from a backup, or by applying exactly that migration's SQL by hand and inserting its row "
            + "with checksum " + e.migration().orElseThrow().checksum() + "). An added migration: move it to a new release.";
        case CHECKSUM_MISMATCH -> checksumMessage(e.displayName(), e.migration().orElseThrow(), e.history().orElseThrow());
        case UNKNOWN_MIGRATION -> Release.parse(e.release()).isNext()
            ? e.displayName() + " was applied as a \"next\" migration, but catalog " + catalog.name() + " has no such migration any more:"
                + " no next " + e.phase().label() + "-migration step " + e.step() + ", and no migration with its checksum "
                + e.history().orElseThrow().checksum() + " (it would have shipped under a numbered release). The pull request's migration"
                + " was changed or dropped after this database applied it: recreate this development or test database."
            : e.displayName() + " is in the history but not in catalog " + catalog.name()
                + ": a migration of a shipped release was removed or renumbered. Restore it in the catalog.";
        case UNKNOWN_RELEASE -> {
          Release release = Release.parse(e.release());
          boolean newer = catalogReleases.isEmpty() || release.compareTo(catalogReleases.last()) > 0;
          yield e.displayName() + " is in the history, but "
              + (newer ? "release " + e.release() + " is newer than catalog " + catalog.name() + " knows"
                  + " (a newer deployment applied it)"
                  : "catalog " + catalog.name() + " has no release " + e.release() + ": it was removed from the catalog")
              + ".";
        }
        case NO_HISTORY, ANOTHER_CATALOG -> throw new IllegalStateException("not a kind of one entry: " + kind);
      }));
    }
    return out;
  }

  /**
   * The history of another catalog, when at least two rows and most of them disagree with this
   * catalog (other checksums or unknown steps) and most rows with other checksums also have
   * other descriptions: not edits of this catalog's migrations, but another set of migrations
   * sharing the history table.
   */
  private Optional<Drift> anotherCatalog() {
    int matching = 0;
    int changed = 0;
    int renamed = 0;
    int unknown = 0;
    for (StatusEntry e : entries()) {
      if (e.state() == StatusEntry.State.APPLIED) {
        matching++;
      } else if (e.drift().equals(Optional.of(Drift.Kind.CHECKSUM_MISMATCH))) {
        changed++;
        renamed += e.history().orElseThrow().description().equals(e.migration().orElseThrow().description()) ? 0 : 1;
      } else if (e.drift().filter(k -> k == Drift.Kind.UNKNOWN_MIGRATION || k == Drift.Kind.UNKNOWN_RELEASE).isPresent()
          // rows of next migrations are a development database's own: they say nothing about whose history it is
          && !Release.NEXT.text().equals(e.release())) {
        unknown++;
      }
    }
    int disagree = changed + unknown;
    if (disagree < 2 || disagree <= matching || renamed * 2 < changed) {
      return Optional.empty();
    }
    return Optional.of(new Drift(catalog.name(), Drift.Kind.ANOTHER_CATALOG, "the history belongs to another catalog: "
        + matching + " of " + history.size() + " history rows match catalog " + catalog.name() + " (" + changed
        + " have other checksums" + (changed == 0 ? "" : ", " + renamed + " of them other descriptions") + ", "
        + unknown + " are steps it does not have). Two catalogs cannot share one history table: give this catalog "
        + "its own with --table (Twostep.Builder.table), or use the catalog that wrote this history."));
  }

  private static String checksumMessage(String displayName, Migration migration, HistoryEntry row) {
    return displayName + " was applied with checksum " + row.checksum()
        + " but the catalog has " + migration.checksum()
        + (migration.release().isNext()
            ? ", and no shipped migration has the applied checksum: this \"next\" migration was changed after this "
                + "database applied it. Recreate this development or test database (or restore the migration's text)."
            : ": it was edited after it was applied. Never edit a shipped migration: restore its original text and "
                + "put the change into a new migration.");
  }

  /**
   * Why migrating to {@code target} must not happen, or empty when it may.
   *
   * @param target the schema state to migrate to
   * @param allowDowntime true when no application code runs, so post-migrations of older releases
   *     may be applied on the way to a pre target
   */
  public Optional<String> refusal(SchemaState target, boolean allowDowntime) {
    List<Drift> changed = drift().stream()
        .filter(d -> d.kind() == Drift.Kind.CHECKSUM_MISMATCH || d.kind() == Drift.Kind.ANOTHER_CATALOG).toList();
    if (!changed.isEmpty()) {
      return Optional.of("the history does not match catalog " + catalog.name() + ":\n  "
          + changed.stream().map(Drift::message).collect(Collectors.joining("\n  ")));
    }
    List<Migration> pending = pending(target);
    Optional<Key> lastApplied = history.keySet().stream().max(Comparator.naturalOrder());
    if (lastApplied.isPresent()) {
      for (Migration m : pending) {
        if (Key.of(m).compareTo(lastApplied.get()) < 0) {
          HistoryEntry later = history.get(lastApplied.get());
          if (!migrations.containsKey(lastApplied.get())) {
            return Optional.of(m.displayName() + " is not applied, but the history already has the later "
                + later.displayName() + ", which catalog " + catalog.name() + " does not know"
                + (catalogReleases.contains(lastApplied.get().release()) ? " (it was removed from the catalog)"
                    : lastApplied.get().release().compareTo(catalogReleases.last()) > 0
                        ? " (a deployment of a newer release applied it; deploy with that release's catalog)"
                        : " (its release was removed from the catalog)")
                + ". Migrations must be applied in order.");
          }
          return Optional.of(m.displayName() + " is not applied, but the later " + later.displayName()
              + " is. Migrations must be applied in order: its history row is missing (deleted; restore it), or "
              + "it was added to a release that had already been applied (move it to a new release). `verify` "
              + "says more.");
        }
      }
    }
    if (target.phase() == Phase.PRE && hasHistory() && !allowDowntime) {
      List<Migration> olderPosts = pending.stream()
          .filter(m -> m.phase() == Phase.POST && m.release().compareTo(target.release()) < 0)
          .toList();
      if (!olderPosts.isEmpty()) {
        return Optional.of(olderPostMessage(target, pending, olderPosts));
      }
    }
    return Optional.empty();
  }

  private String olderPostMessage(SchemaState target, List<Migration> pending, List<Migration> olderPosts) {
    return "pre of " + target.release() + " would also apply post-migrations of older releases ("
        + olderPosts.stream().map(Migration::displayName).collect(Collectors.joining(", "))
        + "). The database is at " + state + ", so code that those post-migrations break may still be running."
        + stepByStep(pending, target);
  }

  /**
   * The safe path through {@code pending} to {@code target}: pre of each release, its deploy, then
   * its post, as numbered lines after "Go step by step:", ending with the downtime alternative.
   */
  public String stepByStep(List<Migration> pending, SchemaState target) {
    StringBuilder out = new StringBuilder(" Go step by step:");
    Map<Release, List<Migration>> byRelease = new LinkedHashMap<>();
    for (Migration m : pending) {
      byRelease.computeIfAbsent(m.release(), r -> new ArrayList<>()).add(m);
    }
    int step = 1;
    for (Map.Entry<Release, List<Migration>> e : byRelease.entrySet()) {
      Release release = e.getKey();
      Release previous = knownReleases.lower(release);
      String previousCode = previous == null ? "the code running now" : "only " + previous + " code";
      boolean hasPre = e.getValue().stream().anyMatch(m -> m.phase() == Phase.PRE);
      boolean hasPost = e.getValue().stream().anyMatch(m -> m.phase() == Phase.POST);
      boolean last = release.equals(target.release()) && release.equals(catalogReleases.last());
      if (hasPre) {
        out.append("\n  ").append(step++).append(". while ").append(previousCode)
            .append(" runs, run `migrate --to ").append(release.text()).append(":pre`")
            .append(last ? " (that is `pre`)" : "")
            .append(", then deploy ").append(release).append(" code everywhere");
      }
      if (hasPost && (!release.equals(target.release()) || target.phase() == Phase.POST)) {
        out.append("\n  ").append(step++).append(". while only ").append(release)
            .append(" code runs, run `migrate --to ").append(release.text()).append(":post` (post of ")
            .append(release).append(last && target.phase() == Phase.POST ? "; that is `post`" : "").append(")");
      }
    }
    out.append("\nIf no application code runs at all (downtime accepted), pass --allow-downtime instead.");
    return out.toString();
  }
}
