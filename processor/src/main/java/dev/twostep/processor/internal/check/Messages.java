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
        + "\", which is not 1 to 4 dot-separated non-negative integers. Write it like \"2\", \"2.1\", \"2.1.0\" or \"2.1.0.4\", "
        + "or \"next\" for the release under development.";
  }

  public static String releaseSpelling(MigrationModel m, List<String> spellings) {
    return "release " + m.release() + " of " + m.simpleName() + " is spelled " + spellings.size()
        + " ways in this set (" + quoted(spellings) + "), which name the same release. Spell it one way everywhere, e.g. \""
        + spellings.get(spellings.size() - 1) + "\".";
  }

  public static String duplicateStep(MigrationModel m, List<MigrationModel> others, int freeStep) {
    return m.label() + " (" + m.simpleName() + ") has the same release, phase and step as "
        + others.stream().map(MigrationModel::simpleName).collect(Collectors.joining(", "))
        + ". Give each migration of a release and phase its own step, numbered 1..n: the next free "
        + m.phase().label() + " step of " + m.release() + " is " + freeStep + ".";
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

  public static String waiverNotWaivable(MigrationModel m, String rule, List<String> waivable) {
    return "@Waive on " + m.simpleName() + " names rule \"" + rule + "\", which cannot be waived: a catalog that breaks it "
        + "would fail when it is deployed instead of when it is compiled. Fix the problem; the rules that can be waived are "
        + String.join(", ", waivable) + ".";
  }

  public static String waiverUnused(MigrationModel m, String rule) {
    return "@Waive(rule = \"" + rule + "\") on " + m.simpleName() + " waives nothing: the rule does not fire here. Remove the waiver.";
  }

  // ---- shipped releases (lock file) ---------------------------------------------------------

  public static String shippedChanged(MigrationModel m, dev.twostep.Release newestShipped) {
    return m.label() + " (" + m.simpleName() + ") was changed after release " + m.release()
        + " shipped: its checksum differs from the lock file's, and databases that ran it would silently differ from new ones. "
        + (m.hasSql() ? "Restore the shipped text" : "Restore the shipped code of the class (comments and layout may change, code may not)")
        + " and make the change in a new migration of the next release (after " + newestShipped.text() + ").";
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
    return "-Atwostep.ship=" + release + " is not a release to ship (1 to 4 dot-separated non-negative integers; "
        + "\"next\" is what shipping renames).";
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

  /** {@code "statement 3, line 7 of the SQL"}. */
  public static String at(dev.twostep.processor.internal.sql.ParsedStatement s) {
    return "statement " + s.number() + ", line " + s.line() + " of the SQL";
  }

  private static String who(MigrationModel m) {
    return m.label() + " (" + m.simpleName() + ")";
  }

  private static String codeOf(String previousRelease) {
    return previousRelease == null ? "code of the previous release" : "code of release " + previousRelease;
  }

  public static String sqlSyntax(MigrationModel m, dev.twostep.processor.internal.sql.SqlProblem p) {
    String fix;
    switch (p.kind()) {
      case UNTERMINATED_STRING:
        fix = "Close it with ' (inside a string, write a quote as '').";
        break;
      case UNTERMINATED_QUOTED_IDENTIFIER:
        fix = "Close it with \" (inside a quoted name, write a double quote as \"\").";
        break;
      case UNTERMINATED_DOLLAR_QUOTE:
        fix = "Close it with " + p.closer() + " (the closing tag must repeat the opening one exactly, case included).";
        break;
      case UNTERMINATED_COMMENT:
        fix = "Close it with */ (comments nest in PostgreSQL: every /* inside needs its own */).";
        break;
      case UNCLOSED_PARENTHESIS:
        fix = "Add the missing " + p.closer() + ", or remove the extra " + p.opener() + ".";
        break;
      default:
        fix = "End the body with END before the semicolon that ends the statement.";
    }
    return who(m) + ": " + p.message() + ", so PostgreSQL would reject the SQL. " + fix;
  }

  public static String sqlEmpty(MigrationModel m) {
    return who(m) + " has SQL without a single statement: only comments, white space or semicolons. "
        + "Write the statements, or delete the migration if it has nothing to do.";
  }

  public static String transactionControl(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s) {
    return who(m) + " runs " + s.command() + " in " + at(s) + ", but the runner runs every migration in a transaction "
        + "of its own and commits it together with its history row. Remove the " + s.command()
        + "; to commit in between, split the work into separate migrations.";
  }

  public static String nonTransactionalAlone(
      MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s, int statements) {
    return who(m) + " runs " + s.command() + " in " + at(s) + ", which PostgreSQL cannot run inside a transaction block, "
        + "together with " + (statements - 1) + " other statement" + (statements == 2 ? "" : "s")
        + ". Move it into a migration of its own: the runner runs a migration whose only statement is "
        + s.command() + " outside a transaction.";
  }

  public static String opaqueStatement(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s) {
    return who(m) + " has a DO block in " + at(s) + "; Twostep cannot see what it creates, drops or changes, "
        + "so the versioning and pre-contract rules do not check it. Prefer plain statements, or review the block by hand "
        + "and add @SuppressWarnings(\"twostep:opaque-statement\") to the migration.";
  }

  public static String versionedName(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String object, String kindPlural, String suggestion) {
    return who(m) + " creates " + object + " in " + at(s) + " without a version suffix; " + kindPlural
        + " are versioned in their name, so that code of the previous release keeps calling the version it knows. Name it "
        + suggestion + " (or, for a bridge object, drop it again in a @PostMigration of " + m.release() + ").";
  }

  public static String versionSequence(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String object, String base, int highest, String highestRelease) {
    String sofar = highest == 0
        ? "but " + base + " has no earlier version"
        : "but the highest version of " + base + " so far is v" + highest + " (from release " + highestRelease + ")";
    return who(m) + " creates " + object + " in " + at(s) + ", " + sofar + ". Name it " + base + "_v" + (highest + 1)
        + ": versions count up by one, so readers can tell which is newest.";
  }

  public static String replaces(String object) {
    return "replaces " + object;
  }

  public static String recreates(String object) {
    return "creates " + object + " again";
  }

  public static String renames(String object, String newName) {
    return "renames " + object + " to " + newName;
  }

  public static String alters(String change, String member, String object) {
    return change + " " + member + " of " + object;
  }

  public static String immutableVersion(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String action, String createdRelease, String suggestion) {
    return who(m) + " " + action + " in " + at(s) + ", but release " + createdRelease + " created that version, "
        + "and a released version is immutable: code of " + createdRelease + " and later may rely on it as it is. "
        + "Create " + suggestion + " instead, switch the code to it, and drop the old version in a @PostMigration "
        + "once no running code uses it.";
  }

  /** {@code "which release 1.0.0 created"} or, for an object Twostep never saw created, {@code "which existed before 2.0.0"}. */
  public static String origin(String createdRelease, String release) {
    return createdRelease == null ? "which existed before release " + release : "which release " + createdRelease + " created";
  }

  public static String preDrop(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String object, String origin, String previousRelease) {
    return who(m) + " drops " + object + " in " + at(s) + ", " + origin + " and " + codeOf(previousRelease)
        + " may still use while " + m.release() + " deploys. Move the DROP to a @PostMigration of " + m.release() + ".";
  }

  public static String preRename(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String object, String newName, String origin, String previousRelease) {
    return who(m) + " renames " + object + " to " + newName + " in " + at(s) + ", " + origin + " and "
        + codeOf(previousRelease) + " may still use under its old name while " + m.release() + " deploys. "
        + "Rename it in a @PostMigration of " + m.release() + ", or create the new name beside the old one here "
        + "and drop the old one in a @PostMigration of " + m.release() + ".";
  }

  public static String preReplace(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String object, String origin, String previousRelease, String suggestion) {
    return who(m) + " replaces " + object + " in " + at(s) + ", " + origin + " and " + codeOf(previousRelease)
        + " may still use as it was while " + m.release() + " deploys. Create " + suggestion
        + " instead, and drop the old one in a @PostMigration of " + m.release() + ".";
  }

  public static String preAlter(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String action, String origin, String previousRelease) {
    return who(m) + " " + action + " in " + at(s) + ", " + origin + " and " + codeOf(previousRelease)
        + " may still use as it was while " + m.release() + " deploys. Create a new object (a new version) with the "
        + "new shape instead, and drop the old one in a @PostMigration of " + m.release() + ".";
  }

  public static String preDropColumn(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String column, String table, String previousRelease) {
    return who(m) + " drops column " + column + " of table " + table + " in " + at(s) + ", which "
        + codeOf(previousRelease) + " may still read or write while " + m.release() + " deploys. "
        + "Move the DROP COLUMN to a @PostMigration of " + m.release() + " (once the code of " + m.release()
        + " no longer uses it).";
  }

  public static String preRenameColumn(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String column, String table, String newName, String previousRelease) {
    return who(m) + " renames column " + column + " of table " + table + " to " + newName + " in " + at(s) + ", but "
        + codeOf(previousRelease) + " still uses the old name while " + m.release() + " deploys. Add " + newName
        + " as a new column here, keep both in sync (a bridge trigger) and backfill it, switch the code to "
        + newName + ", and drop " + column + " in a @PostMigration of " + m.release() + ".";
  }

  public static String preColumnType(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String column, String table, String previousRelease) {
    return who(m) + " changes the type of column " + column + " of table " + table + " in " + at(s) + ", which "
        + codeOf(previousRelease) + " may still read or write as it was while " + m.release() + " deploys "
        + "(and most type changes rewrite the table under an exclusive lock). Add a new column of the new type here, "
        + "backfill it, switch the code, and drop the old column in a @PostMigration of " + m.release() + ".";
  }

  public static String preSetNotNull(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String column, String table, String previousRelease) {
    return who(m) + " sets NOT NULL on column " + column + " of table " + table + " in " + at(s) + ", but "
        + codeOf(previousRelease) + " may still write NULL there while " + m.release() + " deploys. "
        + "Set NOT NULL in a @PostMigration of " + m.release() + " (a CHECK (" + column
        + " IS NOT NULL) NOT VALID constraint, validated there, makes it fast).";
  }

  public static String preDropDefault(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String column, String table, String previousRelease) {
    return who(m) + " drops the default of column " + column + " of table " + table + " in " + at(s) + ", which "
        + codeOf(previousRelease) + " may rely on when it inserts rows while " + m.release() + " deploys. "
        + "Move the DROP DEFAULT to a @PostMigration of " + m.release() + ".";
  }

  public static String preNotNullColumn(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String column, String table, String previousRelease) {
    return who(m) + " adds column " + column + " to table " + table + " as NOT NULL without a default in " + at(s)
        + ", so inserts by " + codeOf(previousRelease) + ", which does not know the column, fail while "
        + m.release() + " deploys. Give it a default (DEFAULT ...), or add it nullable here and set NOT NULL in a "
        + "@PostMigration of " + m.release() + ".";
  }

  public static String preDropConstraint(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String constraint, String table, String previousRelease) {
    return who(m) + " drops constraint " + constraint + " of table " + table + " in " + at(s)
        + ", which existed before release " + m.release() + "; " + codeOf(previousRelease)
        + " may rely on it (ON CONFLICT, the data it guarantees) while " + m.release() + " deploys. "
        + "Move the DROP CONSTRAINT to a @PostMigration of " + m.release() + ".";
  }

  public static String preRenameConstraint(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String constraint, String table, String newName, String previousRelease) {
    return who(m) + " renames constraint " + constraint + " of table " + table + " to " + newName + " in " + at(s)
        + ", which existed before release " + m.release() + "; " + codeOf(previousRelease)
        + " may name it (ON CONFLICT ON CONSTRAINT, error handling) while " + m.release() + " deploys. "
        + "Rename it in a @PostMigration of " + m.release() + ".";
  }

  public static String preRenameEnumValue(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String value, String type, String newValue, String previousRelease) {
    return who(m) + " renames value '" + value + "' of enum type " + type + " to '" + newValue + "' in " + at(s)
        + ", but " + codeOf(previousRelease) + " still reads and writes '" + value + "' while " + m.release()
        + " deploys. Add '" + newValue + "' with ALTER TYPE ... ADD VALUE here instead, move the rows and the code to it, "
        + "and stop using '" + value + "' (PostgreSQL cannot drop an enum value).";
  }

  // ---- lock safety (LockSafetyRules) ---------------------------------------------------------

  private static final String GROWS = "for as long as it takes, a time that grows with the size of the table";

  private static String lockIntro(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s, String what) {
    return who(m) + " runs " + what + " in " + at(s);
  }

  private static String lockIntro(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s, String what,
      String table) {
    return who(m) + " runs " + what + " on existing table " + table + " in " + at(s);
  }

  public static String rewriteTypeChange(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String what, String table, String column, String from, String to) {
    return lockIntro(m, s, what, table) + ", which changes column " + column
        + (from == null ? "" : " from " + from) + " to " + to + ": not a binary-coercible change, so PostgreSQL rewrites "
        + "the table and its indexes holding an ACCESS EXCLUSIVE lock, which blocks every read and write of " + table
        + " " + GROWS + ". Add a new column of type " + to + " instead, backfill it in batches (a NonTransactional Java "
        + "migration with MigrationContext.inBatches), switch the code to it, and drop the old column in a @PostMigration "
        + "(widening varchar, varchar to text and numeric precision are rewrite-free).";
  }

  public static String rewrite(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String what, String table, String recipe) {
    return lockIntro(m, s, what, table) + ", which rewrites the whole table holding an "
        + "ACCESS EXCLUSIVE lock: every read and write of " + table + " waits " + GROWS + ". " + recipe;
  }

  public static String rewriteAddColumnRecipe() {
    return "Add the column without a default or with a constant or STABLE one (now() is fine: it is stored once), "
        + "fill it in batches (a NonTransactional Java migration with MigrationContext.inBatches), then set the default "
        + "for new rows with ALTER COLUMN ... SET DEFAULT; for an identity, use a bigint column with a sequence default "
        + "set after the backfill.";
  }

  public static String rewriteOtherRecipe() {
    return "There is no online form of this statement: run it in a maintenance window (or use pg_repack) instead of in "
        + "a migration, or waive the rule with @Waive(rule = \"table-rewrite\", reason = \"...\") when the table "
        + "is known to be small.";
  }

  public static String blockingIndex(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String what, String table) {
    return lockIntro(m, s, what, table) + " without CONCURRENTLY: it holds a SHARE lock, "
        + "which blocks every INSERT, UPDATE and DELETE on " + table + " (reads go on) for the whole index build, "
        + GROWS + ". Build it with CREATE INDEX CONCURRENTLY in a migration of its own (the runner runs it outside a "
        + "transaction).";
  }

  public static String blockingReindex(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String what, String table) {
    return (table == null ? lockIntro(m, s, what) : lockIntro(m, s, what, table)) + " without CONCURRENTLY: "
        + "it blocks writes to the table (SHARE lock) and every query that would use the index (ACCESS EXCLUSIVE on "
        + "the index) for the whole rebuild, " + GROWS + ". Use REINDEX ... CONCURRENTLY in a migration of its own.";
  }

  public static String blockingConstraintIndex(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String what, String table) {
    return lockIntro(m, s, what, table) + ", which builds its index while holding an "
        + "ACCESS EXCLUSIVE lock: every read and write of " + table + " waits " + GROWS + ". Build the index first "
        + "with CREATE UNIQUE INDEX CONCURRENTLY in a migration of its own, then add the constraint in a later step with "
        + "ADD CONSTRAINT ... PRIMARY KEY USING INDEX or UNIQUE USING INDEX (instant). An EXCLUDE constraint has no "
        + "online form: waive it with a reason if the table is small.";
  }

  public static String validatingConstraint(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String what, String table, boolean foreignKey) {
    String lock = foreignKey
        ? "a SHARE ROW EXCLUSIVE lock on " + table + " and on the referenced table, which blocks their writes"
        : "an ACCESS EXCLUSIVE lock on " + table + ", which blocks every read and write";
    return lockIntro(m, s, what, table) + " without NOT VALID: it checks every row while "
        + "holding " + lock + ", " + GROWS + ". Add it with NOT VALID here (instant; new rows are checked from now on), "
        + "and run ALTER TABLE " + table + " VALIDATE CONSTRAINT ... in a later migration: validating holds only a "
        + "SHARE UPDATE EXCLUSIVE lock, so reads and writes go on.";
  }

  public static String validatingDomainConstraint(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String domain) {
    return lockIntro(m, s, "ALTER DOMAIN " + domain + " ADD CONSTRAINT") + " without NOT VALID: it checks every "
        + "column of that domain in every table, holding a SHARE lock on each, which blocks their writes " + GROWS
        + ". Add it with NOT VALID here and run ALTER DOMAIN " + domain + " VALIDATE CONSTRAINT ... in a later migration.";
  }

  public static String validateUnderExclusiveLock(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String table, dev.twostep.processor.internal.sql.ParsedStatement locker) {
    return lockIntro(m, s, "VALIDATE CONSTRAINT", table) + ", but " + at(locker) + " of the same "
        + "migration already took an ACCESS EXCLUSIVE lock on " + table + ", which is held until the migration commits: "
        + "the validation scan, " + GROWS + ", then runs while every read and write of " + table + " waits. "
        + "Move the VALIDATE CONSTRAINT to a migration of its own (a later step), where it holds only SHARE UPDATE EXCLUSIVE.";
  }

  public static String setNotNullScan(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String what, String table, String column) {
    return lockIntro(m, s, what, table) + " with no validated CHECK (" + column
        + " IS NOT NULL) before it: PostgreSQL scans every row to prove the column has no NULL while holding an "
        + "ACCESS EXCLUSIVE lock, which blocks every read and write of " + table + " " + GROWS + ". Add CONSTRAINT "
        + "... CHECK (" + column + " IS NOT NULL) NOT VALID in an earlier migration, VALIDATE CONSTRAINT it in a later "
        + "one (reads and writes go on), and then SET NOT NULL: it uses the validated check instead of scanning.";
  }

  public static String notNullWithoutDefault(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String column, String table) {
    return lockIntro(m, s, "ADD COLUMN " + column + " ... NOT NULL", table) + " without a "
        + "non-null default: it fails on any table that has a row (SQLSTATE 23502), so it works in tests and breaks "
        + "the deploy. Add the column nullable (or with a constant default), backfill it in batches, then add "
        + "CHECK (" + column + " IS NOT NULL) NOT VALID, validate it and SET NOT NULL in later migrations.";
  }

  public static String destructiveDatabase(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s) {
    return lockIntro(m, s, s.command()) + ", which destroys data beyond this application's schema and cannot be "
        + "undone. A migration is the wrong place: do it by hand, outside the catalog.";
  }

  public static String destructiveTruncate(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String table, boolean cascade, boolean pre) {
    String why = cascade
        ? " with CASCADE, which also empties every table that references " + table + " by a foreign key, and those "
            + "tables are not named in the statement"
        : ", in a pre-migration: it empties a table that code of the previous release still reads and writes while "
            + "this release deploys";
    return lockIntro(m, s, "TRUNCATE", table) + why + " (holding ACCESS EXCLUSIVE on each). "
        + "Name every table you mean to empty without CASCADE" + (pre ? ", in a @PostMigration," : "")
        + " or DELETE the rows you mean in batches.";
  }

  public static String sessionSettingStrict(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String setting) {
    return lockIntro(m, s, s.command() + " " + setting) + " without LOCAL: it changes the session, not only this "
        + "migration's transaction, so it outlives the migration on the runner's connection and replaces what the runner "
        + "set (" + ("role".equals(setting) || "session authorization".equals(setting)
            ? "later migrations would run as another role"
            : "the lock_timeout that keeps a waiting migration from queueing the application's queries behind it")
        + "). Use SET LOCAL " + setting + " ..., which ends with the migration's transaction.";
  }

  public static String sessionSetting(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String setting) {
    return lockIntro(m, s, s.command() + " " + setting) + " without LOCAL: the setting outlives this migration's "
        + "transaction on the runner's connection. Use SET LOCAL " + setting + " ..., which ends with the migration.";
  }

  public static String unbatchedBackfill(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String verb, String table) {
    return lockIntro(m, s, verb, table) + ", all in one transaction: every row it changes stays "
        + "locked until the migration commits, so the application's writes to those rows wait " + GROWS
        + ", and one huge transaction bloats the table. Do it in a NonTransactional Java migration with "
        + "MigrationContext.inBatches(\"" + verb + " ... WHERE id IN (SELECT id FROM " + table + " WHERE ... LIMIT 1000)\"), "
        + "which commits every batch.";
  }

  public static String exclusiveLocksOnSeveralTables(MigrationModel m, List<String> tables) {
    return who(m) + " takes ACCESS EXCLUSIVE locks on " + tables.size() + " existing tables (" + String.join(", ", tables)
        + ") in one transaction: each lock is held until the migration commits, so reads and writes of the first table "
        + "wait while the migration queues for the next one, and the lock order invites deadlocks with the application. "
        + "Split it into one migration per table.";
  }

  public static String explicitLock(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String table, String mode) {
    return lockIntro(m, s, "LOCK TABLE ... IN " + mode + " MODE", table) + ", which holds that lock until the "
        + "migration commits, blocking what the mode conflicts with for the whole migration. Remove it: every statement "
        + "takes the lock it needs, for as long as it needs it.";
  }

  public static String nonConcurrentDropIndex(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String index, String table) {
    return lockIntro(m, s, "DROP INDEX " + index) + " without CONCURRENTLY: it takes an ACCESS EXCLUSIVE lock on "
        + (table == null ? "its table" : "table " + table) + ", and while it waits for running queries to finish, "
        + "every new read and write of the table queues behind it. Use DROP INDEX CONCURRENTLY in a migration of its own.";
  }

  public static String nonConcurrentDetach(MigrationModel m, dev.twostep.processor.internal.sql.ParsedStatement s,
      String table) {
    return lockIntro(m, s, "DETACH PARTITION", table) + " without CONCURRENTLY: it takes an ACCESS "
        + "EXCLUSIVE lock on the partitioned table, blocking every read and write of all its partitions. Use DETACH "
        + "PARTITION ... CONCURRENTLY (PostgreSQL 14+) in a migration of its own.";
  }

  private static String quoted(List<String> values) {
    return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", "));
  }

  // ---- expand/contract operations ----------------------------------------------------------

  public static String expandBadRelease(dev.twostep.processor.internal.model.Operation op) {
    return "@" + op.kind().annotation() + " " + op.simpleName() + " has release \"" + op.release()
        + "\", which is not 1 to 4 dot-separated non-negative integers. Write it like \"2\", \"2.1\", \"2.1.0\" or \"2.1.0.4\", "
        + "or \"next\" for the release under development.";
  }

  public static String expandUnknownTable(dev.twostep.processor.internal.model.Operation op, java.util.Collection<String> tables) {
    return op.label() + " (" + op.simpleName() + ") changes table " + op.table() + ", which no migration before it creates"
        + (tables.isEmpty() ? "" : " (tables so far: " + String.join(", ", tables) + ")")
        + ". Name a table the migrations create, schema-qualified when it is not in public, or create it in an earlier migration.";
  }

  public static String expandUnknownColumn(dev.twostep.processor.internal.model.Operation op, String column, String table,
      java.util.Collection<String> columns) {
    return op.label() + " (" + op.simpleName() + ") changes column " + column + " of " + table
        + ", which the migrations before it do not define (columns so far: " + String.join(", ", columns)
        + "). Name a column of " + table + " as the migrations define it at " + op.release() + ".";
  }

  public static String expandUnknownType(dev.twostep.processor.internal.model.Operation op, String column, String table) {
    return op.label() + " (" + op.simpleName() + ") renames column " + column + " of " + table
        + ", whose type the migrations do not show, so the new column cannot be declared like it. Declare "
        + column + " with a plain type, or write the rename as a @PreMigration and a @PostMigration.";
  }

  public static String expandColumnExists(dev.twostep.processor.internal.model.Operation op, String column, String table) {
    return op.label() + " (" + op.simpleName() + ") renames to " + column + ", but " + table + " already has a column "
        + column + " at " + op.release() + ". Choose a new name, or drop that column in an earlier release.";
  }

  public static String expandTwoOperations(dev.twostep.processor.internal.model.Operation op, String column,
      List<String> others) {
    return op.label() + " (" + op.simpleName() + ") and " + String.join(", ", others) + " both change column " + column
        + " of " + op.table() + " in release " + op.release()
        + ": their bridges and backfills would fight over it. Keep one of them in " + op.release()
        + " and move the other to the next release.";
  }

  public static String expandChangedByHand(dev.twostep.processor.internal.model.Operation op, MigrationModel m,
      dev.twostep.processor.internal.sql.ParsedStatement s, String column) {
    return op.label() + " (" + op.simpleName() + ") changes column " + column + " of " + op.table() + ", which "
        + m.label() + " (" + m.simpleName() + ") also drops, renames or retypes by hand ("
        + s.command() + " at line " + s.line() + " of its SQL). The operation's post-migration already drops what it"
        + " replaces: remove that statement from " + m.simpleName() + ".";
  }

  public static String expandAlreadyNotNull(dev.twostep.processor.internal.model.Operation op, String column, String table) {
    return op.label() + " (" + op.simpleName() + ") makes column " + column + " of " + table
        + " NOT NULL, which it already is at " + op.release() + ". Remove the operation.";
  }

  public static String expandOtherTable(dev.twostep.processor.internal.model.Operation op, String expression,
      String mention, String table) {
    String attribute = op.kind() == dev.twostep.processor.internal.model.Operation.Kind.CHANGE_COLUMN_TYPE
        ? "using" : "backfill";
    return op.label() + " (" + op.simpleName() + ") has " + attribute + " \"" + expression + "\", which reads beyond the row of "
        + table + " (" + mention + "): the bridge trigger computes it for each row written, where another table's"
        + " rows may be locked or changing. Use an expression over the columns of " + table
        + " only, or backfill with a @PreMigration of your own (a NonTransactional Java migration with inBatches).";
  }

  public static String expandNoColumns(dev.twostep.processor.internal.model.Operation op) {
    return op.label() + " (" + op.simpleName() + ") names no column. List the columns in columns = {...}.";
  }

  public static String expandUnknownReferenced(dev.twostep.processor.internal.model.Operation op, String references,
      java.util.Collection<String> tables) {
    return op.label() + " (" + op.simpleName() + ") references " + references
        + ", a table no migration before it creates" + (tables.isEmpty() ? "" : " (tables so far: "
        + String.join(", ", tables) + ")") + ". Write references = \"<table> (<columns>)\" naming a table the"
        + " migrations create earlier.";
  }

  public static String expandNoType(dev.twostep.processor.internal.model.Operation op) {
    return op.label() + " (" + op.simpleName() + ") has a blank type. Write the new type as SQL does, e.g. type = \"bigint\".";
  }
}
