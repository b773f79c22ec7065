package dev.twostep.processor.internal.check;

import dev.twostep.processor.internal.model.MigrationModel;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every message text the processor shows, in one place, so wording stays consistent and tests can
 * assert on exactly what users read. Each text says what is wrong in the user's terms and how to
 * fix it; the {@code [twostep:<rule>]} prefix is added by {@code Diagnostic.text()}.
 */
public final class Messages {
  private Messages() {}

  // ---- ordering rules ------------------------------------------------------------------------

  public static String releaseFormat(MigrationModel m) {
    return m.phase().label() + "-migration " + m.simpleName() + " has release \"" + m.release()
        + "\", which is not 1 to 4 dot-separated non-negative integers. Write it like \"2\", \"2.1\", \"2.1.0\" or \"2.1.0.4\".";
  }

  public static String releaseSpelling(MigrationModel m, List<String> spellings) {
    return "release " + m.release() + " of " + m.simpleName() + " is spelled " + spellings.size()
        + " ways in this set (" + quoted(spellings) + "), which name the same release. Spell it one way everywhere, e.g. \""
        + spellings.get(spellings.size() - 1) + "\".";
  }

  public static String duplicateStep(MigrationModel m, List<MigrationModel> others) {
    return m.label() + " (" + m.simpleName() + ") has the same release, phase and step as "
        + others.stream().map(MigrationModel::simpleName).collect(Collectors.joining(", "))
        + ". Give each migration of a release and phase its own step, numbered 1..n.";
  }

  public static String stepNotPositive(MigrationModel m) {
    return m.phase().label() + "-migration " + m.release() + " (" + m.simpleName() + ") has step " + m.step()
        + "; steps start at 1. Number the " + m.phase().label() + "-migrations of " + m.release() + " 1..n.";
  }

  public static String stepGap(MigrationModel m, int expected) {
    return m.label() + " (" + m.simpleName() + ") should be step " + expected + ": the " + m.phase().label()
        + "-migrations of " + m.release() + " must be numbered 1..n without gaps, and step " + expected
        + " is missing. Renumber it to step " + expected + " (or add the missing step).";
  }

  public static String bodyBoth(MigrationModel m) {
    return m.label() + " (" + m.simpleName() + ") has sql and also implements JavaMigration. "
        + "Keep one: remove the sql attribute to run the Java code, or remove the JavaMigration implementation.";
  }

  public static String bodyNeither(MigrationModel m) {
    return m.label() + " (" + m.simpleName() + ") has no sql and does not implement JavaMigration, so it would do nothing. "
        + "Put the statements in the sql attribute, or implement dev.twostep.JavaMigration.";
  }

  public static String bodyBothPhases(MigrationModel m) {
    return m.simpleName() + " is annotated with both @PreMigration and @PostMigration. "
        + "A migration runs in one phase: split it into two classes.";
  }

  public static String bodyNotAClass(MigrationModel m, String kind) {
    return m.label() + " is on " + kind + " " + m.simpleName() + "; migrations must be classes. Make it a final class.";
  }

  public static String bodyAbstract(MigrationModel m) {
    return m.label() + " (" + m.simpleName() + ") is abstract, so the generated catalog cannot create it. Make it a concrete class.";
  }

  public static String bodyInner(MigrationModel m) {
    return m.label() + " (" + m.simpleName() + ") is an inner class, so the generated catalog cannot create it. Declare it static.";
  }

  public static String bodyNoConstructor(MigrationModel m) {
    return "Java " + m.label() + " (" + m.simpleName() + ") has no no-argument constructor, so the generated catalog cannot create it. "
        + "Add one (the catalog creates the migration with it).";
  }

  public static String bodyNotAccessible(MigrationModel m, String what, String generatedPackage) {
    return "Java " + m.label() + " (" + m.simpleName() + "): its " + what + " is not visible from package "
        + (generatedPackage.isEmpty() ? "(default)" : generatedPackage)
        + ", where the generated catalog lives. Make the class and its no-argument constructor public"
        + " (or move the migration to that package).";
  }

  public static String bodyNonTransactionalSql(MigrationModel m) {
    return m.label() + " (" + m.simpleName() + ") is an SQL migration but implements NonTransactional, which only applies to Java migrations. "
        + "Remove it: the runner detects statements that cannot run in a transaction by itself.";
  }

  // ---- the set ------------------------------------------------------------------------------

  public static String setMoreThanOne(List<String> packages) {
    return "@MigrationSet is on " + packages.size() + " packages (" + String.join(", ", packages)
        + "), but one compilation holds one migration set. Keep one @MigrationSet.";
  }

  public static String setBadName(String name) {
    return "@MigrationSet(name = \"" + name + "\") is not a Java identifier, so no class can be named after it. "
        + "Use a name like \"Shop\" (the classes become ShopMigrations and ShopSchema).";
  }

  public static String setBadCheckedFrom(String release) {
    return "@MigrationSet(checkedFrom = \"" + release + "\") is not 1 to 4 dot-separated non-negative integers. "
        + "Name the first release the rules check, like \"3.0.0\".";
  }

  // ---- waivers -------------------------------------------------------------------------------

  public static String waiverBlankReason(MigrationModel m, String rule) {
    return "@Waive(rule = \"" + rule + "\") on " + m.simpleName() + " has no reason. "
        + "Say why breaking the rule is safe here: the reason is shown by plan and recorded in the history table.";
  }

  public static String waiverUnknownRule(MigrationModel m, String rule, List<String> rules) {
    return "@Waive on " + m.simpleName() + " names rule \"" + rule + "\", which does not exist. Use one of: "
        + String.join(", ", rules) + ".";
  }

  public static String waiverUnused(MigrationModel m, String rule) {
    return "@Waive(rule = \"" + rule + "\") on " + m.simpleName() + " waives nothing: the rule does not fire here. Remove the waiver.";
  }

  // ---- shipped releases (lock file) ---------------------------------------------------------

  public static String shippedChanged(MigrationModel m, dev.twostep.Release newestShipped) {
    return m.label() + " (" + m.simpleName() + ") was changed after release " + m.release()
        + " shipped: its checksum differs from the lock file's, and databases that ran it would silently differ from new ones. "
        + "Restore the shipped text and make the change in a new migration of the next release (after " + newestShipped.text() + ").";
  }

  public static String shippedAdded(MigrationModel m, dev.twostep.Release newestShipped) {
    return m.label() + " (" + m.simpleName() + ") belongs to release " + m.release() + ", but releases up to "
        + newestShipped.text() + " have shipped and the lock file does not list it: databases that already ran "
        + m.release() + " would never run it. Move it to a release after " + newestShipped.text() + ".";
  }

  public static String shippedRemoved(dev.twostep.processor.internal.model.LockFile.Entry e) {
    return e.label() + " is listed in the lock file as shipped, but no migration of the sources is at that place: "
        + "databases that ran it would differ from new ones. Restore the migration; to undo what it did, "
        + "add a new migration to the next release.";
  }

  public static String lockFileMalformed(String path, int line, String problem) {
    return "lock file " + path + ", line " + line + ": " + problem
        + ". The file is written by -Atwostep.ship=<release>; restore it from version control.";
  }

  public static String lockFileUnreadable(String path, String problem) {
    return "cannot read lock file " + path + ": " + problem + ". Check the path given to -Atwostep.lockfile.";
  }

  public static String lockFileMissing(String path) {
    return "lock file " + path + " does not exist, so no release is recorded as shipped. "
        + "Record one by compiling with -Atwostep.ship=<release>, or fix the path given to -Atwostep.lockfile.";
  }

  public static String shipWithoutLockFile() {
    return "-Atwostep.ship needs -Atwostep.lockfile=<path> naming the lock file to record the release in.";
  }

  public static String shipBadRelease(String release) {
    return "-Atwostep.ship=" + release + " is not a release (1 to 4 dot-separated non-negative integers).";
  }

  public static String shipUnknownRelease(String release) {
    return "-Atwostep.ship=" + release + " names a release that has no migration in the sources. "
        + "Ship a release the sources have.";
  }

  public static String shipped(String path, String release, int added) {
    return "recorded release " + release + " as shipped in " + path + " (" + added + " migration"
        + (added == 1 ? "" : "s") + " added). Commit the file.";
  }

  // ---- generation ----------------------------------------------------------------------------

  public static String laterRound(String className) {
    return "migration " + className + " appeared in a later annotation-processing round, after the catalog was generated. "
        + "Migrations must be written by hand, not generated by another processor.";
  }

  public static String internal(String what, Throwable t) {
    java.io.StringWriter trace = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(trace));
    return "the Twostep processor failed while " + what + ". This is a bug in Twostep; please report it with this trace:\n" + trace;
  }

  // ---- SQL and versioning rules (internal.sql, VersioningRules) ------------------------------

  private static String quoted(List<String> values) {
    return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", "));
  }
}
