package dev.twostep.processor.internal.check;

import dev.twostep.Rule;
import dev.twostep.ObjectKind;
import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.processor.internal.model.ClassShape;
import dev.twostep.processor.internal.model.Diagnostic;
import dev.twostep.processor.internal.model.MigrationModel;
import dev.twostep.processor.internal.model.Operation;
import dev.twostep.processor.internal.sql.ColumnType;
import dev.twostep.processor.internal.sql.Effect;
import dev.twostep.processor.internal.sql.ObjectName;
import dev.twostep.processor.internal.sql.ParsedStatement;
import dev.twostep.processor.internal.sql.RowExpression;
import dev.twostep.processor.internal.sql.SqlScript;
import dev.twostep.processor.internal.sql.TableOperation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Expands the expand/contract operations ({@code @RenameColumn}, ...) into ordinary pre- and
 * post-migrations, which every other rule then checks like hand-written ones. To write their SQL
 * it replays the migrations before each operation for the columns of its table (type,
 * {@code NOT NULL}); what a user can get wrong (an unknown table or column, two operations on one
 * column in a release, a column an operation changes also dropped or renamed by hand in that
 * release) is reported here as {@code expand-contract}.
 */
public final class Expansions {
  /** Rows one batch of a backfill copies: small enough that no row stays locked for long. */
  static final int BATCH_SIZE = 1000;
  private static final int MAX_IDENTIFIER = 63;

  /**
   * The result.
   *
   * @param migrations the expanded migrations, two per operation (in no particular order)
   * @param problems what is wrong with the operations
   */
  public record Result(List<MigrationModel> migrations, List<Diagnostic> problems) {}

  private final List<Diagnostic> problems = new ArrayList<>();
  private final List<MigrationModel> expanded = new ArrayList<>();
  /** Columns by table key, each table's in order of definition. */
  private final Map<String, Map<String, Column>> tables = new LinkedHashMap<>();

  /** A column as the migrations so far declared it; {@code type} is {@code null} when unknown. */
  private record Column(ColumnType type, boolean notNull) {}

  private Expansions() {}

  /** Expands {@code operations}, placed among the hand-written {@code migrations}. */
  public static Result expand(List<MigrationModel> migrations, List<Operation> operations) {
    Expansions expansions = new Expansions();
    if (!operations.isEmpty()) {
      expansions.run(migrations, operations);
    }
    return new Result(List.copyOf(expansions.expanded), List.copyOf(expansions.problems));
  }

  /** One thing that happens in order of application: a hand-written migration or an operation's pre. */
  private record Event(Release release, Phase phase, int step, String className, MigrationModel migration,
      Operation operation) {}

  private void run(List<MigrationModel> migrations, List<Operation> operations) {
    List<Event> events = new ArrayList<>();
    for (MigrationModel m : migrations) {
      if (Release.isValid(m.release())) {
        events.add(new Event(Release.parse(m.release()), m.phase(), m.step(), m.className(), m, null));
      }
    }
    List<Operation> valid = new ArrayList<>();
    for (Operation op : operations) {
      if (!Release.isValid(op.release())) {
        problems.add(error(op, Diagnostic.Anchor.RELEASE, Messages.expandBadRelease(op)));
        expanded.addAll(placeholders(op));
      } else {
        valid.add(op);
        events.add(new Event(Release.parse(op.release()), Phase.PRE, op.step(), op.className(), null, op));
      }
    }
    checkOneOperationPerColumn(valid);
    checkNotChangedByHand(migrations, valid);
    events.sort(Comparator.comparing(Event::release).thenComparing(Event::phase).thenComparingInt(Event::step)
        .thenComparing(Event::className));
    for (Event e : events) {
      if (e.migration() != null) {
        if (e.migration().hasSql()) {
          replay(SqlScript.parse(e.migration().sql()));
        }
      } else {
        expandAt(e.operation());
      }
    }
  }

  private void expandAt(Operation op) {
    ObjectName table = tableName(op.table());
    Map<String, Column> columns = table == null ? null : tables.get(key(table));
    if (columns == null) {
      problems.add(error(op, Diagnostic.Anchor.TABLE, Messages.expandUnknownTable(op, tables.keySet())));
      expanded.addAll(placeholders(op));
      return;
    }
    if (op.kind() == Operation.Kind.ADD_FOREIGN_KEY || op.kind() == Operation.Kind.ADD_UNIQUE_CONSTRAINT) {
      expandKey(op, table, columns);
      return;
    }
    boolean rename = op.kind() == Operation.Kind.RENAME_COLUMN;
    boolean retype = op.kind() == Operation.Kind.CHANGE_COLUMN_TYPE;
    Diagnostic.Anchor columnAnchor = rename ? Diagnostic.Anchor.FROM : Diagnostic.Anchor.COLUMN;
    String name = identifier(op.column());
    Column column = columns.get(name);
    String to = rename ? identifier(op.newName()) : retype ? fit("twostep_new_" + name) : null;
    boolean ok = true;
    if (column == null) {
      problems.add(error(op, columnAnchor, Messages.expandUnknownColumn(op, op.column(), table.sql(), columns.keySet())));
      ok = false;
    } else if (rename && column.type() == null) {
      problems.add(error(op, columnAnchor, Messages.expandUnknownType(op, op.column(), table.sql())));
      ok = false;
    } else if (op.kind() == Operation.Kind.SET_NOT_NULL && column.notNull()) {
      problems.add(error(op, columnAnchor, Messages.expandAlreadyNotNull(op, op.column(), table.sql())));
      ok = false;
    }
    if (to != null && columns.containsKey(to)) {
      problems.add(error(op, rename ? Diagnostic.Anchor.TO : Diagnostic.Anchor.COLUMN,
          Messages.expandColumnExists(op, rename ? op.newName() : to, table.sql())));
      ok = false;
    }
    if (retype && op.newName().isBlank()) {
      problems.add(error(op, Diagnostic.Anchor.TYPE, Messages.expandNoType(op)));
      ok = false;
    }
    String mention = op.expression() == null ? null : RowExpression.otherTableMention(op.expression(), table);
    if (mention != null) {
      problems.add(error(op, retype ? Diagnostic.Anchor.USING : Diagnostic.Anchor.BACKFILL, Messages.expandOtherTable(op, op.expression(), mention,
          table.sql())));
      ok = false;
    }
    if (!ok) {
      expanded.addAll(placeholders(op));
      return;
    }
    MigrationModel pre;
    MigrationModel post;
    if (retype) {
      String conversion = op.expression().isBlank()
          ? ObjectName.quote(name) + "::" + op.newName().strip() : op.expression().strip();
      pre = migration(op, Phase.PRE, retypePre(table, name, to, op.newName().strip(), conversion, column.notNull()), true);
      post = migration(op, Phase.POST, retypePost(table, name, to, column.notNull()), false);
    } else if (rename) {
      pre = migration(op, Phase.PRE, renamePre(table, name, to, column), true);
      post = migration(op, Phase.POST, renamePost(table, name, to, column), column.notNull());
    } else {
      boolean backfill = !op.expression().isBlank();
      pre = migration(op, Phase.PRE, setNotNullPre(table, name, op.expression().strip()), backfill);
      post = migration(op, Phase.POST, setNotNullPost(table, name, backfill), true);
    }
    expanded.add(pre);
    expanded.add(post);
    replay(SqlScript.parse(pre.sql()));
    replay(SqlScript.parse(post.sql()));
  }

  /** {@code @AddForeignKey}, {@code @AddUniqueConstraint}: their columns (and referenced table) must exist. */
  private void expandKey(Operation op, ObjectName table, Map<String, Column> columns) {
    boolean ok = true;
    List<String> keys = new ArrayList<>();
    for (String written : op.keyColumns()) {
      String column = identifier(written);
      keys.add(column);
      if (!columns.containsKey(column)) {
        problems.add(error(op, Diagnostic.Anchor.COLUMNS, Messages.expandUnknownColumn(op, written, table.sql(),
            columns.keySet())));
        ok = false;
      }
    }
    if (keys.isEmpty()) {
      problems.add(error(op, Diagnostic.Anchor.COLUMNS, Messages.expandNoColumns(op)));
      ok = false;
    }
    if (op.kind() == Operation.Kind.ADD_FOREIGN_KEY) {
      String references = op.expression().strip();
      int paren = references.indexOf('(');
      ObjectName referenced = tableName(paren < 0 ? references : references.substring(0, paren));
      Map<String, Column> referencedColumns = referenced == null ? null : tables.get(key(referenced));
      if (referencedColumns == null) {
        problems.add(error(op, Diagnostic.Anchor.REFERENCES, Messages.expandUnknownReferenced(op, references,
            tables.keySet())));
        ok = false;
      } else if (paren >= 0 && references.endsWith(")")) {
        for (String written : references.substring(paren + 1, references.length() - 1).split(",")) {
          if (!referencedColumns.containsKey(identifier(written))) {
            problems.add(error(op, Diagnostic.Anchor.REFERENCES, Messages.expandUnknownColumn(op, written.strip(),
                referenced.sql(), referencedColumns.keySet())));
            ok = false;
          }
        }
      }
    }
    if (!ok) {
      expanded.addAll(placeholders(op));
      return;
    }
    String t = table.sql();
    String list = String.join(", ", keys.stream().map(ObjectName::quote).toList());
    String pre;
    String post;
    if (op.kind() == Operation.Kind.ADD_FOREIGN_KEY) {
      String name = ObjectName.quote(fit(table.name() + "_" + String.join("_", keys) + "_fkey"));
      pre = "-- Checked for every row written from now on: a short lock on both tables, no scan. Proved for the\n"
          + "-- older rows in post.\n"
          + "ALTER TABLE " + t + " ADD CONSTRAINT " + name + " FOREIGN KEY (" + list + ") REFERENCES "
          + op.expression().strip() + " NOT VALID;\n";
      post = "-- A scan that blocks no writes (SHARE UPDATE EXCLUSIVE).\n"
          + "ALTER TABLE " + t + " VALIDATE CONSTRAINT " + name + ";\n";
    } else {
      String name = ObjectName.quote(fit(table.name() + "_" + String.join("_", keys) + "_key"));
      pre = "-- Built while writes go on, outside a transaction; a failed build's INVALID index is dropped before\n"
          + "-- the next try. From now on a duplicate is refused.\n"
          + "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS " + name + " ON " + t + " (" + list + ");\n";
      post = "-- The index becomes the constraint: a short exclusive lock, no scan.\n"
          + "ALTER TABLE " + t + " ADD CONSTRAINT " + name + " UNIQUE USING INDEX " + name + ";\n";
    }
    MigrationModel preMigration = migration(op, Phase.PRE, pre, false);
    MigrationModel postMigration = migration(op, Phase.POST, post, false);
    expanded.add(preMigration);
    expanded.add(postMigration);
    replay(SqlScript.parse(pre));
    replay(SqlScript.parse(post));
  }

  // ---- the SQL --------------------------------------------------------------------------

  /** New column, NOT VALID check, bridge function and trigger (one transaction), then the batch statement. */
  private static String renamePre(ObjectName table, String from, String to, Column column) {
    String t = table.sql();
    String a = ObjectName.quote(from);
    String b = ObjectName.quote(to);
    ObjectName bridge = bridgeName(table, to);
    StringBuilder sql = new StringBuilder();
    sql.append("-- Code of the previous release writes ").append(a).append(", code of this release ").append(b)
        .append(": both must work until post.\n");
    sql.append("ALTER TABLE ").append(t).append(" ADD COLUMN ").append(b).append(' ').append(column.type()).append(";\n\n");
    if (column.notNull()) {
      sql.append("-- NOT NULL like ").append(a).append(": checked for every row written from now on, proved for the\n")
          .append("-- older rows in post (VALIDATE scans without blocking writes).\n");
      sql.append("ALTER TABLE ").append(t).append(" ADD CONSTRAINT ").append(ObjectName.quote(checkName(table, to)))
          .append(" CHECK (").append(b).append(" IS NOT NULL) NOT VALID;\n\n");
    }
    sql.append("-- Bridge: keeps ").append(a).append(" and ").append(b)
        .append(" equal whichever release's code writes; when a write sets both\n")
        .append("-- differently, ").append(b).append(" (the name that stays) wins. Dropped in post.\n");
    sql.append("CREATE FUNCTION ").append(bridge.sql()).append("() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n")
        .append("  IF TG_OP = 'INSERT' THEN\n")
        .append("    IF NEW.").append(b).append(" IS NULL THEN\n")
        .append("      NEW.").append(b).append(" := NEW.").append(a).append(";\n")
        .append("    ELSIF NEW.").append(a).append(" IS DISTINCT FROM NEW.").append(b).append(" THEN\n")
        .append("      NEW.").append(a).append(" := NEW.").append(b).append(";\n")
        .append("    END IF;\n")
        .append("  ELSIF NEW.").append(b).append(" IS DISTINCT FROM OLD.").append(b).append(" THEN\n")
        .append("    NEW.").append(a).append(" := NEW.").append(b).append(";\n")
        .append("  ELSIF NEW.").append(a).append(" IS DISTINCT FROM OLD.").append(a).append(" OR NEW.").append(b)
        .append(" IS NULL THEN\n")
        .append("    -- written by older code, or a row the copy has not reached yet\n")
        .append("    NEW.").append(b).append(" := NEW.").append(a).append(";\n")
        .append("  END IF;\n  RETURN NEW;\nEND;\n$$;\n\n");
    sql.append("CREATE TRIGGER ").append(ObjectName.quote(bridge.name())).append(" BEFORE INSERT OR UPDATE ON ").append(t)
        .append("\n  FOR EACH ROW EXECUTE FUNCTION ").append(bridge.sql()).append("();\n\n");
    sql.append(batch(table, to, b + " IS NULL AND " + a + " IS NOT NULL", b + " = " + a));
    return sql.toString();
  }

  /** Shadow column of the new type, NOT VALID check, bridge from the old column (one transaction), then the batch. */
  private static String retypePre(ObjectName table, String column, String shadow, String type, String conversion,
      boolean notNull) {
    String t = table.sql();
    String c = ObjectName.quote(column);
    String n = ObjectName.quote(shadow);
    ObjectName bridge = bridgeName(table, shadow);
    StringBuilder sql = new StringBuilder();
    sql.append("-- Both releases' code reads and writes ").append(c).append("; post swaps this column in under its name.\n");
    sql.append("ALTER TABLE ").append(t).append(" ADD COLUMN ").append(n).append(' ').append(type).append(";\n\n");
    if (notNull) {
      sql.append("ALTER TABLE ").append(t).append(" ADD CONSTRAINT ").append(ObjectName.quote(checkName(table, shadow)))
          .append(" CHECK (").append(n).append(" IS NOT NULL) NOT VALID;\n\n");
    }
    sql.append("-- Bridge: every write of ").append(c).append(" (and every row the copy has not reached) sets the\n")
        .append("-- converted value. Dropped in post.\n");
    sql.append("CREATE FUNCTION ").append(bridge.sql()).append("() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n")
        .append("  IF TG_OP = 'INSERT' OR NEW.").append(c).append(" IS DISTINCT FROM OLD.").append(c).append(" OR NEW.")
        .append(n).append(" IS NULL THEN\n")
        .append("    NEW.").append(n).append(" := (SELECT ").append(conversion).append(" FROM (SELECT NEW.*) AS ")
        .append(ObjectName.quote(table.name())).append(");\n")
        .append("  END IF;\n  RETURN NEW;\nEND;\n$$;\n\n");
    sql.append("CREATE TRIGGER ").append(ObjectName.quote(bridge.name())).append(" BEFORE INSERT OR UPDATE ON ").append(t)
        .append("\n  FOR EACH ROW EXECUTE FUNCTION ").append(bridge.sql()).append("();\n\n");
    sql.append(batch(table, shadow, n + " IS NULL AND " + c + " IS NOT NULL", n + " = " + conversion));
    return sql.toString();
  }

  /** One transaction: validate (first, so its scan blocks no writes), NOT NULL, drop the bridge, swap the columns. */
  private static String retypePost(ObjectName table, String column, String shadow, boolean notNull) {
    String t = table.sql();
    String n = ObjectName.quote(shadow);
    ObjectName bridge = bridgeName(table, shadow);
    StringBuilder sql = new StringBuilder();
    if (notNull) {
      String check = ObjectName.quote(checkName(table, shadow));
      sql.append("-- First, before anything locks the table: the scan holds only SHARE UPDATE EXCLUSIVE.\n");
      sql.append("ALTER TABLE ").append(t).append(" VALIDATE CONSTRAINT ").append(check).append(";\n");
      sql.append("ALTER TABLE ").append(t).append(" ALTER COLUMN ").append(n).append(" SET NOT NULL;\n");
      sql.append("ALTER TABLE ").append(t).append(" DROP CONSTRAINT ").append(check).append(";\n\n");
    }
    sql.append("-- The swap, in one transaction: code of this release finds the new type under the old name.\n");
    sql.append("DROP TRIGGER ").append(ObjectName.quote(bridge.name())).append(" ON ").append(t).append(";\n");
    sql.append("DROP FUNCTION ").append(bridge.sql()).append("();\n");
    sql.append("ALTER TABLE ").append(t).append(" DROP COLUMN ").append(ObjectName.quote(column)).append(";\n");
    sql.append("ALTER TABLE ").append(t).append(" RENAME COLUMN ").append(n).append(" TO ").append(ObjectName.quote(column))
        .append(";\n");
    return sql.toString();
  }

  /**
   * Without a backfill: the NOT VALID check alone. With one: a bridge giving a NULL written by any
   * code the backfill's value, the check, then the batch statement.
   */
  private static String setNotNullPre(ObjectName table, String column, String backfill) {
    String t = table.sql();
    String c = ObjectName.quote(column);
    String check = "ALTER TABLE " + t + " ADD CONSTRAINT " + ObjectName.quote(checkName(table, column)) + " CHECK ("
        + c + " IS NOT NULL) NOT VALID;\n";
    if (backfill.isEmpty()) {
      return "-- Checked for every row written from now on, proved for the older rows in post.\n" + check;
    }
    ObjectName bridge = fillName(table, column);
    StringBuilder sql = new StringBuilder();
    sql.append("-- Bridge: a NULL written by any release's code gets the backfill's value. Dropped in post.\n");
    sql.append("CREATE FUNCTION ").append(bridge.sql()).append("() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n")
        .append("  IF NEW.").append(c).append(" IS NULL THEN\n")
        .append("    NEW.").append(c).append(" := (SELECT ").append(backfill).append(" FROM (SELECT NEW.*) AS ")
        .append(ObjectName.quote(table.name())).append(");\n")
        .append("  END IF;\n  RETURN NEW;\nEND;\n$$;\n\n");
    sql.append("CREATE TRIGGER ").append(ObjectName.quote(bridge.name())).append(" BEFORE INSERT OR UPDATE ON ").append(t)
        .append("\n  FOR EACH ROW EXECUTE FUNCTION ").append(bridge.sql()).append("();\n\n");
    sql.append("-- Checked for every row written from now on, proved for the older rows in post.\n").append(check)
        .append('\n');
    sql.append(batch(table, column, c + " IS NULL", c + " = " + backfill));
    return sql.toString();
  }

  /** Outside a transaction: validate (no write blocked), SET NOT NULL without a scan, drop the check and bridge. */
  private static String setNotNullPost(ObjectName table, String column, boolean bridge) {
    String t = table.sql();
    String check = ObjectName.quote(checkName(table, column));
    StringBuilder sql = new StringBuilder();
    sql.append("-- Runs outside a transaction, a statement at a time: the scan of VALIDATE holds only SHARE\n")
        .append("-- UPDATE EXCLUSIVE, and each statement can be run again.\n");
    sql.append("ALTER TABLE ").append(t).append(" VALIDATE CONSTRAINT ").append(check).append(";\n\n");
    sql.append("-- The validated check proves NOT NULL: no scan under the ACCESS EXCLUSIVE lock.\n");
    sql.append("ALTER TABLE ").append(t).append(" ALTER COLUMN ").append(ObjectName.quote(column)).append(" SET NOT NULL;\n");
    sql.append("ALTER TABLE ").append(t).append(" DROP CONSTRAINT IF EXISTS ").append(check).append(";\n");
    if (bridge) {
      ObjectName fill = fillName(table, column);
      sql.append("DROP TRIGGER IF EXISTS ").append(ObjectName.quote(fill.name())).append(" ON ").append(t).append(";\n");
      sql.append("DROP FUNCTION IF EXISTS ").append(fill.sql()).append("();\n");
    }
    return sql.toString();
  }

  /**
   * The batch statement: sets {@code assignment} on the next {@link #BATCH_SIZE} rows (in physical
   * order, from where the previous batch of the session stopped) that match {@code condition}.
   */
  private static String batch(ObjectName table, String column, String condition, String assignment) {
    String t = table.sql();
    // Each batch starts where the previous one ended (a cursor in a setting of the session, read by
    // a TID range scan), so the copy reads the table once instead of from its start every batch;
    // rows behind the cursor need nothing (the bridge handles every write), and a new session (a
    // resumed run) starts from the beginning, skipping what is done.
    String cursor = "'twostep.backfill_" + sha256(table.effectiveSchema() + "." + table.name() + "." + column)
        .substring(0, 12) + "'";
    return "-- The rows written before the bridge, " + BATCH_SIZE + " at a time in physical order, each batch"
        + " committed on its own\n-- until none is left; an interrupted run resumes with the rows still to do.\n"
        + "WITH batch AS (\n"
        + "  SELECT ctid FROM " + t + "\n"
        + "   WHERE ctid >= coalesce(nullif(current_setting(" + cursor + ", true), ''), '(0,0)')::tid\n"
        + "     AND " + condition + "\n"
        + "   LIMIT " + BATCH_SIZE + "),\n"
        + "progress AS (SELECT set_config(" + cursor + ", max(ctid)::text, false) FROM batch)\n"
        + "UPDATE " + t + " SET " + assignment + " FROM progress\n"
        + " WHERE " + t + ".ctid = ANY (ARRAY(SELECT ctid FROM batch));\n";
  }

  /** Validate, SET NOT NULL (no scan), drop the check, the bridge and the old column. */
  private static String renamePost(ObjectName table, String from, String to, Column column) {
    String t = table.sql();
    ObjectName bridge = bridgeName(table, to);
    StringBuilder sql = new StringBuilder();
    if (column.notNull()) {
      String check = ObjectName.quote(checkName(table, to));
      sql.append("-- Runs outside a transaction, a statement at a time: the scan of VALIDATE holds only SHARE\n")
          .append("-- UPDATE EXCLUSIVE, and each statement can be run again.\n");
      sql.append("ALTER TABLE ").append(t).append(" VALIDATE CONSTRAINT ").append(check).append(";\n\n");
      sql.append("-- The validated check proves NOT NULL: no scan under the ACCESS EXCLUSIVE lock.\n");
      sql.append("ALTER TABLE ").append(t).append(" ALTER COLUMN ").append(ObjectName.quote(to)).append(" SET NOT NULL;\n");
      sql.append("ALTER TABLE ").append(t).append(" DROP CONSTRAINT IF EXISTS ").append(check).append(";\n\n");
    }
    sql.append("-- No code of the previous release is left: the bridge and the old column go.\n");
    sql.append("DROP TRIGGER IF EXISTS ").append(ObjectName.quote(bridge.name())).append(" ON ").append(t).append(";\n");
    sql.append("DROP FUNCTION IF EXISTS ").append(bridge.sql()).append("();\n");
    sql.append("ALTER TABLE ").append(t).append(" DROP COLUMN IF EXISTS ").append(ObjectName.quote(from)).append(";\n");
    return sql.toString();
  }

  /** {@code <table>_sync_<column>}, in the table's schema, shortened with a hash past PostgreSQL's 63 bytes. */
  static ObjectName bridgeName(ObjectName table, String to) {
    return new ObjectName(table.schema(), fit(table.name() + "_sync_" + to));
  }

  /** {@code <table>_fill_<column>}: the bridge of {@code @SetNotNull}. */
  static ObjectName fillName(ObjectName table, String column) {
    return new ObjectName(table.schema(), fit(table.name() + "_fill_" + column));
  }

  static String checkName(ObjectName table, String to) {
    return fit(table.name() + "_" + to + "_not_null");
  }

  private static String fit(String name) {
    if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_IDENTIFIER) {
      return name;
    }
    String hash = sha256(name).substring(0, 8);
    String head = name;
    while (head.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER - 9) {
      head = head.substring(0, head.length() - 1);
    }
    return head + "_" + hash;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  // ---- the models -----------------------------------------------------------------------

  private static MigrationModel migration(Operation op, Phase phase, String sql, boolean nonTransactional) {
    ClassShape shape = new ClassShape(ClassShape.TypeKind.CLASS, false, nonTransactional, false, false, false,
        ClassShape.Access.PUBLIC, ClassShape.Access.PUBLIC);
    return new MigrationModel(op.className(), op.simpleName(), op.packageName(), op.release(), phase, op.step(), sql,
        description(op, phase), shape, List.of(), op.suppressed(), op);
  }

  private static String description(Operation op, Phase phase) {
    if (op.kind() == Operation.Kind.ADD_FOREIGN_KEY) {
      return "foreign key " + op.table() + " (" + op.column() + ") references " + op.expression().strip()
          + (phase == Phase.PRE ? ": not valid" : ": validate");
    }
    if (op.kind() == Operation.Kind.ADD_UNIQUE_CONSTRAINT) {
      return "unique " + op.table() + " (" + op.column() + ")"
          + (phase == Phase.PRE ? ": build the index concurrently" : ": constraint using the index");
    }
    if (op.kind() == Operation.Kind.CHANGE_COLUMN_TYPE) {
      return "change type of " + op.table() + "." + op.column() + " to " + op.newName().strip()
          + (phase == Phase.PRE ? ": shadow column, bridge, convert" : ": swap");
    }
    if (op.kind() == Operation.Kind.SET_NOT_NULL) {
      return "set " + op.table() + "." + op.column() + " not null"
          + (phase == Phase.PRE ? (op.expression().isBlank() ? ": check" : ": bridge, check, backfill")
              : ": validate");
    }
    return "rename " + op.table() + "." + op.column() + " to " + op.newName()
        + (phase == Phase.PRE ? ": add, bridge, copy" : ": drop the old column");
  }

  /**
   * Stand-ins for an operation that cannot be expanded, so that its steps are not reported as
   * gaps on top of its own error; an error is reported, so nothing is generated from them.
   */
  private static List<MigrationModel> placeholders(Operation op) {
    return List.of(migration(op, Phase.PRE, "SELECT 1;", false), migration(op, Phase.POST, "SELECT 1;", false));
  }

  // ---- what users get wrong -------------------------------------------------------------

  private void checkOneOperationPerColumn(List<Operation> operations) {
    Map<String, List<Operation>> byColumn = new TreeMap<>();
    for (Operation op : operations) {
      ObjectName table = tableName(op.table());
      if (table == null) {
        continue;
      }
      for (String column : op.columns()) {
        byColumn.computeIfAbsent(Release.parse(op.release()).text() + "\u0000" + key(table) + "\u0000"
            + identifier(column), k -> new ArrayList<>()).add(op);
      }
    }
    for (Map.Entry<String, List<Operation>> e : byColumn.entrySet()) {
      List<Operation> ops = e.getValue().stream().distinct().toList();
      if (ops.size() > 1) {
        String column = e.getKey().substring(e.getKey().lastIndexOf('\u0000') + 1);
        for (Operation op : ops) {
          problems.add(error(op, Diagnostic.Anchor.TABLE, Messages.expandTwoOperations(op, column,
              ops.stream().filter(o -> o != op).map(Operation::className).toList())));
        }
      }
    }
  }

  private void checkNotChangedByHand(List<MigrationModel> migrations, List<Operation> operations) {
    for (Operation op : operations) {
      ObjectName table = tableName(op.table());
      if (table == null) {
        continue;
      }
      Release release = Release.parse(op.release());
      for (MigrationModel m : migrations) {
        if (!m.hasSql() || !Release.isValid(m.release()) || !Release.parse(m.release()).equals(release)) {
          continue;
        }
        for (ParsedStatement s : SqlScript.parse(m.sql()).statements()) {
          for (Effect effect : s.effects()) {
            String column = changedColumn(effect, table);
            if (column != null && op.columns().stream().map(Expansions::identifier).anyMatch(column::equals)) {
              problems.add(error(op, Diagnostic.Anchor.TABLE, Messages.expandChangedByHand(op, m, s, column)));
            }
          }
        }
      }
    }
  }

  /** The column of {@code table} that {@code effect} drops, renames or retypes, else {@code null}. */
  private static String changedColumn(Effect effect, ObjectName table) {
    if (effect instanceof Effect.DropColumn drop && drop.table().sameObject(table)) {
      return drop.column();
    }
    if (effect instanceof Effect.RenameColumn rename && rename.table().sameObject(table)) {
      return rename.column();
    }
    if (effect instanceof Effect.AlterColumn alter && alter.table().sameObject(table)
        && alter.change() == Effect.ColumnChange.TYPE) {
      return alter.column();
    }
    return null;
  }

  // ---- the columns so far ---------------------------------------------------------------

  private void replay(SqlScript script) {
    for (ParsedStatement s : script.statements()) {
      for (Effect effect : s.effects()) {
        replay(effect);
      }
      for (TableOperation op : s.operations()) {
        if (op.table() == null || op.name() == null) {
          continue;
        }
        Map<String, Column> columns = tables.get(key(op.table()));
        switch (op.kind()) {
          case COLUMN_DEFINED -> tables.computeIfAbsent(key(op.table()), k -> new LinkedHashMap<>())
              .put(op.name(), new Column(op.type(), op.flag()));
          case TYPE_CHANGE -> {
            if (columns != null && columns.containsKey(op.name())) {
              columns.put(op.name(), new Column(op.type(), columns.get(op.name()).notNull()));
            }
          }
          case SET_NOT_NULL -> {
            if (columns != null && columns.containsKey(op.name())) {
              columns.put(op.name(), new Column(columns.get(op.name()).type(), true));
            }
          }
          default -> { }
        }
      }
    }
  }

  private void replay(Effect effect) {
    if (effect instanceof Effect.Create create && create.object().kind() == ObjectKind.TABLE) {
      tables.putIfAbsent(key(create.object().name()), new LinkedHashMap<>());
    } else if (effect instanceof Effect.Drop drop && drop.object().kind() == ObjectKind.TABLE) {
      tables.remove(key(drop.object().name()));
    } else if (effect instanceof Effect.Rename rename && rename.object().kind() == ObjectKind.TABLE) {
      Map<String, Column> columns = tables.remove(key(rename.object().name()));
      if (columns != null) {
        tables.put(key(new ObjectName(rename.object().name().schema(), rename.newName().name())), columns);
      }
    } else if (effect instanceof Effect.DropColumn drop) {
      Map<String, Column> columns = tables.get(key(drop.table()));
      if (columns != null) {
        columns.remove(drop.column());
      }
    } else if (effect instanceof Effect.RenameColumn rename) {
      Map<String, Column> columns = tables.get(key(rename.table()));
      if (columns != null && columns.containsKey(rename.column())) {
        columns.put(rename.newName(), columns.remove(rename.column()));
      }
    } else if (effect instanceof Effect.AlterColumn alter && alter.change() == Effect.ColumnChange.DROP_NOT_NULL) {
      Map<String, Column> columns = tables.get(key(alter.table()));
      if (columns != null && columns.containsKey(alter.column())) {
        columns.put(alter.column(), new Column(columns.get(alter.column()).type(), false));
      }
    }
  }

  // ---- names ----------------------------------------------------------------------------

  private static String key(ObjectName table) {
    return table.effectiveSchema() + "." + table.name();
  }

  /** The table as written in the annotation ({@code shop_jobs}, {@code billing.invoices}), or {@code null}. */
  static ObjectName tableName(String written) {
    String text = written.strip();
    if (text.isEmpty()) {
      return null;
    }
    int dot = text.startsWith("\"") ? text.indexOf('.', text.indexOf('"', 1) + 1) : text.indexOf('.');
    if (dot < 0) {
      return ObjectName.of(identifier(text));
    }
    return new ObjectName(identifier(text.substring(0, dot)), identifier(text.substring(dot + 1)));
  }

  /** A name as PostgreSQL reads it: folded to lower case unless written in double quotes. */
  static String identifier(String written) {
    String text = written.strip();
    if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
      return text.substring(1, text.length() - 1).replace("\"\"", "\"");
    }
    return text.toLowerCase(Locale.ROOT);
  }

  private static Diagnostic error(Operation op, Diagnostic.Anchor anchor, String message) {
    return new Diagnostic(Diagnostic.Severity.ERROR, Rule.EXPAND_CONTRACT, op.className(), anchor, message);
  }
}
