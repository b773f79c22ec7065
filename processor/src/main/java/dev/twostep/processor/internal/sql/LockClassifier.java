package dev.twostep.processor.internal.sql;

import dev.twostep.processor.internal.sql.TableOperation.Kind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads from one statement what decides which locks it takes and for how long: index builds,
 * rewrites, validating constraints, NOT NULL, session settings, backfills, explicit locks. Like
 * {@link StatementClassifier} it reads only as far as it needs and never fails: what it does not
 * recognise yields nothing.
 */
final class LockClassifier {
  private static final Set<String> SERIAL_TYPES =
      Set.of("serial", "serial2", "serial4", "serial8", "smallserial", "bigserial");

  /** Words that start a table constraint rather than a column in CREATE TABLE and ALTER TABLE ADD. */
  private static final Set<String> CONSTRAINT_HEADS =
      Set.of("constraint", "primary", "unique", "check", "foreign", "exclude", "like");

  private final List<Token> tokens;
  private final List<TableOperation> out = new ArrayList<>();

  private LockClassifier(List<Token> tokens) {
    this.tokens = tokens;
  }

  /** The operations of the statement made of {@code tokens}; empty when none matters for locks. */
  static List<TableOperation> classify(List<Token> tokens) {
    LockClassifier classifier = new LockClassifier(tokens);
    classifier.run();
    return classifier.out;
  }

  private void run() {
    Cursor c = new Cursor(tokens);
    Token first = c.next();
    if (first == null || first.kind() != Token.Kind.WORD) {
      return;
    }
    switch (first.value()) {
      case "create" -> create(c);
      case "alter" -> alter(c);
      case "drop" -> drop(c);
      case "reindex" -> reindex(c);
      case "vacuum" -> vacuum(c);
      case "cluster" -> cluster(c);
      case "truncate" -> truncate(c);
      case "set" -> set(c);
      case "reset" -> reset(c);
      case "update" -> update(c);
      case "delete" -> delete(c);
      case "with" -> with(c);
      case "lock" -> lock(c);
      default -> { }
    }
  }

  // ---- CREATE ----------------------------------------------------------------------------------

  private void create(Cursor c) {
    c.words("or", "replace");
    boolean unique = false;
    boolean temporary = false;
    while (c.peekWordIn("temp", "temporary", "unlogged", "global", "local", "unique")) {
      String word = c.next().value();
      unique |= word.equals("unique");
      temporary |= word.equals("temp") || word.equals("temporary");
    }
    if (c.word("index")) {
      createIndex(c, unique);
    } else if (c.word("table") && !temporary) {
      createTable(c);
    }
  }

  private void createIndex(Cursor c, boolean unique) {
    boolean concurrently = c.word("concurrently");
    c.ifNotExists();
    String index = c.peekWord(0, "on") ? null : c.identifier();
    if (!c.word("on")) {
      return;
    }
    boolean only = c.word("only");
    ObjectName table = c.name();
    if (table == null) {
      return;
    }
    if (!concurrently && !only) {
      out.add(TableOperation.of(Kind.INDEX_BUILD, table, "CREATE " + (unique ? "UNIQUE " : "") + "INDEX"));
    }
    if (unique && index != null) {
      if (c.word("using")) {
        c.identifier();
      }
      List<Token> keys = c.parenthesized();
      List<String> columns = keys == null ? null : plainColumns(keys);
      if (columns != null) {
        out.add(new TableOperation(Kind.INDEX_DEFINED, table, "CREATE UNIQUE INDEX", null, null,
            new ObjectName(table.schema(), index), columns, false));
      }
    }
  }

  /** The columns of an index key list when every key is a plain column, else {@code null}. */
  private static List<String> plainColumns(List<Token> keys) {
    List<String> columns = new ArrayList<>();
    for (List<Token> key : TypeNames.splitOnCommas(keys)) {
      if (key.isEmpty() || !key.get(0).isIdentifier()) {
        return null;
      }
      for (int k = 1; k < key.size(); k++) {
        if (!key.get(k).isIdentifier()) {
          return null; // an expression, opclass parameters, ...
        }
      }
      columns.add(key.get(0).value());
    }
    return columns;
  }

  private void createTable(Cursor c) {
    c.ifNotExists();
    ObjectName table = c.name();
    List<Token> elements = table == null ? null : c.parenthesized();
    if (elements == null) {
      return;
    }
    Set<String> primaryKey = new HashSet<>();
    List<List<Token>> columns = new ArrayList<>();
    for (List<Token> element : TypeNames.splitOnCommas(elements)) {
      if (element.isEmpty()) {
        continue;
      }
      Cursor e = new Cursor(element);
      if (e.peekWordIn(CONSTRAINT_HEADS.toArray(String[]::new))) {
        if (e.word("constraint")) {
          e.identifier();
        }
        if (e.words("primary", "key")) {
          List<Token> keys = e.parenthesized();
          if (keys != null) {
            keys.stream().filter(Token::isIdentifier).forEach(t -> primaryKey.add(t.value()));
          }
        }
      } else {
        columns.add(element);
      }
    }
    for (List<Token> column : columns) {
      TableOperation defined = columnDefinition(table, column, 0);
      if (defined != null) {
        boolean notNull = defined.flag() || primaryKey.contains(defined.name());
        out.add(new TableOperation(Kind.COLUMN_DEFINED, table, defined.what(), defined.name(), defined.type(), null,
            List.of(), notNull));
      }
    }
  }

  /** A {@link Kind#COLUMN_DEFINED} for the column definition starting at {@code from}, or {@code null}. */
  private static TableOperation columnDefinition(ObjectName table, List<Token> definition, int from) {
    if (from >= definition.size() || !definition.get(from).isIdentifier()) {
      return null;
    }
    String column = definition.get(from).value();
    int typeEnd = TypeNames.typeEnd(definition, from + 1);
    if (typeEnd < 0) {
      return null;
    }
    ColumnType type = ColumnType.of(definition.subList(from + 1, typeEnd));
    Cursor rest = new Cursor(definition.subList(typeEnd, definition.size()));
    boolean notNull = rest.containsWordsOutsideParentheses("not", "null")
        || rest.containsWordsOutsideParentheses("primary", "key");
    return new TableOperation(Kind.COLUMN_DEFINED, table, excerpt(definition), column, type, null, List.of(), notNull);
  }

  // ---- ALTER -----------------------------------------------------------------------------------

  private void alter(Cursor c) {
    if (c.word("table")) {
      alterTable(c);
    } else if (c.word("domain")) {
      ObjectName domain = c.name();
      if (domain != null && c.word("add") && !c.containsWordsOutsideParentheses("not", "valid")) {
        out.add(TableOperation.of(Kind.DOMAIN_CONSTRAINT, domain, "ALTER DOMAIN ADD CONSTRAINT"));
      }
    }
  }

  private void alterTable(Cursor c) {
    c.ifExists();
    if (c.peekWords("all", "in")) {
      return;
    }
    c.word("only");
    ObjectName table = c.name();
    if (table == null) {
      return;
    }
    c.punctuation('*');
    Set<String> addedHere = new HashSet<>();
    boolean accessExclusive = false;
    for (List<Token> action : TypeNames.splitOnCommas(c.rest())) {
      if (!action.isEmpty()) {
        accessExclusive |= alterTableAction(table, action, addedHere);
      }
    }
    if (accessExclusive) {
      out.add(TableOperation.of(Kind.ACCESS_EXCLUSIVE, table, "ALTER TABLE"));
    }
  }

  /** Adds the operations of one ALTER TABLE action; true when it takes ACCESS EXCLUSIVE on the table. */
  private boolean alterTableAction(ObjectName table, List<Token> action, Set<String> addedHere) {
    Cursor a = new Cursor(action);
    String what = excerpt(action);
    if (a.word("add")) {
      if (a.peekWordIn(CONSTRAINT_HEADS.toArray(String[]::new))) {
        return addConstraint(table, a, what, addedHere);
      }
      a.word("column");
      a.ifNotExists();
      int from = a.position();
      addColumn(table, action, from, what, addedHere);
      return true;
    }
    if (a.words("validate", "constraint")) {
      String name = a.identifier();
      if (name != null) {
        out.add(TableOperation.named(Kind.VALIDATE, table, what, name, false));
      }
      return false;
    }
    if (a.word("alter")) {
      if (a.word("constraint")) {
        return false; // deferrability: SHARE ROW EXCLUSIVE
      }
      a.word("column");
      String column = a.identifier();
      if (column == null) {
        return true;
      }
      if (a.word("type") || a.words("set", "data", "type")) {
        int from = a.position();
        int end = TypeNames.typeEnd(action, from);
        if (end > from) {
          ColumnType type = ColumnType.of(action.subList(from, end));
          boolean using = new Cursor(action.subList(end, action.size())).containsWordsOutsideParentheses("using");
          out.add(new TableOperation(Kind.TYPE_CHANGE, table, what, column, type, null, List.of(), using));
        }
        return true;
      }
      if (a.words("set", "not", "null")) {
        out.add(TableOperation.named(Kind.SET_NOT_NULL, table, what, column, false));
        return true;
      }
      // SET STATISTICS, SET (attribute options) and RESET (...) take SHARE UPDATE EXCLUSIVE
      return !(a.words("set", "statistics") || a.peekWords("set") && a.peekPunctuationAt(1, '(')
          || a.peekWord(0, "reset"));
    }
    if (a.word("set")) {
      if (a.wordIn("logged", "unlogged", "tablespace") || a.words("access", "method")) {
        out.add(TableOperation.of(Kind.REWRITE, table, what));
        return true;
      }
      // SET (storage parameters) and SET WITHOUT CLUSTER take SHARE UPDATE EXCLUSIVE
      return !(a.peekPunctuation('(') || a.words("without", "cluster"));
    }
    if (a.words("detach", "partition")) {
      boolean concurrently = a.containsWordsOutsideParentheses("concurrently")
          || a.containsWordsOutsideParentheses("finalize");
      if (!concurrently) {
        out.add(TableOperation.of(Kind.DETACH_PARTITION, table, what));
      }
      return !concurrently;
    }
    // SHARE UPDATE EXCLUSIVE or SHARE ROW EXCLUSIVE: reads and writes go on
    return !(a.peekWord(0, "reset") || a.words("cluster", "on") || a.words("attach", "partition")
        || a.peekWordIn("enable", "disable") && a.containsWordsOutsideParentheses("trigger"));
  }

  private void addColumn(ObjectName table, List<Token> action, int from, String what, Set<String> addedHere) {
    TableOperation defined = columnDefinition(table, action, from);
    if (defined == null) {
      return;
    }
    out.add(defined);
    addedHere.add(defined.name());
    Token typeToken = action.get(from + 1);
    Cursor rest = new Cursor(action.subList(from + 1, action.size()));
    boolean serial = typeToken.kind() == Token.Kind.WORD && SERIAL_TYPES.contains(typeToken.value());
    boolean identity = rest.containsWordsOutsideParentheses("as", "identity");
    boolean stored = rest.containsWordsOutsideParentheses("stored");
    boolean volatileDefault = rest.containsWordsOutsideParentheses("default") && callsVolatile(action, from);
    if (serial || identity || stored || volatileDefault) {
      out.add(TableOperation.of(Kind.REWRITE, table, what));
    }
    if (rest.containsWordsOutsideParentheses("unique") || rest.containsWordsOutsideParentheses("primary", "key")) {
      out.add(TableOperation.of(Kind.INDEX_BUILD, table, what));
    }
    if (rest.containsWordsOutsideParentheses("check")) {
      out.add(TableOperation.of(Kind.VALIDATING_CONSTRAINT, table, what));
    }
    boolean hasDefault = serial || identity || rest.containsWordsOutsideParentheses("generated") || rest.hasNonNullDefault();
    if (defined.flag() && !hasDefault) {
      out.add(TableOperation.named(Kind.NOT_NULL_WITHOUT_DEFAULT, table, what, defined.name(), false));
    }
  }

  private static boolean callsVolatile(List<Token> action, int from) {
    for (int k = from; k + 1 < action.size(); k++) {
      Token t = action.get(k);
      if (t.kind() == Token.Kind.WORD && TableOperation.VOLATILE_FUNCTIONS.contains(t.value()) && action.get(k + 1).is('(')) {
        return true;
      }
    }
    return false;
  }

  /** ADD [CONSTRAINT name] PRIMARY KEY / UNIQUE / EXCLUDE / CHECK / FOREIGN KEY; true when it takes ACCESS EXCLUSIVE. */
  private boolean addConstraint(ObjectName table, Cursor a, String what, Set<String> addedHere) {
    String name = a.word("constraint") ? a.identifier() : null;
    boolean notValid = a.containsWordsOutsideParentheses("not", "valid");
    boolean usingIndex = a.containsWordsOutsideParentheses("using", "index")
        && !a.containsWordsOutsideParentheses("using", "index", "tablespace");
    boolean primaryKey = a.peekWord(0, "primary");
    if (a.words("primary", "key") || a.word("unique")) {
      if (!usingIndex) {
        out.add(TableOperation.of(Kind.INDEX_BUILD, table, what));
      } else if (primaryKey) {
        a.skipToWordOutsideParentheses("index");
        String index = a.identifier();
        if (index != null) {
          out.add(new TableOperation(Kind.PRIMARY_KEY_USING_INDEX, table, what, name, null,
              new ObjectName(table.schema(), index), List.of(), false));
        }
      }
      return true;
    }
    if (a.word("exclude")) {
      out.add(TableOperation.of(Kind.INDEX_BUILD, table, what));
      return true;
    }
    if (a.word("check")) {
      List<Token> condition = a.parenthesized();
      String column = condition == null ? null : notNullColumn(condition);
      if (column != null) {
        out.add(new TableOperation(Kind.NOT_NULL_CHECK, table, what, name, null, null, List.of(column), !notValid));
      }
      if (!notValid) {
        out.add(TableOperation.of(Kind.VALIDATING_CONSTRAINT, table, what));
      }
      return true;
    }
    if (a.words("foreign", "key")) {
      List<Token> keys = a.parenthesized();
      List<String> columns = keys == null ? List.of() : plainColumns(keys);
      boolean onNewColumns = columns != null && !columns.isEmpty() && addedHere.containsAll(columns);
      if (!notValid && !onNewColumns) {
        out.add(TableOperation.of(Kind.VALIDATING_CONSTRAINT, table, what));
      }
      return false; // SHARE ROW EXCLUSIVE on both tables
    }
    return true;
  }

  /** The column {@code c} of a condition {@code c IS NOT NULL} (in any number of parentheses), else {@code null}. */
  private static String notNullColumn(List<Token> condition) {
    List<Token> inner = condition;
    while (inner.size() > 2 && inner.get(0).is('(') && TypeNames.closing(inner, 0) == inner.size() - 1) {
      inner = inner.subList(1, inner.size() - 1);
    }
    boolean shape = inner.size() == 4 && inner.get(0).isIdentifier() && inner.get(1).isWord("is")
        && inner.get(2).isWord("not") && inner.get(3).isWord("null");
    return shape ? inner.get(0).value() : null;
  }

  // ---- DROP, REINDEX, VACUUM, CLUSTER, TRUNCATE --------------------------------------------------

  private void drop(Cursor c) {
    if (c.wordIn("database", "tablespace")) {
      out.add(TableOperation.of(Kind.DESTRUCTIVE, null, excerpt(tokens)));
    } else if (c.word("index")) {
      if (c.word("concurrently")) {
        return;
      }
      c.ifExists();
      do {
        ObjectName index = c.name();
        if (index == null) {
          break;
        }
        out.add(new TableOperation(Kind.DROP_INDEX, null, "DROP INDEX " + index.sql(), null, null, index, List.of(), false));
      } while (c.punctuation(','));
    } else if (c.word("trigger")) {
      c.ifExists();
      if (c.identifier() != null && c.word("on")) {
        ObjectName table = c.name();
        if (table != null) {
          out.add(TableOperation.of(Kind.ACCESS_EXCLUSIVE, table, "DROP TRIGGER"));
        }
      }
    }
  }

  private void reindex(Cursor c) {
    List<Token> options = c.parenthesized();
    boolean concurrently = options != null && options.stream().anyMatch(t -> t.isWord("concurrently"));
    Token kind = c.next();
    concurrently |= c.word("concurrently");
    if (concurrently || kind == null) {
      return;
    }
    ObjectName name = c.name();
    if (kind.isWord("table") && name != null) {
      out.add(TableOperation.of(Kind.REINDEX, name, "REINDEX TABLE"));
    } else if (kind.isWord("index") && name != null) {
      out.add(new TableOperation(Kind.REINDEX, null, "REINDEX INDEX " + name.sql(), null, null, name, List.of(), false));
    } else if (kind.kind() == Token.Kind.WORD && Set.of("schema", "database", "system").contains(kind.value())) {
      out.add(TableOperation.of(Kind.REINDEX, null, "REINDEX " + kind.value().toUpperCase(Locale.ROOT)));
    }
  }

  private void vacuum(Cursor c) {
    boolean full = false;
    List<Token> options = c.parenthesized();
    if (options != null) {
      for (List<Token> option : TypeNames.splitOnCommas(options)) {
        full |= !option.isEmpty() && option.get(0).isWord("full")
            && (option.size() == 1 || !Set.of("false", "off", "0").contains(option.get(1).value().toLowerCase(Locale.ROOT)));
      }
    }
    while (c.peekWordIn("full", "freeze", "verbose", "analyze", "analyse")) {
      full |= c.next().isWord("full");
    }
    if (!full) {
      return;
    }
    boolean any = false;
    do {
      ObjectName table = c.name();
      if (table == null) {
        break;
      }
      c.skipParenthesized();
      any = true;
      out.add(TableOperation.of(Kind.VACUUM_FULL, table, "VACUUM FULL"));
    } while (c.punctuation(','));
    if (!any) {
      out.add(TableOperation.of(Kind.VACUUM_FULL, null, "VACUUM FULL"));
    }
  }

  private void cluster(Cursor c) {
    c.skipParenthesized();
    c.word("verbose");
    ObjectName first = c.name();
    if (first == null) {
      out.add(TableOperation.of(Kind.CLUSTER, null, "CLUSTER"));
    } else if (c.word("on")) {
      ObjectName table = c.name(); // CLUSTER index ON table, before PostgreSQL 8.3
      if (table != null) {
        out.add(TableOperation.of(Kind.CLUSTER, table, "CLUSTER"));
      }
    } else {
      out.add(TableOperation.of(Kind.CLUSTER, first, "CLUSTER"));
    }
  }

  private void truncate(Cursor c) {
    boolean cascade = c.containsWordsOutsideParentheses("cascade");
    for (ObjectName table : tableList(c)) {
      out.add(TableOperation.named(Kind.TRUNCATE, table, "TRUNCATE", null, cascade));
      out.add(TableOperation.of(Kind.ACCESS_EXCLUSIVE, table, "TRUNCATE"));
    }
  }

  /** {@code [TABLE] [ONLY] name [*], ...} as TRUNCATE and LOCK write their tables. */
  private static List<ObjectName> tableList(Cursor c) {
    c.word("table");
    List<ObjectName> tables = new ArrayList<>();
    do {
      c.word("only");
      ObjectName table = c.name();
      if (table == null) {
        break;
      }
      c.punctuation('*');
      tables.add(table);
    } while (c.punctuation(','));
    return tables;
  }

  // ---- SET, RESET --------------------------------------------------------------------------------

  private void set(Cursor c) {
    boolean local = c.word("local");
    if (!local && c.peekWord(0, "session") && !c.peekWords("session", "authorization")
        && !c.peekWords("session", "characteristics")) {
      c.word("session");
    }
    if (c.peekWordIn("transaction", "constraints") || c.peekWords("session", "characteristics")) {
      return; // transaction-scoped by nature
    }
    String name = settingName(c);
    if (name != null) {
      out.add(TableOperation.named(Kind.SESSION_SETTING, null, excerpt(tokens), name, local));
    }
  }

  private void reset(Cursor c) {
    String name = settingName(c);
    if (name != null) {
      out.add(TableOperation.named(Kind.SESSION_SETTING, null, excerpt(tokens), name, false));
    }
  }

  /** The setting a SET or RESET names, as PostgreSQL calls it: {@code time zone} is {@code timezone}. */
  private static String settingName(Cursor c) {
    if (c.words("session", "authorization")) {
      return "session authorization";
    }
    if (c.words("time", "zone")) {
      return "timezone";
    }
    if (c.word("schema")) {
      return "search_path";
    }
    if (c.word("names")) {
      return "client_encoding";
    }
    String name = c.identifier();
    if (name == null) {
      return null;
    }
    while (c.punctuation('.')) { // a custom setting: myapp.tenant
      String part = c.identifier();
      name += "." + (part == null ? "" : part);
    }
    return name;
  }

  // ---- UPDATE, DELETE, LOCK ------------------------------------------------------------------------

  private void update(Cursor c) {
    c.word("only");
    ObjectName table = c.name();
    if (table != null) {
      out.add(TableOperation.of(Kind.UPDATE, table, "UPDATE"));
    }
  }

  private void delete(Cursor c) {
    if (!c.word("from")) {
      return;
    }
    c.word("only");
    ObjectName table = c.name();
    if (table != null) {
      out.add(TableOperation.of(Kind.DELETE, table, "DELETE"));
    }
  }

  /** {@code WITH name AS (...), ... UPDATE|DELETE}: the data-modifying statement after the common table expressions. */
  private void with(Cursor c) {
    c.word("recursive");
    while (!c.peekWordIn("update", "delete", "insert", "select", "merge", "values") && c.identifier() != null) {
      c.skipParenthesized(); // column names
      if (!c.word("as")) {
        return;
      }
      c.word("not");
      c.word("materialized");
      if (c.parenthesized() == null) {
        return;
      }
      c.punctuation(',');
    }
    if (c.word("update")) {
      update(c);
    } else if (c.word("delete")) {
      delete(c);
    }
  }

  private void lock(Cursor c) {
    List<ObjectName> tables = tableList(c);
    String mode = "access exclusive";
    if (c.word("in")) {
      List<String> words = new ArrayList<>();
      while (!c.atEnd() && !c.peekWord(0, "mode")) {
        words.add(c.next().value().toLowerCase(Locale.ROOT));
      }
      mode = String.join(" ", words);
    }
    for (ObjectName table : tables) {
      out.add(TableOperation.named(Kind.LOCK_TABLE, table, "LOCK TABLE", mode.toUpperCase(Locale.ROOT), false));
      if (mode.equals("access exclusive")) {
        out.add(TableOperation.of(Kind.ACCESS_EXCLUSIVE, table, "LOCK TABLE"));
      }
    }
  }

  /** The tokens as a short one-line text for messages. */
  static String excerpt(List<Token> tokens) {
    StringBuilder out = new StringBuilder();
    for (Token t : tokens) {
      boolean tight = t.is(',') || t.is(')') || t.is('.') || t.is('(') && out.length() > 0
          && Character.isLetterOrDigit(out.charAt(out.length() - 1)) || out.length() > 0 && out.charAt(out.length() - 1) == '('
          || out.length() > 0 && out.charAt(out.length() - 1) == '.';
      if (out.length() > 0 && !tight) {
        out.append(' ');
      }
      out.append(t.text());
      if (out.length() > 80) {
        return out.substring(0, 77) + "...";
      }
    }
    return out.toString();
  }
}
