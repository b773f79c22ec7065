package dev.twostep.processor;

import dev.twostep.CatalogData;
import dev.twostep.Release;
import dev.twostep.processor.internal.check.Messages;
import dev.twostep.processor.internal.check.ObjectTimeline;
import dev.twostep.processor.internal.check.OrderingRules;
import dev.twostep.processor.internal.check.Rules;
import dev.twostep.processor.internal.check.ShippedRules;
import dev.twostep.processor.internal.check.SqlRules;
import dev.twostep.processor.internal.codegen.CatalogEntry;
import dev.twostep.processor.internal.codegen.CatalogWriter;
import dev.twostep.processor.internal.codegen.SchemaWriter;
import dev.twostep.processor.internal.model.Checksums;
import dev.twostep.processor.internal.model.Diagnostic;
import dev.twostep.processor.internal.model.LockFile;
import dev.twostep.processor.internal.model.MigrationModel;
import dev.twostep.processor.internal.model.MigrationSetModel;
import dev.twostep.processor.internal.sql.ParsedStatement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic.Kind;

/**
 * The check and generate steps over one migration set, after the entry class has read it. Pure
 * model in, diagnostics and files out; the only {@code javax} types here are the environment and
 * the originating elements handed to the {@code Filer}.
 */
final class Pipeline {
  private final ProcessingEnvironment env;
  private final MigrationSetModel set;
  private final String lockFilePath;
  private final String shipRelease;
  /** Every migration's SQL parsed and replayed once by {@link #check}, reused by {@link #generate}. */
  private ObjectTimeline timeline;
  /** The lock file as read by {@link #check}; {@code null} without the option or when unreadable. */
  private LockFile lockFile;

  Pipeline(ProcessingEnvironment env, MigrationSetModel set) {
    this.env = env;
    this.set = set;
    this.lockFilePath = blankToNull(env.getOptions().get(TwostepProcessor.LOCKFILE_OPTION));
    this.shipRelease = blankToNull(env.getOptions().get(TwostepProcessor.SHIP_OPTION));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** Every problem of the set, unwaived and unsorted. */
  List<Diagnostic> check() {
    List<Diagnostic> out = new ArrayList<>();
    // A bug in one family of rules must not hide what the others find.
    guarded("checking the ordering rules", () -> OrderingRules.check(set), out);
    guarded("checking the SQL and versioning rules", () -> {
      timeline = ObjectTimeline.of(set);
      return SqlRules.check(timeline, set);
    }, out);
    guarded("checking the lock file", this::checkShipped, out);
    return out;
  }

  private static void guarded(String what, Supplier<List<Diagnostic>> rules, List<Diagnostic> out) {
    try {
      out.addAll(rules.get());
    } catch (RuntimeException e) {
      out.add(setError(Rules.INTERNAL, Messages.internal(what, e)));
    }
  }

  private List<Diagnostic> checkShipped() {
    List<Diagnostic> out = new ArrayList<>();
    if (shipRelease != null) {
      if (lockFilePath == null) {
        out.add(setError(Rules.LOCK_FILE, Messages.shipWithoutLockFile()));
      } else if (!Release.isValid(shipRelease)) {
        out.add(setError(Rules.LOCK_FILE, Messages.shipBadRelease(shipRelease)));
      } else if (set.migrations().stream().noneMatch(
          m -> Release.isValid(m.release()) && Release.parse(m.release()).equals(Release.parse(shipRelease)))) {
        out.add(setError(Rules.LOCK_FILE, Messages.shipUnknownRelease(shipRelease)));
      }
    }
    if (lockFilePath == null) {
      return out;
    }
    try {
      lockFile = LockFile.parse(Files.readString(Path.of(lockFilePath)));
    } catch (NoSuchFileException e) {
      lockFile = LockFile.empty();
      if (shipRelease == null) {
        out.add(new Diagnostic(Diagnostic.Severity.WARNING, Rules.LOCK_FILE, null, Diagnostic.Anchor.CLASS,
            Messages.lockFileMissing(lockFilePath)));
      }
    } catch (IOException e) {
      out.add(setError(Rules.LOCK_FILE, Messages.lockFileUnreadable(lockFilePath, String.valueOf(e.getMessage()))));
      return out;
    } catch (LockFile.MalformedException e) {
      out.add(setError(Rules.LOCK_FILE, Messages.lockFileMalformed(lockFilePath, e.line(), e.getMessage())));
      return out;
    }
    out.addAll(ShippedRules.check(set, lockFile));
    return out;
  }

  private static Diagnostic setError(String rule, String message) {
    return new Diagnostic(Diagnostic.Severity.ERROR, rule, null, Diagnostic.Anchor.CLASS, message);
  }

  /** Writes the catalog, the schema constants and the services entry. */
  void generate(Element[] origins, boolean generatedAnnotation) {
    List<CatalogEntry> entries = entries(set, timeline);
    TwostepProcessor.writeSource(
        env, CatalogWriter.write(set, entries, generatedAnnotation, CatalogData.twostepVersion()), origins);
    writeSchema(origins, generatedAnnotation);
    writeServicesAndShip(origins);
  }

  private void writeSchema(Element[] origins, boolean generatedAnnotation) {
    TwostepProcessor.writeSource(env,
        SchemaWriter.write(set, ObjectTimeline.schemaConstants(timeline, set), generatedAnnotation), origins);
  }

  /**
   * After a rule failed: writes only {@code <Name>Schema}, so the application code that uses its
   * constants compiles and the rule's error is the only one the user sees, instead of one
   * {@code cannot find symbol} per use. Nothing is written when the SQL could not be replayed
   * (the error that says why is already reported).
   */
  void generateSchemaOnly(Element[] origins, boolean generatedAnnotation) {
    if (timeline == null) {
      return;
    }
    try {
      writeSchema(origins, generatedAnnotation);
    } catch (RuntimeException e) {
      // the set is already known to be wrong and its errors are reported: constants that cannot
      // be derived from it are left out rather than reported as a second, internal error
    }
  }

  private void writeServicesAndShip(Element[] origins) {
    String catalog = set.packageName().isEmpty()
        ? CatalogWriter.className(set)
        : set.packageName() + "." + CatalogWriter.className(set);
    TwostepProcessor.writeResource(env, "META-INF/services/" + CatalogWriter.CATALOG_INTERFACE, catalog + "\n", origins);
    if (shipRelease != null && lockFile != null) {
      ship();
    }
  }

  /** Records the shipped release in the lock file: the one file this processor ever writes. */
  private void ship() {
    LockFile shipped = ShippedRules.ship(set, lockFile, Release.parse(shipRelease));
    try {
      Files.writeString(Path.of(lockFilePath), shipped.format());
      env.getMessager().printMessage(Kind.NOTE, "[twostep:" + Rules.LOCK_FILE + "] "
          + Messages.shipped(lockFilePath, shipRelease, shipped.entries().size() - lockFile.entries().size()));
    } catch (IOException e) {
      env.getMessager().printMessage(Kind.ERROR, "[twostep:" + Rules.LOCK_FILE + "] "
          + Messages.lockFileUnreadable(lockFilePath, "writing failed: " + e.getMessage()));
    }
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
          statements.add(new CatalogEntry.Statement(s.line(), s.text()));
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
