package dev.twostep.processor;

import com.palantir.javapoet.JavaFile;
import dev.twostep.CatalogData;
import dev.twostep.Release;
import dev.twostep.Rule;
import dev.twostep.processor.internal.check.Messages;
import dev.twostep.processor.internal.check.OrderingRules;
import dev.twostep.processor.internal.check.ShippedRules;
import dev.twostep.processor.internal.check.SqlRules;
import dev.twostep.processor.internal.check.Waivers;
import dev.twostep.processor.internal.codegen.CatalogEntry;
import dev.twostep.processor.internal.codegen.CatalogWriter;
import dev.twostep.processor.internal.codegen.SchemaWriter;
import dev.twostep.processor.internal.model.Checksums;
import dev.twostep.processor.internal.model.Diagnostic;
import dev.twostep.processor.internal.model.LockFile;
import dev.twostep.processor.internal.model.MigrationModel;
import dev.twostep.processor.internal.model.MigrationSetModel;
import dev.twostep.processor.internal.model.ObjectTimeline;
import dev.twostep.processor.internal.sql.ParsedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Check and generate over one migration set, after the entry class has read it: a pure function
 * from the model (and the lock file's text) to the diagnostics and the files to write. No I/O and
 * no {@code javax} types here; {@link TwostepProcessor} reads the lock file, reports and writes.
 */
final class Pipeline {
  private Pipeline() {}

  /**
   * The lock file as the entry class found it.
   *
   * @param path the {@code -Atwostep.lockfile} option
   * @param text its content, or {@code null} when there is no such file
   * @param readFailure why it could not be read, or {@code null}
   */
  record LockFileInput(String path, String text, String readFailure) {}

  /** What the processor was asked to do beyond checking. */
  record Options(LockFileInput lockFile, String shipRelease, boolean generatedAnnotation) {}

  /**
   * The outcome.
   *
   * @param diagnostics every problem, waivers and suppressions applied, in reporting order
   * @param sources the Java files to generate: {@code <Name>Schema} whenever the migrations could
   *     be read (so its users do not add "cannot find symbol" errors to the real ones), and the
   *     catalog when there is no error
   * @param resources resource path to content ({@code META-INF/services}), when there is no error
   * @param lockFileUpdate the lock file to write for {@code -Atwostep.ship}, or {@code null}
   */
  record Output(List<Diagnostic> diagnostics, List<JavaFile> sources, Map<String, String> resources,
      LockFileUpdate lockFileUpdate) {

    boolean hasErrors() {
      return diagnostics.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
    }
  }

  /** A new lock file ({@code path}, {@code content}) and the note that says what it records. */
  record LockFileUpdate(String path, String content, String note) {}

  /** Checks {@code set} (plus the problems found while reading it) and generates what it can. */
  static Output run(MigrationSetModel set, List<Diagnostic> readProblems, Options options) {
    List<Diagnostic> found = new ArrayList<>(readProblems);
    // A bug in one family of rules must not hide what the others find.
    guarded("checking the ordering rules", () -> OrderingRules.check(set), found);
    // The SQL read once: the rules check it, the catalog and the schema constants are written from it.
    ObjectTimeline[] timeline = new ObjectTimeline[1];
    guarded("reading the SQL of the migrations", () -> {
      timeline[0] = ObjectTimeline.of(set);
      return List.of();
    }, found);
    if (timeline[0] != null) {
      guarded("checking the SQL and versioning rules", () -> SqlRules.check(timeline[0], set), found);
    }
    LockFile[] lockFile = new LockFile[1];
    guarded("checking the lock file", () -> checkShipped(set, options, lockFile), found);
    List<Diagnostic> diagnostics = new ArrayList<>(Waivers.apply(set, found));
    diagnostics.sort(Diagnostic.ORDER);
    boolean errors = diagnostics.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);

    List<JavaFile> sources = new ArrayList<>();
    Map<String, String> resources = new LinkedHashMap<>();
    LockFileUpdate update = null;
    if (timeline[0] != null) {
      try {
        sources.add(SchemaWriter.write(set, ObjectTimeline.schemaConstants(timeline[0], set),
            options.generatedAnnotation()));
      } catch (RuntimeException e) {
        if (!errors) {
          // with errors the constants may well be odd; the errors are what the user must see
          diagnostics.add(setError(Rule.INTERNAL, Messages.internal("generating the schema constants", e)));
          errors = true;
        }
      }
    }
    if (!errors) {
      try {
        sources.add(CatalogWriter.write(set, entries(set, timeline[0]), options.generatedAnnotation(),
            CatalogData.twostepVersion()));
        String catalog = set.packageName().isEmpty()
            ? CatalogWriter.className(set)
            : set.packageName() + "." + CatalogWriter.className(set);
        resources.put("META-INF/services/" + CatalogWriter.CATALOG_INTERFACE, catalog + "\n");
        if (options.shipRelease() != null && lockFile[0] != null) {
          update = ship(set, lockFile[0], options);
        }
      } catch (RuntimeException e) {
        diagnostics.add(setError(Rule.INTERNAL, Messages.internal("generating the catalog", e)));
        sources.removeIf(f -> !f.typeSpec().name().endsWith("Schema"));
        resources.clear();
        update = null;
      }
    }
    return new Output(List.copyOf(diagnostics), List.copyOf(sources), Map.copyOf(resources), update);
  }

  private static void guarded(String what, Supplier<List<Diagnostic>> rules, List<Diagnostic> out) {
    try {
      out.addAll(rules.get());
    } catch (RuntimeException e) {
      out.add(setError(Rule.INTERNAL, Messages.internal(what, e)));
    }
  }

  private static List<Diagnostic> checkShipped(MigrationSetModel set, Options options, LockFile[] parsed) {
    List<Diagnostic> out = new ArrayList<>();
    LockFileInput input = options.lockFile();
    String shipRelease = options.shipRelease();
    if (shipRelease != null) {
      if (input == null) {
        out.add(setError(Rule.LOCK_FILE, Messages.shipWithoutLockFile()));
      } else if (!Release.isValid(shipRelease) || Release.parse(shipRelease).isNext()) {
        out.add(setError(Rule.LOCK_FILE, Messages.shipBadRelease(shipRelease)));
      } else if (set.migrations().stream().noneMatch(
          m -> Release.isValid(m.release()) && Release.parse(m.release()).equals(Release.parse(shipRelease)))) {
        out.add(setError(Rule.LOCK_FILE, Messages.shipUnknownRelease(shipRelease)));
      }
    }
    if (input == null) {
      return out;
    }
    if (input.readFailure() != null) {
      out.add(setError(Rule.LOCK_FILE, Messages.lockFileUnreadable(input.path(), input.readFailure())));
      return out;
    }
    if (input.text() == null) {
      parsed[0] = LockFile.empty();
      if (shipRelease == null) {
        out.add(new Diagnostic(Diagnostic.Severity.WARNING, Rule.LOCK_FILE, null, Diagnostic.Anchor.CLASS,
            Messages.lockFileMissing(input.path())));
      }
    } else {
      try {
        parsed[0] = LockFile.parse(input.text());
      } catch (LockFile.MalformedException e) {
        out.add(setError(Rule.LOCK_FILE, Messages.lockFileMalformed(input.path(), e.line(), e.getMessage())));
        return out;
      }
    }
    out.addAll(ShippedRules.check(set, parsed[0]));
    return out;
  }

  private static Diagnostic setError(Rule rule, String message) {
    return new Diagnostic(Diagnostic.Severity.ERROR, rule, null, Diagnostic.Anchor.CLASS, message);
  }

  /** Records the shipped release in the lock file: the one file this processor ever writes. */
  private static LockFileUpdate ship(MigrationSetModel set, LockFile lockFile, Options options) {
    LockFile shipped = ShippedRules.ship(set, lockFile, Release.parse(options.shipRelease()));
    String path = options.lockFile().path();
    return new LockFileUpdate(path, shipped.format(),
        Messages.shipped(path, options.shipRelease(), shipped.entries().size() - lockFile.entries().size()));
  }

  /** The catalog entries of {@code set} in order of application, statements as {@code timeline} parsed them. */
  static List<CatalogEntry> entries(MigrationSetModel set, ObjectTimeline timeline) {
    List<CatalogEntry> entries = new ArrayList<>();
    for (MigrationModel m : set.migrations()) {
      List<CatalogEntry.Statement> statements = new ArrayList<>();
      boolean transactional;
      if (m.hasSql()) {
        // an expanded pre-migration that copies rows, or a post that validates, runs in autocommit
        transactional = !m.shape().nonTransactional();
        for (ParsedStatement s : timeline.script(m).statements()) {
          statements.add(new CatalogEntry.Statement(s.line(), s.text(), s.concurrentIndex()));
          transactional &= !s.nonTransactional();
        }
      } else {
        transactional = !m.shape().nonTransactional();
      }
      entries.add(new CatalogEntry(m, statements, transactional, Checksums.of(m)));
    }
    return entries;
  }
}
