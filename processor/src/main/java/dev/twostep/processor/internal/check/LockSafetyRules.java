package dev.twostep.processor.internal.check;

import dev.twostep.Rule;
import static dev.twostep.processor.internal.model.Diagnostic.Anchor.SQL;
import static dev.twostep.processor.internal.model.Diagnostic.error;
import static dev.twostep.processor.internal.model.Diagnostic.warning;

import dev.twostep.Phase;
import dev.twostep.Release;
import dev.twostep.processor.internal.model.Diagnostic;
import dev.twostep.processor.internal.model.MigrationModel;
import dev.twostep.processor.internal.model.MigrationSetModel;
import dev.twostep.processor.internal.model.ObjectTimeline.Incarnation;
import dev.twostep.processor.internal.model.ObjectTimeline.Site;
import dev.twostep.processor.internal.model.ObjectTimeline;
import dev.twostep.processor.internal.sql.ColumnType;
import dev.twostep.processor.internal.sql.ObjectName;
import dev.twostep.processor.internal.sql.ParsedStatement;
import dev.twostep.processor.internal.sql.SqlScript;
import dev.twostep.processor.internal.sql.TableOperation.Kind;
import dev.twostep.processor.internal.sql.TableOperation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lock-safety rules: {@code lock_timeout} bounds how long a migration waits for a lock, these
 * bound how long it holds one that blocks the application. They judge statements on
 * <em>existing</em> tables: tables not created in the same migration nor earlier in the same
 * release and phase (a table created in pre(N) is existing in post(N), where N's code uses it),
 * and tables Twostep never saw created. What earlier migrations did counts: the declared types of
 * columns (a binary-coercible type change rewrites nothing), validated {@code CHECK (c IS NOT
 * NULL)} constraints (which make {@code SET NOT NULL} skip its scan), unique indexes built
 * concurrently (which {@code USING INDEX} turns into constraints). Migrations of releases before
 * {@code checkedFrom}, and migrations whose SQL does not even lex, are replayed for these facts
 * but not judged.
 */
final class LockSafetyRules {
  /** Settings whose session-wide change would undo the runner's protections or change who runs migrations. */
  private static final Set<String> STRICT_SETTINGS = Set.of("lock_timeout", "statement_timeout",
      "idle_in_transaction_session_timeout", "role", "session authorization", "all");

  private final ObjectTimeline timeline;
  private final List<Diagnostic> out = new ArrayList<>();
  /** Declared column types and nullability, by {@link #columnKey}. */
  private final Map<String, ColumnType> columnTypes = new HashMap<>();
  private final Map<String, Boolean> columnNotNull = new HashMap<>();
  /** Columns proven NOT NULL by a validated CHECK, by {@link #columnKey}. */
  private final Set<String> validatedNotNull = new HashSet<>();
  /** NOT VALID {@code CHECK (c IS NOT NULL)} constraints by table and constraint name: the column. */
  private final Map<String, String> pendingNotNullChecks = new HashMap<>();
  /** Unique indexes with plain columns, by schema-qualified index name. */
  private final Map<String, List<String>> uniqueIndexColumns = new HashMap<>();

  private LockSafetyRules(ObjectTimeline timeline) {
    this.timeline = timeline;
  }

  static List<Diagnostic> check(ObjectTimeline timeline, MigrationSetModel set) {
    LockSafetyRules rules = new LockSafetyRules(timeline);
    for (MigrationModel m : set.migrations()) {
      SqlScript script = timeline.script(m);
      if (script != null) {
        // Broken SQL is reported as sql-syntax; its statements are not judged, only learnt from.
        boolean silent = set.isLegacy(m.release()) || !script.problems().isEmpty();
        rules.migration(m, Release.parse(m.release()), silent, script);
      }
    }
    return rules.out;
  }

  /** An ACCESS EXCLUSIVE lock a migration took: on which table, by which statement. */
  private record Lock(String table, ParsedStatement statement) {}

  private void migration(MigrationModel m, Release release, boolean silent, SqlScript script) {
    boolean transactional = !m.shape().nonTransactional()
        && script.statements().stream().noneMatch(ParsedStatement::nonTransactional);
    Map<String, Lock> exclusive = new LinkedHashMap<>();
    for (ParsedStatement s : script.statements()) {
      Site site = new Site(m, release, silent, s);
      for (TableOperation op : s.operations()) {
        judge(site, op, transactional, exclusive);
      }
      for (TableOperation op : s.operations()) {
        if (takesAccessExclusive(op) && existing(op, site) && tableName(op) != null) {
          exclusive.putIfAbsent(key(tableName(op)), new Lock(tableName(op).sql(), s));
        }
      }
    }
    if (!silent && transactional && exclusive.size() >= 2) {
      out.add(warning(Rule.EXCLUSIVE_LOCKS_ON_SEVERAL_TABLES, m, SQL, Messages.exclusiveLocksOnSeveralTables(
          m, exclusive.values().stream().map(Lock::table).toList())));
    }
  }

  private static boolean takesAccessExclusive(TableOperation op) {
    return switch (op.kind()) {
      case ACCESS_EXCLUSIVE, VACUUM_FULL, CLUSTER, DROP_INDEX -> true;
      default -> false;
    };
  }

  /** Records what {@code op} teaches about the schema and reports what it breaks (unless silent). */
  private void judge(Site site, TableOperation op, boolean transactional, Map<String, Lock> exclusive) {
    MigrationModel m = site.migration();
    ParsedStatement s = site.statement();
    boolean report = !site.legacy();
    boolean existing = existing(op, site);
    ObjectName table = tableName(op);
    String tableSql = table == null ? null : table.sql();
    switch (op.kind()) {
      case COLUMN_DEFINED -> {
        columnTypes.put(columnKey(table, op.name()), op.type());
        columnNotNull.put(columnKey(table, op.name()), op.flag());
      }
      case REWRITE -> {
        if (report && existing) {
          boolean addColumn = op.what().regionMatches(true, 0, "ADD", 0, 3);
          out.add(error(Rule.TABLE_REWRITE, m, SQL, Messages.rewrite(m, s, op.what(), tableSql,
              addColumn ? Messages.rewriteAddColumnRecipe() : Messages.rewriteOtherRecipe())));
        }
      }
      case TYPE_CHANGE -> {
        String key = columnKey(table, op.name());
        ColumnType old = columnTypes.get(key);
        boolean rewrites = old != null ? !old.binaryCoercibleTo(op.type()) : op.flag() || !op.type().commonWideningTarget();
        if (report && existing && rewrites) {
          out.add(error(Rule.TABLE_REWRITE, m, SQL, Messages.rewriteTypeChange(m, s, op.what(), tableSql,
              ObjectName.quote(op.name()), old == null ? null : old.toString(), op.type().toString())));
        }
        columnTypes.put(key, op.type());
      }
      case INDEX_BUILD -> {
        if (report && existing) {
          boolean constraint = op.what().regionMatches(true, 0, "ADD", 0, 3);
          out.add(error(Rule.BLOCKING_INDEX_BUILD, m, SQL, constraint
              ? Messages.blockingConstraintIndex(m, s, op.what(), tableSql)
              : Messages.blockingIndex(m, s, op.what(), tableSql)));
        }
      }
      case INDEX_DEFINED -> uniqueIndexColumns.put(key(op.index()), op.columns());
      case PRIMARY_KEY_USING_INDEX -> {
        for (String column : uniqueIndexColumns.getOrDefault(key(op.index()), List.of())) {
          String key = columnKey(table, column);
          if (report && existing && Boolean.FALSE.equals(columnNotNull.get(key)) && !validatedNotNull.contains(key)) {
            out.add(error(Rule.SET_NOT_NULL_SCAN, m, SQL,
                Messages.setNotNullScan(m, s, op.what(), tableSql, ObjectName.quote(column))));
          }
          columnNotNull.put(key, true);
        }
      }
      case REINDEX -> {
        boolean everything = op.table() == null && op.index() == null;
        if (report && (everything || existing)) {
          out.add(error(Rule.BLOCKING_INDEX_BUILD, m, SQL, Messages.blockingReindex(m, s, op.what(), tableSql)));
        }
      }
      case VALIDATING_CONSTRAINT -> {
        if (report && existing) {
          boolean foreignKey = op.what().toLowerCase(java.util.Locale.ROOT).contains("foreign");
          out.add(error(Rule.VALIDATING_CONSTRAINT, m, SQL,
              Messages.validatingConstraint(m, s, op.what(), tableSql, foreignKey)));
        }
      }
      case DOMAIN_CONSTRAINT -> {
        if (report && existing) {
          out.add(error(Rule.VALIDATING_CONSTRAINT, m, SQL, Messages.validatingDomainConstraint(m, s, tableSql)));
        }
      }
      case NOT_NULL_CHECK -> {
        String column = op.columns().get(0);
        if (op.flag()) {
          validatedNotNull.add(columnKey(table, column));
        } else if (op.name() != null) {
          pendingNotNullChecks.put(columnKey(table, op.name()), column);
        }
      }
      case VALIDATE -> {
        String column = pendingNotNullChecks.remove(columnKey(table, op.name()));
        if (column != null) {
          validatedNotNull.add(columnKey(table, column));
        }
        Lock lock = exclusive.get(key(table));
        if (report && existing && lock != null) {
          out.add(error(Rule.VALIDATE_UNDER_EXCLUSIVE_LOCK, m, SQL,
              Messages.validateUnderExclusiveLock(m, s, tableSql, lock.statement())));
        }
      }
      case SET_NOT_NULL -> {
        String key = columnKey(table, op.name());
        if (report && existing && !validatedNotNull.contains(key) && !Boolean.TRUE.equals(columnNotNull.get(key))) {
          out.add(error(Rule.SET_NOT_NULL_SCAN, m, SQL,
              Messages.setNotNullScan(m, s, op.what(), tableSql, ObjectName.quote(op.name()))));
        }
        columnNotNull.put(key, true);
      }
      case NOT_NULL_WITHOUT_DEFAULT -> {
        if (report && existing) {
          out.add(error(Rule.NOT_NULL_WITHOUT_DEFAULT, m, SQL,
              Messages.notNullWithoutDefault(m, s, ObjectName.quote(op.name()), tableSql)));
        }
      }
      case VACUUM_FULL, CLUSTER -> {
        if (report && (op.table() == null || existing)) {
          String what = op.what() + (op.table() == null ? " of the whole database" : "");
          out.add(error(Rule.TABLE_REWRITE, m, SQL, Messages.rewrite(m, s, what,
              tableSql == null ? "(every table)" : tableSql, Messages.rewriteOtherRecipe())));
        }
      }
      case TRUNCATE -> {
        boolean pre = m.phase() == Phase.PRE;
        if (report && existing && (op.flag() || pre)) {
          out.add(error(Rule.DESTRUCTIVE_STATEMENT, m, SQL, Messages.destructiveTruncate(m, s, tableSql, op.flag(), pre)));
        }
      }
      case DESTRUCTIVE -> {
        if (report) {
          out.add(error(Rule.DESTRUCTIVE_STATEMENT, m, SQL, Messages.destructiveDatabase(m, s)));
        }
      }
      case SESSION_SETTING -> {
        if (report && !op.flag()) {
          out.add(STRICT_SETTINGS.contains(op.name())
              ? error(Rule.SESSION_SETTING, m, SQL, Messages.sessionSettingStrict(m, s, op.name()))
              : warning(Rule.SESSION_SETTING, m, SQL, Messages.sessionSetting(m, s, op.name())));
        }
      }
      case UPDATE, DELETE -> {
        if (report && existing && transactional) {
          out.add(warning(Rule.UNBATCHED_BACKFILL, m, SQL, Messages.unbatchedBackfill(m, s, op.what(), tableSql)));
        }
      }
      case LOCK_TABLE -> {
        if (report && existing) {
          out.add(warning(Rule.EXPLICIT_LOCK, m, SQL, Messages.explicitLock(m, s, tableSql, op.name())));
        }
      }
      case DROP_INDEX -> {
        if (report && existing && m.phase() == Phase.POST) {
          out.add(warning(Rule.NON_CONCURRENT_DROP, m, SQL,
              Messages.nonConcurrentDropIndex(m, s, op.index().sql(), tableSql)));
        }
      }
      case DETACH_PARTITION -> {
        if (report && existing) {
          out.add(warning(Rule.NON_CONCURRENT_DROP, m, SQL, Messages.nonConcurrentDetach(m, s, tableSql)));
        }
      }
      case ACCESS_EXCLUSIVE -> { }
    }
  }

  /**
   * True when the table {@code op} acts on is <em>existing</em> at {@code site}: Twostep never saw
   * it created, or it was created in another release or phase.
   */
  private boolean existing(TableOperation op, Site site) {
    Incarnation table = timeline.tableOf(op);
    if (table == null || table.origin() == null) {
      return true;
    }
    Site origin = table.origin();
    return !(origin.release().equals(site.release()) && origin.migration().phase() == site.migration().phase());
  }

  private ObjectName tableName(TableOperation op) {
    return timeline.tableNameOf(op);
  }

  private static String key(ObjectName name) {
    return name == null ? "" : name.effectiveSchema() + "." + name.name();
  }

  private static String columnKey(ObjectName table, String member) {
    return key(table) + "\u0000" + member;
  }
}
