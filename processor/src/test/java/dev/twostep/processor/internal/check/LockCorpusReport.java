package dev.twostep.processor.internal.check;

import dev.twostep.Rule;
import dev.twostep.Phase;
import dev.twostep.processor.internal.model.ClassShape;
import dev.twostep.processor.internal.model.Diagnostic;
import dev.twostep.processor.internal.model.MigrationModel;
import dev.twostep.processor.internal.model.MigrationSetModel;
import dev.twostep.processor.internal.sql.ParsedStatement;
import dev.twostep.processor.internal.sql.SqlScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs the lock-safety rules over a directory of real projects' migration files and prints every
 * statement they fire on, for precision reviews: {@code java ... LockCorpusReport <dir>}. Each
 * sub-directory of {@code <dir>} is one project's history (or {@code <dir>} itself, when it has
 * none); each of its {@code *.sql} files, in name order, is one migration of its own release (a
 * deploy of its own), so tables created by an earlier file are existing. Every history is checked
 * twice: every file a pre-migration, then every file a post-migration. Third-party migrations are not committed to
 * this repository; README "Lock safety" lists the files measured and how to fetch them.
 */
public final class LockCorpusReport {
  private LockCorpusReport() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "corpus");
    List<Path> projects;
    try (Stream<Path> listing = Files.list(dir)) {
      projects = listing.filter(Files::isDirectory).sorted().toList();
    }
    if (projects.isEmpty()) {
      projects = List.of(dir);
    }
    int[] totals = new int[4]; // files, statements, DO blocks, diagnostics
    TreeMap<String, Integer> byRule = new TreeMap<>();
    for (Path project : projects) {
      report(project, totals, byRule);
    }
    System.out.println();
    System.out.println(projects.size() + " projects, " + totals[0] + " files, " + totals[1] + " top-level statements ("
        + totals[2] + " DO blocks, not analysed); as pre- and as post-migrations: " + totals[3]
        + " lock-safety diagnostics " + byRule);
  }

  private static void report(Path project, int[] totals, TreeMap<String, Integer> byRule) throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(project)) {
      files = listing.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    totals[0] += files.size();
    for (Path file : files) {
      for (ParsedStatement s : SqlScript.parse(Files.readString(file)).statements()) {
        totals[1]++;
        totals[2] += s.doBlock() ? 1 : 0;
      }
    }
    for (Phase phase : Phase.values()) {
      List<MigrationModel> migrations = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        String name = "M" + (i + 1);
        migrations.add(new MigrationModel("corpus." + name, name, "corpus", (i + 1) + ".0.0", phase, 1,
            Files.readString(files.get(i)), files.get(i).getFileName().toString(), ClassShape.sqlClass(), List.of(),
            Set.of()));
      }
      MigrationSetModel set = new MigrationSetModel("Corpus", "corpus", null, TestSets.DEFAULT_VERSIONED, null, migrations);
      for (Diagnostic d : SqlRules.check(set)) {
        if (d.rule().family() == Rule.Family.LOCK_SAFETY) {
          totals[3]++;
          byRule.merge(d.rule().id(), 1, Integer::sum);
          int index = Integer.parseInt(d.className().substring("corpus.M".length())) - 1;
          System.out.println(project.getFileName() + "/" + files.get(index).getFileName() + " as " + phase.label()
              + ": [" + d.rule() + "] " + d.message());
        }
      }
    }
  }
}
