package dev.twostep.processor.internal.sql;

import dev.twostep.ObjectKind;
import dev.twostep.processor.internal.sql.Effect.AddColumn;
import dev.twostep.processor.internal.sql.Effect.AddConstraint;
import dev.twostep.processor.internal.sql.Effect.AddEnumValue;
import dev.twostep.processor.internal.sql.Effect.Alter;
import dev.twostep.processor.internal.sql.Effect.AlterColumn;
import dev.twostep.processor.internal.sql.Effect.ColumnChange;
import dev.twostep.processor.internal.sql.Effect.Create;
import dev.twostep.processor.internal.sql.Effect.Drop;
import dev.twostep.processor.internal.sql.Effect.DropColumn;
import dev.twostep.processor.internal.sql.Effect.DropConstraint;
import dev.twostep.processor.internal.sql.Effect.Namespace;
import dev.twostep.processor.internal.sql.Effect.ObjectRef;
import dev.twostep.processor.internal.sql.Effect.Rename;
import dev.twostep.processor.internal.sql.Effect.RenameColumn;
import dev.twostep.processor.internal.sql.Effect.RenameConstraint;
import dev.twostep.processor.internal.sql.Effect.RenameEnumValue;
import dev.twostep.processor.internal.sql.Effect.ValidateConstraint;
import dev.twostep.processor.internal.sql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recognises the head of one statement: which objects it creates, drops, renames or alters, and
 * whether it controls transactions or cannot run inside one. Reads only as far as it needs; a
 * statement it does not recognise is opaque, never an error.
 */
final class StatementClassifier {
  /** Statements that are understood and change no tracked object. */
  private static final Set<String> PLAIN_HEADS = Set.of(
      "select", "insert", "update", "delete", "merge", "with", "values", "table", "grant", "revoke",
      "comment", "security", "reset", "show", "analyze", "analyse", "refresh", "lock", "truncate",
      "notify", "listen", "unlisten", "call", "copy", "explain", "checkpoint", "load", "prepare",
      "execute", "deallocate", "declare", "fetch", "move", "close", "cluster", "reindex", "discard");

  private static final Set<String> TRANSACTION_HEADS =
      Set.of("begin", "commit", "end", "rollback", "abort", "savepoint", "release");

  private static final Set<String> SERIAL_TYPES =
      Set.of("serial", "serial2", "serial4", "serial8", "smallserial", "bigserial");

  private final Cursor c;
  private final List<Token> tokens;
  /** The statement's text, which starts at the first token. */
  private final String text;
  private final List<Effect> effects = new ArrayList<>();
  private String command;
  private boolean transactionControl;
  private boolean nonTransactional;
  private boolean opaque;
  private boolean doBlock;
  private ConcurrentIndexBuild concurrentIndex;

  private StatementClassifier(List<Token> tokens, String text) {
    this.c = new Cursor(tokens);
    this.tokens = tokens;
    this.text = text;
  }

  static ParsedStatement classify(int number, int line, String text, List<Token> tokens) {
    StatementClassifier classifier = new StatementClassifier(tokens, text);
    classifier.run();
    return new ParsedStatement(number, line, text, classifier.command, classifier.effects,
        classifier.transactionControl, classifier.nonTransactional, classifier.opaque, classifier.doBlock,
        LockClassifier.classify(tokens), classifier.concurrentIndex);
  }

  private void run() {
    Token first = c.peek(0);
    if (first == null || first.kind() != Kind.WORD) {
      command = first == null ? "" : first.text();
      opaque = true;
      return;
    }
    String head = first.value();
    command = head.toUpperCase(Locale.ROOT);
    c.next();
    if (TRANSACTION_HEADS.contains(head)) {
      transactionControl = true;
      return;
    }
    switch (head) {
      case "start":
        transactionControl = c.peekWord(0, "transaction");
        command = transactionControl ? "START TRANSACTION" : command;
        opaque = !transactionControl;
        return;
      case "prepare":
        transactionControl = c.peekWord(0, "transaction");
        command = transactionControl ? "PREPARE TRANSACTION" : command;
        return;
      case "set":
        if (c.peekWord(0, "transaction") || c.peekWords("session", "characteristics")) {
          transactionControl = true;
          command = c.peekWord(0, "transaction") ? "SET TRANSACTION" : "SET SESSION CHARACTERISTICS";
        }
        return;
      case "vacuum":
        nonTransactional = true;
        return;
      case "discard":
        nonTransactional = c.peekWord(0, "all");
        command = nonTransactional ? "DISCARD ALL" : command;
        return;
      case "cluster":
        cluster();
        return;
      case "reindex":
        reindex();
        return;
      case "do":
        doBlock = true;
        opaque = true;
        return;
      case "create":
        create();
        return;
      case "drop":
        drop();
        return;
      case "alter":
        alter();
        return;
      case "select":
        selectInto();
        return;
      default:
        opaque = !PLAIN_HEADS.contains(head);
    }
  }

  /** {@code CLUSTER} without a table reclusters the whole database, which needs its own transactions. */
  private void cluster() {
    c.skipParenthesized();
    c.word("verbose");
    nonTransactional = c.atEnd();
  }

  private void reindex() {
    boolean concurrently = false;
    List<Token> options = c.parenthesized();
    if (options != null) {
      concurrently = options.stream().anyMatch(t -> t.isWord("concurrently"));
    }
    String kind = c.atEnd() || c.peek(0).kind() != Kind.WORD ? "" : c.next().value();
    concurrently |= c.word("concurrently");
    boolean wide = kind.equals("schema") || kind.equals("database") || kind.equals("system");
    nonTransactional = concurrently || wide;
    command = "REINDEX" + (wide ? " " + kind.toUpperCase(Locale.ROOT) : "") + (concurrently ? " CONCURRENTLY" : "");
  }

  // ---- CREATE ----------------------------------------------------------------------------------

  private void create() {
    boolean orReplace = c.words("or", "replace");
    boolean unique = false;
    while (c.wordIn("temp", "temporary", "unlogged", "global", "local", "recursive", "constraint", "unique")) {
      // modifiers that do not change what kind of object is created
      unique |= tokens.get(c.position() - 1).isWord("unique");
    }
    Token kindToken = c.peek(0);
    String kind = kindToken == null || kindToken.kind() != Kind.WORD ? "" : kindToken.value();
    c.next();
    command = "CREATE " + (orReplace ? "OR REPLACE " : "") + kind.toUpperCase(Locale.ROOT);
    switch (kind) {
      case "table":
        createSimple(ObjectKind.TABLE, orReplace);
        return;
      case "view":
        createSimple(ObjectKind.VIEW, orReplace);
        return;
      case "sequence":
        createSimple(ObjectKind.SEQUENCE, orReplace);
        return;
      case "domain":
        createSimple(ObjectKind.DOMAIN, orReplace);
        return;
      case "materialized":
        c.word("view");
        command = "CREATE MATERIALIZED VIEW";
        createSimple(ObjectKind.MATERIALIZED_VIEW, orReplace);
        return;
      case "index":
        createIndex(unique);
        return;
      case "function":
      case "procedure":
        createRoutine(kind.equals("function") ? ObjectKind.FUNCTION : ObjectKind.PROCEDURE, orReplace);
        return;
      case "trigger":
        createTrigger(orReplace);
        return;
      case "type":
        createType();
        return;
      case "schema":
        createSchema();
        return;
      case "extension": {
        boolean ifNotExists = c.ifNotExists();
        String name = c.identifier();
        if (name != null) {
          effects.add(new Create(ObjectRef.of(ObjectKind.EXTENSION, ObjectName.of(name)), false, ifNotExists));
        }
        return;
      }
      case "database":
      case "tablespace":
        nonTransactional = true;
        return;
      default:
        opaque = true;
    }
  }

  private void createSimple(ObjectKind kind, boolean orReplace) {
    boolean ifNotExists = c.ifNotExists();
    ObjectName name = c.name();
    if (name != null) {
      effects.add(new Create(ObjectRef.of(kind, name), orReplace, ifNotExists));
    }
  }

  private void createIndex(boolean unique) {
    boolean concurrently = c.word("concurrently");
    nonTransactional = concurrently;
    command = "CREATE INDEX" + (concurrently ? " CONCURRENTLY" : "");
    boolean ifNotExists = c.ifNotExists();
    String index = c.peekWord(0, "on") ? null : c.identifier();
    if (!c.word("on")) {
      return;
    }
    c.word("only");
    ObjectName table = c.name();
    if (concurrently && table != null) {
      Token next = c.peek(0);
      String definition = next == null ? "" : text.substring(next.start() - tokens.get(0).start());
      concurrentIndex = new ConcurrentIndexBuild(table, index, unique, ifNotExists, definition);
    }
    if (index != null && table != null) {
      // An index always lives in its table's schema.
      ObjectName name = new ObjectName(table.schema(), index);
      effects.add(new Create(new ObjectRef(Namespace.RELATION, ObjectKind.INDEX, name, null, table), false, ifNotExists));
    }
  }

  private void createRoutine(ObjectKind kind, boolean orReplace) {
    ObjectName name = c.name();
    List<Token> arguments = c.parenthesized();
    if (name != null && arguments != null) {
      ObjectRef ref = new ObjectRef(Namespace.ROUTINE, kind, name, TypeNames.signature(arguments), null);
      effects.add(new Create(ref, orReplace, false));
    }
  }

  private void createTrigger(boolean orReplace) {
    String trigger = c.identifier();
    if (trigger == null || !c.skipToWordOutsideParentheses("on")) {
      return;
    }
    ObjectName table = c.name();
    if (table != null) {
      ObjectRef ref = new ObjectRef(Namespace.TRIGGER, ObjectKind.TRIGGER, ObjectName.of(trigger), null, table);
      effects.add(new Create(ref, orReplace, false));
    }
  }

  private void createType() {
    ObjectName name = c.name();
    if (name == null || !c.word("as")) {
      return; // a shell type or a base type: not tracked
    }
    if (c.word("enum")) {
      effects.add(new Create(ObjectRef.of(ObjectKind.ENUM_TYPE, name), false, false));
      command = "CREATE TYPE AS ENUM";
    } else if (c.peekPunctuation('(')) {
      effects.add(new Create(ObjectRef.of(ObjectKind.COMPOSITE_TYPE, name), false, false));
    }
  }

  private void createSchema() {
    boolean ifNotExists = c.ifNotExists();
    // CREATE SCHEMA AUTHORIZATION role names the schema after the role; CURRENT_ROLE, CURRENT_USER
    // and SESSION_USER name whoever runs it, which the SQL does not say
    if (c.word("authorization") && c.peekWordIn("current_role", "current_user", "session_user")) {
      return;
    }
    String name = c.identifier();
    if (name != null) {
      effects.add(new Create(ObjectRef.of(ObjectKind.SCHEMA, ObjectName.of(name)), false, ifNotExists));
    }
  }

  /** {@code SELECT ... INTO [TEMP | UNLOGGED] [TABLE] t FROM ...} creates table {@code t}, like CREATE TABLE AS. */
  private void selectInto() {
    if (!c.skipToWordOutsideParentheses("into")) {
      return;
    }
    boolean temporary = c.wordIn("temp", "temporary");
    c.wordIn("unlogged", "local", "global");
    temporary |= c.wordIn("temp", "temporary");
    c.word("table");
    ObjectName table = c.name();
    if (table != null && !temporary) {
      effects.add(new Create(ObjectRef.of(ObjectKind.TABLE, table), false, false));
      command = "SELECT INTO";
    }
  }

  // ---- DROP ------------------------------------------------------------------------------------

  private void drop() {
    Token kindToken = c.next();
    String kind = kindToken == null || kindToken.kind() != Kind.WORD ? "" : kindToken.value();
    command = "DROP " + kind.toUpperCase(Locale.ROOT);
    ObjectKind objectKind;
    Namespace namespace;
    switch (kind) {
      case "table":
        objectKind = ObjectKind.TABLE;
        break;
      case "view":
        objectKind = ObjectKind.VIEW;
        break;
      case "materialized":
        c.word("view");
        command = "DROP MATERIALIZED VIEW";
        objectKind = ObjectKind.MATERIALIZED_VIEW;
        break;
      case "index":
        nonTransactional = c.word("concurrently");
        command = "DROP INDEX" + (nonTransactional ? " CONCURRENTLY" : "");
        objectKind = ObjectKind.INDEX;
        break;
      case "sequence":
        objectKind = ObjectKind.SEQUENCE;
        break;
      case "domain":
        objectKind = ObjectKind.DOMAIN;
        break;
      case "schema":
        objectKind = ObjectKind.SCHEMA;
        break;
      case "extension":
        objectKind = ObjectKind.EXTENSION;
        break;
      case "function":
        objectKind = ObjectKind.FUNCTION;
        break;
      case "procedure":
        objectKind = ObjectKind.PROCEDURE;
        break;
      case "trigger":
        objectKind = ObjectKind.TRIGGER;
        break;
      case "type":
      case "routine":
        objectKind = null;
        break;
      case "database":
      case "tablespace":
        nonTransactional = true;
        return;
      default:
        opaque = true;
        return;
    }
    namespace = kind.equals("type") ? Namespace.TYPE
        : kind.equals("routine") ? Namespace.ROUTINE
        : Namespace.of(objectKind);
    boolean ifExists = c.ifExists();
    List<ObjectRef> targets = new ArrayList<>();
    if (objectKind == ObjectKind.TRIGGER) {
      String trigger = c.identifier();
      if (trigger != null && c.word("on")) {
        ObjectName table = c.name();
        if (table != null) {
          targets.add(new ObjectRef(Namespace.TRIGGER, ObjectKind.TRIGGER, ObjectName.of(trigger), null, table));
        }
      }
    } else {
      do {
        ObjectName name = c.name();
        if (name == null) {
          break;
        }
        String signature = null;
        if (namespace == Namespace.ROUTINE && c.peekPunctuation('(')) {
          signature = TypeNames.signature(c.parenthesized());
        }
        targets.add(new ObjectRef(namespace, objectKind, name, signature, null));
      } while (c.punctuation(','));
    }
    boolean cascade = c.word("cascade");
    for (ObjectRef target : targets) {
      effects.add(new Drop(target, ifExists, cascade));
    }
  }

  // ---- ALTER -----------------------------------------------------------------------------------

  private void alter() {
    Token kindToken = c.next();
    String kind = kindToken == null || kindToken.kind() != Kind.WORD ? "" : kindToken.value();
    command = "ALTER " + kind.toUpperCase(Locale.ROOT);
    switch (kind) {
      case "table":
        alterTable();
        return;
      case "index":
        alterRelation(ObjectKind.INDEX);
        return;
      case "view":
        alterRelation(ObjectKind.VIEW);
        return;
      case "materialized":
        c.word("view");
        command = "ALTER MATERIALIZED VIEW";
        alterRelation(ObjectKind.MATERIALIZED_VIEW);
        return;
      case "sequence":
        alterRelation(ObjectKind.SEQUENCE);
        return;
      case "function":
      case "procedure":
      case "routine":
        alterRoutine(kind);
        return;
      case "trigger":
        alterTrigger();
        return;
      case "type":
        alterType();
        return;
      case "domain":
        alterNamed(new ObjectRef(Namespace.TYPE, ObjectKind.DOMAIN, nameOrEmpty(), null, null));
        return;
      case "schema":
        alterSchema();
        return;
      case "system":
        nonTransactional = true;
        return;
      case "database":
        nonTransactional = c.containsWordsOutsideParentheses("set", "tablespace");
        return;
      case "extension":
      case "role":
      case "user":
      case "default":
      case "policy":
      case "publication":
        return;
      default:
        opaque = true;
    }
  }

  private ObjectName nameOrEmpty() {
    ObjectName name = c.name();
    return name == null ? ObjectName.of("") : name;
  }

  private void alterTable() {
    boolean ifExists = c.ifExists();
    if (c.peekWords("all", "in")) {
      return;
    }
    c.word("only");
    ObjectName table = c.name();
    if (table == null) {
      opaque = true;
      return;
    }
    c.punctuation('*');
    for (List<Token> action : TypeNames.splitOnCommas(c.rest())) {
      alterTableAction(table, ifExists, new Cursor(action));
    }
  }

  private void alterTableAction(ObjectName table, boolean ifExists, Cursor a) {
    if (a.word("add")) {
      if (a.peekWordIn("constraint", "primary", "unique", "check", "foreign", "exclude")) {
        String name = a.word("constraint") ? a.identifier() : null;
        effects.add(new AddConstraint(table, name, a.containsWordsOutsideParentheses("not", "valid")));
        return;
      }
      a.word("column");
      a.ifNotExists();
      String column = a.identifier();
      if (column == null) {
        return;
      }
      Token type = a.peek(0);
      boolean serial = type != null && type.kind() == Kind.WORD && SERIAL_TYPES.contains(type.value());
      boolean notNull = a.containsWordsOutsideParentheses("not", "null") || a.containsWordsOutsideParentheses("primary", "key");
      boolean hasDefault = serial || a.containsWordsOutsideParentheses("generated") || a.hasNonNullDefault();
      effects.add(new AddColumn(table, column, notNull, hasDefault));
    } else if (a.word("drop")) {
      if (a.word("constraint")) {
        a.ifExists();
        String name = a.identifier();
        if (name != null) {
          effects.add(new DropConstraint(table, name));
        }
        return;
      }
      a.word("column");
      a.ifExists();
      String column = a.identifier();
      if (column != null) {
        effects.add(new DropColumn(table, column));
      }
    } else if (a.word("alter")) {
      if (a.peekWord(0, "constraint")) {
        return;
      }
      a.word("column");
      String column = a.identifier();
      ColumnChange change = null;
      if (a.word("type") || a.words("set", "data", "type")) {
        change = ColumnChange.TYPE;
      } else if (a.words("set", "not", "null")) {
        change = ColumnChange.SET_NOT_NULL;
      } else if (a.words("drop", "not", "null")) {
        change = ColumnChange.DROP_NOT_NULL;
      } else if (a.words("set", "default")) {
        change = ColumnChange.SET_DEFAULT;
      } else if (a.words("drop", "default")) {
        change = ColumnChange.DROP_DEFAULT;
      }
      if (column != null && change != null) {
        effects.add(new AlterColumn(table, column, change));
      }
    } else if (a.word("rename")) {
      if (a.word("constraint")) {
        String from = a.identifier();
        String to = a.word("to") ? a.identifier() : null;
        if (from != null && to != null) {
          effects.add(new RenameConstraint(table, from, to));
        }
      } else if (a.word("to")) {
        String to = a.identifier();
        if (to != null) {
          effects.add(new Rename(ObjectRef.of(ObjectKind.TABLE, table), new ObjectName(table.schema(), to), ifExists));
        }
      } else {
        a.word("column");
        String from = a.identifier();
        String to = a.word("to") ? a.identifier() : null;
        if (from != null && to != null) {
          effects.add(new RenameColumn(table, from, to));
        }
      }
    } else if (a.words("set", "schema")) {
      String schema = a.identifier();
      if (schema != null) {
        effects.add(new Rename(ObjectRef.of(ObjectKind.TABLE, table), table.inSchema(schema), ifExists));
      }
    } else if (a.words("validate", "constraint")) {
      String name = a.identifier();
      if (name != null) {
        effects.add(new ValidateConstraint(table, name));
      }
    } else if (a.words("detach", "partition")) {
      if (a.containsWordsOutsideParentheses("concurrently")) {
        nonTransactional = true;
        command = "ALTER TABLE DETACH PARTITION CONCURRENTLY";
      }
    }
  }

  /** ALTER INDEX / VIEW / MATERIALIZED VIEW / SEQUENCE. */
  private void alterRelation(ObjectKind kind) {
    boolean ifExists = c.ifExists();
    if (c.peekWords("all", "in")) {
      return;
    }
    ObjectName name = c.name();
    if (name == null) {
      opaque = true;
      return;
    }
    ObjectRef ref = ObjectRef.of(kind, name);
    if (c.words("rename", "to")) {
      String to = c.identifier();
      if (to != null) {
        effects.add(new Rename(ref, new ObjectName(name.schema(), to), ifExists));
      }
    } else if (c.words("set", "schema")) {
      String schema = c.identifier();
      if (schema != null) {
        effects.add(new Rename(ref, name.inSchema(schema), ifExists));
      }
    } else if (c.word("rename")) {
      c.word("column");
      String column = c.identifier();
      if (column != null && c.word("to")) {
        effects.add(new Alter(ref, Alter.Change.RENAME_COLUMN, column));
      }
    }
  }

  private void alterRoutine(String kind) {
    ObjectKind objectKind = kind.equals("function") ? ObjectKind.FUNCTION
        : kind.equals("procedure") ? ObjectKind.PROCEDURE : null;
    ObjectName name = c.name();
    if (name == null) {
      opaque = true;
      return;
    }
    String signature = c.peekPunctuation('(') ? TypeNames.signature(c.parenthesized()) : null;
    alterNamed(new ObjectRef(Namespace.ROUTINE, objectKind, name, signature, null));
  }

  /** RENAME TO or SET SCHEMA of {@code ref}, which has been read. */
  private void alterNamed(ObjectRef ref) {
    if (ref.name().name().isEmpty()) {
      opaque = true;
      return;
    }
    if (c.words("rename", "to")) {
      String to = c.identifier();
      if (to != null) {
        effects.add(new Rename(ref, new ObjectName(ref.name().schema(), to), false));
      }
    } else if (c.words("set", "schema")) {
      String schema = c.identifier();
      if (schema != null) {
        effects.add(new Rename(ref, ref.name().inSchema(schema), false));
      }
    }
  }

  private void alterTrigger() {
    String trigger = c.identifier();
    if (trigger == null || !c.word("on")) {
      opaque = true;
      return;
    }
    ObjectName table = c.name();
    if (table != null && c.words("rename", "to")) {
      String to = c.identifier();
      if (to != null) {
        ObjectRef ref = new ObjectRef(Namespace.TRIGGER, ObjectKind.TRIGGER, ObjectName.of(trigger), null, table);
        effects.add(new Rename(ref, ObjectName.of(to), false));
      }
    }
  }

  private void alterType() {
    ObjectName name = c.name();
    if (name == null) {
      opaque = true;
      return;
    }
    ObjectRef ref = new ObjectRef(Namespace.TYPE, null, name, null, null);
    if (c.words("add", "value")) {
      c.ifNotExists();
      Token value = c.next();
      if (value != null && value.kind() == Kind.STRING) {
        effects.add(new AddEnumValue(name, value.value()));
      }
      command = "ALTER TYPE ADD VALUE";
    } else if (c.words("rename", "value")) {
      Token from = c.next();
      Token to = c.word("to") ? c.next() : null;
      if (from != null && to != null && from.kind() == Kind.STRING && to.kind() == Kind.STRING) {
        effects.add(new RenameEnumValue(name, from.value(), to.value()));
      }
    } else if (c.peekWords("rename", "attribute")) {
      c.words("rename", "attribute");
      String attribute = c.identifier();
      if (attribute != null) {
        effects.add(new Alter(ref, Alter.Change.RENAME_ATTRIBUTE, attribute));
      }
    } else if (c.peekWords("rename", "to") || c.peekWords("set", "schema")) {
      alterNamed(ref);
    } else {
      for (List<Token> action : TypeNames.splitOnCommas(c.rest())) {
        Cursor a = new Cursor(action);
        Alter.Change change = a.words("add", "attribute") ? Alter.Change.ADD_ATTRIBUTE
            : a.words("drop", "attribute") ? Alter.Change.DROP_ATTRIBUTE
            : a.words("alter", "attribute") ? Alter.Change.ALTER_ATTRIBUTE_TYPE
            : null;
        if (change == Alter.Change.DROP_ATTRIBUTE) {
          a.ifExists();
        }
        String attribute = change == null ? null : a.identifier();
        if (attribute != null) {
          effects.add(new Alter(ref, change, attribute));
        }
      }
    }
  }

  private void alterSchema() {
    String name = c.identifier();
    if (name == null) {
      opaque = true;
      return;
    }
    alterNamed(ObjectRef.of(ObjectKind.SCHEMA, ObjectName.of(name)));
  }
}
