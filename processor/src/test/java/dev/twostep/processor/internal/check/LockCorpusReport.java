package dev.twostep.processor.internal.check;

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
 * {@code *.sql} file, in name order, is one pre-migration of its own release (a deploy of its
 * own), so tables created by an earlier file are existing. Third-party migrations are not
 * committed to this repository; README "Lock safety" lists the files measured and how to fetch them.
 */
public final class LockCorpusReport {
  private LockCorpusReport() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "corpus");
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    List<MigrationModel> migrations = new ArrayList<>();
    int statements = 0;
    int doBlocks = 0;
    for (int i = 0; i < files.size(); i++) {
      String sql = Files.readString(files.get(i));
      String name = "M" + (i + 1);
      migrations.add(new MigrationModel("corpus." + name, name, "corpus", (i + 1) + ".0.0", Phase.PRE, 1, sql,
          files.get(i).getFileName().toString(), ClassShape.sqlClass(), List.of(), Set.of()));
      for (ParsedStatement s : SqlScript.parse(sql).statements()) {
        statements++;
        doBlocks += s.doBlock() ? 1 : 0;
      }
    }
    MigrationSetModel set = new MigrationSetModel("Corpus", "corpus", null, TestSets.DEFAULT_VERSIONED, null, migrations);
    TreeMap<String, Integer> byRule = new TreeMap<>();
    int fired = 0;
    for (Diagnostic d : SqlRules.check(set)) {
      if (!Rules.LOCK_SAFETY.contains(d.rule())) {
        continue;
      }
      fired++;
      byRule.merge(d.rule(), 1, Integer::sum);
      int index = Integer.parseInt(d.className().substring("corpus.M".length())) - 1;
      System.out.println(files.get(index).getFileName() + ": [" + d.rule() + "] " + d.message());
    }
    System.out.println();
    System.out.println(files.size() + " files, " + statements + " top-level statements (" + doBlocks
        + " DO blocks, not analysed), " + fired + " lock-safety diagnostics: " + byRule);
  }
}
