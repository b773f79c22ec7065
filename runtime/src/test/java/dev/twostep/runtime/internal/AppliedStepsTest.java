package dev.twostep.runtime.internal;

import static dev.twostep.Phase.POST;
import static dev.twostep.Phase.PRE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.Migration;
import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.TestCatalog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The schema state computed from per-(release, phase) step sets, the form {@code check()} reads,
 * against the rule as stated: a plain scan over every migration and history row.
 */
class AppliedStepsTest {
  private static final String[] RELEASES = {"1", "1.1", "2.0.0", "3", "4.0.1"};

  /** A history row: release as spelled in the table, phase, step. */
  private record Row(String release, Phase phase, int step) {}

  @Test
  void agreesWithTheRuleOnRandomCatalogsAndHistories() {
    Random random = new Random(20261127);
    for (int round = 0; round < 20_000; round++) {
      TestCatalog catalog = randomCatalog(random);
      List<Row> rows = randomHistory(random, catalog);
      CatalogIndex index = new CatalogIndex(catalog);

      AppliedSteps.Position expected = reference(catalog.migrations(), rows);
      AppliedSteps.Position fromRows = fromRows(index, rows).position(index);
      AppliedSteps.Position aggregated = aggregated(index, rows).position(index);

      String what = "catalog " + catalog.migrations().stream().map(Migration::displayName).toList() + ", history " + rows;
      assertThat(fromRows).as(what).isEqualTo(expected);
      assertThat(aggregated).as(what).isEqualTo(expected);
    }
  }

  @Test
  void aReleaseWithoutPostMigrationsStaysAtPreUntilSomethingLaterIsApplied() {
    TestCatalog catalog = TestCatalog.of(
        TestCatalog.sql("1", PRE, 1, "a", "SELECT 1"),
        TestCatalog.sql("2", PRE, 1, "b", "SELECT 1"),
        TestCatalog.sql("3", PRE, 1, "c", "SELECT 1"));
    CatalogIndex index = new CatalogIndex(catalog);
    AppliedSteps applied = new AppliedSteps();
    applied.add(Release.parse("1"), PRE, 1);
    applied.add(Release.parse("2"), PRE, 1);
    assertThat(applied.position(index).state()).hasToString("2:pre");
    applied.add(Release.parse("3"), PRE, 1);
    assertThat(applied.position(index).state()).hasToString("3:pre");
    assertThat(applied.position(index).reached()).hasToString("3:pre");
  }

  @Test
  void stepsOutOfOrderAndWithHolesAreKeptExactly() {
    TestCatalog catalog = TestCatalog.of(
        TestCatalog.sql("1", PRE, 1, "a", "SELECT 1"),
        TestCatalog.sql("1", PRE, 2, "b", "SELECT 1"),
        TestCatalog.sql("1", PRE, 3, "c", "SELECT 1"),
        TestCatalog.sql("1", POST, 1, "d", "SELECT 1"));
    CatalogIndex index = new CatalogIndex(catalog);
    AppliedSteps applied = new AppliedSteps();
    applied.add(Release.parse("1"), PRE, 3);
    applied.add(Release.parse("1"), PRE, 1);
    applied.add(Release.parse("1"), POST, 1);
    AppliedSteps.Position holed = applied.position(index);
    assertThat(holed.state()).isEqualTo(SchemaState.EMPTY);
    assertThat(holed.reached()).hasToString("1:post");
    applied.add(Release.parse("1.0"), PRE, 2);
    assertThat(applied.position(index).state()).hasToString("1:post");
  }

  private static TestCatalog randomCatalog(Random random) {
    List<Migration> migrations = new ArrayList<>();
    int releases = 1 + random.nextInt(4);
    List<String> chosen = new ArrayList<>(List.of(RELEASES));
    Collections.shuffle(chosen, random);
    for (String release : chosen.subList(0, releases)) {
      for (Phase phase : Phase.values()) {
        int steps = random.nextInt(4);
        for (int step = 1; step <= steps; step++) {
          migrations.add(TestCatalog.sql(release, phase, step, release + " " + phase + " " + step, "SELECT 1"));
        }
      }
    }
    if (migrations.isEmpty()) {
      migrations.add(TestCatalog.sql(chosen.get(0), PRE, 1, "only", "SELECT 1"));
    }
    return TestCatalog.of(migrations.toArray(new Migration[0]));
  }

  /** Rows of catalog positions and of others, some releases spelled another way ({@code 1.1.0} for {@code 1.1}). */
  private static List<Row> randomHistory(Random random, TestCatalog catalog) {
    List<Row> rows = new ArrayList<>();
    List<Migration> migrations = catalog.migrations();
    int prefix = random.nextInt(migrations.size() + 1);
    for (int i = 0; i < migrations.size(); i++) {
      if (i < prefix ? random.nextInt(12) != 0 : random.nextInt(6) == 0) {
        Migration m = migrations.get(i);
        rows.add(new Row(respell(random, m.release().text()), m.phase(), m.step()));
      }
    }
    int extra = random.nextInt(3);
    for (int i = 0; i < extra; i++) {
      rows.add(new Row(respell(random, RELEASES[random.nextInt(RELEASES.length)]), Phase.values()[random.nextInt(2)],
          1 + random.nextInt(5)));
    }
    // the table's primary key is on the release as spelled: no duplicate (text, phase, step)
    return rows.stream().distinct().collect(Collectors.toCollection(ArrayList::new));
  }

  private static String respell(Random random, String release) {
    return random.nextInt(5) == 0 ? release + ".0" : release;
  }

  private static AppliedSteps fromRows(CatalogIndex index, List<Row> rows) {
    AppliedSteps applied = new AppliedSteps();
    for (Row row : rows) {
      applied.add(index.historyRelease(row.release()), row.phase(), row.step());
    }
    return applied;
  }

  /** What {@link HistoryTable#readApplied} does with the groups PostgreSQL aggregates. */
  private static AppliedSteps aggregated(CatalogIndex index, List<Row> rows) {
    Map<List<Object>, List<Integer>> groups = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    for (Row row : rows) {
      groups.computeIfAbsent(List.of(row.release(), row.phase()), k -> new ArrayList<>()).add(row.step());
    }
    AppliedSteps applied = new AppliedSteps();
    groups.forEach((key, steps) -> {
      Release release = index.historyRelease((String) key.get(0));
      Phase phase = (Phase) key.get(1);
      if (Collections.min(steps) == 1 && Collections.max(steps) == steps.size()) {
        applied.addOneTo(release, phase, steps.size());
      } else {
        steps.forEach(step -> applied.add(release, phase, step));
      }
    });
    return applied;
  }

  /** The rule as stated, scanning everything. */
  private static AppliedSteps.Position reference(List<Migration> catalog, List<Row> rows) {
    Map<List<Object>, Boolean> history = new java.util.HashMap<>();
    TreeSet<SchemaState> historyGroups = new TreeSet<>();
    for (Row row : rows) {
      Release release = Release.parse(row.release());
      history.put(List.of(release, row.phase(), row.step()), true);
      historyGroups.add(SchemaState.of(release, row.phase()));
    }
    Set<Release> catalogReleases = catalog.stream().map(Migration::release).collect(Collectors.toSet());
    NavigableSet<Release> known = new TreeSet<>(catalogReleases);
    historyGroups.forEach(g -> known.add(g.release()));
    if (rows.isEmpty()) {
      return new AppliedSteps.Position(known, SchemaState.EMPTY, SchemaState.EMPTY);
    }
    SchemaState complete = SchemaState.EMPTY;
    search:
    for (Release release : known) {
      for (Phase phase : Phase.values()) {
        SchemaState group = SchemaState.of(release, phase);
        boolean isComplete = catalogReleases.contains(release)
            ? catalog.stream().filter(m -> m.release().equals(release) && m.phase() == phase)
                .allMatch(m -> history.containsKey(List.of(m.release(), m.phase(), m.step())))
            : historyGroups.contains(group);
        if (!isComplete) {
          break search;
        }
        boolean noMigrations = catalogReleases.contains(release)
            && catalog.stream().noneMatch(m -> m.release().equals(release) && m.phase() == phase);
        boolean rowAfter = historyGroups.stream().anyMatch(g -> g.compareTo(group) > 0);
        if (phase == POST && noMigrations && !rowAfter) {
          break search;
        }
        complete = group;
      }
    }
    SchemaState highest = historyGroups.last();
    return new AppliedSteps.Position(known, complete, highest.compareTo(complete) > 0 ? highest : complete);
  }
}
