package dev.twostep.processor.internal.sql;

import dev.twostep.processor.internal.sql.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Normalizes routine signatures the way PostgreSQL identifies routines: by the types of their
 * input arguments only, with argument names, modes, defaults and type modifiers dropped and the
 * spellings of one type unified ({@code int}, {@code integer}, {@code int4}).
 */
final class TypeNames {
  private TypeNames() {}

  private static final Map<String, String> ALIASES = Map.ofEntries(
      Map.entry("int", "integer"),
      Map.entry("int4", "integer"),
      Map.entry("integer", "integer"),
      Map.entry("int2", "smallint"),
      Map.entry("smallint", "smallint"),
      Map.entry("int8", "bigint"),
      Map.entry("bigint", "bigint"),
      Map.entry("float4", "real"),
      Map.entry("real", "real"),
      Map.entry("float8", "double precision"),
      Map.entry("float", "double precision"),
      Map.entry("decimal", "numeric"),
      Map.entry("numeric", "numeric"),
      Map.entry("bool", "boolean"),
      Map.entry("boolean", "boolean"),
      Map.entry("varchar", "character varying"),
      Map.entry("char", "character"),
      Map.entry("character", "character"),
      Map.entry("bpchar", "character"),
      Map.entry("nchar", "character"),
      Map.entry("timestamp", "timestamp without time zone"),
      Map.entry("timestamptz", "timestamp with time zone"),
      Map.entry("time", "time without time zone"),
      Map.entry("timetz", "time with time zone"),
      Map.entry("varbit", "bit varying"),
      Map.entry("serial", "integer"),
      Map.entry("serial4", "integer"),
      Map.entry("bigserial", "bigint"),
      Map.entry("serial8", "bigint"),
      Map.entry("smallserial", "smallint"),
      Map.entry("serial2", "smallint"));

  /**
   * The signature of an argument list (the tokens between the parentheses), e.g.
   * {@code "(integer, text)"}; OUT arguments are left out as PostgreSQL does for identity.
   */
  static String signature(List<Token> arguments) {
    List<String> types = new ArrayList<>();
    for (List<Token> argument : splitOnCommas(arguments)) {
      String type = argumentType(argument);
      if (type != null) {
        types.add(type);
      }
    }
    return "(" + String.join(", ", types) + ")";
  }

  /** Splits on commas outside parentheses and brackets. */
  static List<List<Token>> splitOnCommas(List<Token> tokens) {
    List<List<Token>> parts = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    int depth = 0;
    for (Token t : tokens) {
      if (t.is('(') || t.is('[')) {
        depth++;
      } else if ((t.is(')') || t.is(']')) && depth > 0) {
        depth--;
      } else if (t.is(',') && depth == 0) {
        parts.add(current);
        current = new ArrayList<>();
        continue;
      }
      current.add(t);
    }
    if (!current.isEmpty() || !parts.isEmpty()) {
      parts.add(current);
    }
    return parts;
  }

  /** The normalized type of one argument declaration, or {@code null} for an OUT argument. */
  private static String argumentType(List<Token> argument) {
    List<Token> tokens = new ArrayList<>();
    int depth = 0;
    for (Token t : argument) {
      if (depth == 0 && (t.isWord("default") || t.is('='))) {
        break;
      }
      if (t.is('(') || t.is('[')) {
        depth++;
      } else if (t.is(')') || t.is(']')) {
        depth--;
      }
      tokens.add(t);
    }
    int from = 0;
    if (!tokens.isEmpty() && tokens.get(0).kind() == Kind.WORD) {
      String mode = tokens.get(0).value();
      if (mode.equals("out")) {
        return null;
      }
      if ((mode.equals("in") || mode.equals("inout") || mode.equals("variadic")) && tokens.size() > 1) {
        from = 1;
      }
    }
    // The mode may also follow the name: "x OUT int", "a VARIADIC int[]", "v inout text".
    if (from == 0 && tokens.size() > 2 && tokens.get(0).isIdentifier() && tokens.get(1).kind() == Kind.WORD
        && List.of("in", "out", "inout", "variadic").contains(tokens.get(1).value())) {
      if (tokens.get(1).value().equals("out")) {
        return null;
      }
      return normalize(tokens.subList(2, tokens.size()));
    }
    if (from >= tokens.size()) {
      return "";
    }
    // "p_queue text" or "text" alone: a name comes first when the rest is a whole type.
    if (typeEnd(tokens, from) == tokens.size()) {
      return normalize(tokens.subList(from, tokens.size()));
    }
    if (from + 1 < tokens.size() && typeEnd(tokens, from + 1) == tokens.size()) {
      return normalize(tokens.subList(from + 1, tokens.size()));
    }
    return normalize(tokens.subList(Math.min(from + 1, tokens.size() - 1), tokens.size()));
  }

  /** Where a type name starting at {@code from} ends, or -1 when none starts there. */
  static int typeEnd(List<Token> tokens, int from) {
    int i = from;
    if (i >= tokens.size() || !tokens.get(i).isIdentifier()) {
      return -1;
    }
    String first = tokens.get(i).kind() == Kind.WORD ? tokens.get(i).value() : "";
    i++;
    switch (first) {
      case "double":
        i = accept(tokens, i, "precision");
        break;
      case "character":
      case "char":
      case "nchar":
      case "bit":
        i = accept(tokens, i, "varying");
        break;
      case "national":
        i = accept(tokens, i, "character");
        i = accept(tokens, i, "char");
        i = accept(tokens, i, "varying");
        break;
      case "interval":
        while (i < tokens.size() && isIntervalField(tokens.get(i))) {
          i++;
        }
        break;
      default:
        while (i + 1 < tokens.size() && tokens.get(i).is('.') && tokens.get(i + 1).isIdentifier()) {
          i += 2;
        }
    }
    if (i < tokens.size() && tokens.get(i).is('(')) {
      i = closing(tokens, i) + 1;
    }
    if (first.equals("time") || first.equals("timestamp")) {
      if (i + 2 < tokens.size() && (tokens.get(i).isWord("with") || tokens.get(i).isWord("without"))
          && tokens.get(i + 1).isWord("time") && tokens.get(i + 2).isWord("zone")) {
        i += 3;
      }
    }
    while (i < tokens.size()) {
      if (tokens.get(i).is('[')) {
        i = closing(tokens, i) + 1;
      } else if (tokens.get(i).isWord("array")) {
        i++;
      } else if (tokens.get(i).is('%') && i + 1 < tokens.size()
          && (tokens.get(i + 1).isWord("type") || tokens.get(i + 1).isWord("rowtype"))) {
        i += 2;
      } else {
        break;
      }
    }
    return Math.min(i, tokens.size());
  }

  private static boolean isIntervalField(Token t) {
    return t.kind() == Kind.WORD
        && List.of("year", "month", "day", "hour", "minute", "second", "to").contains(t.value());
  }

  private static int accept(List<Token> tokens, int i, String word) {
    return i < tokens.size() && tokens.get(i).isWord(word) ? i + 1 : i;
  }

  /** Index of the bracket closing the one at {@code open}, or the last index. */
  static int closing(List<Token> tokens, int open) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.is('(') || t.is('[')) {
        depth++;
      } else if (t.is(')') || t.is(']')) {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    return tokens.size() - 1;
  }

  /** The canonical spelling of a type: {@code int4[]} and {@code integer ARRAY} both give {@code integer[]}. */
  static String normalize(List<Token> type) {
    List<String> words = new ArrayList<>();
    boolean array = false;
    boolean withZone = false;
    boolean percentType = false;
    int precision = -1;
    int depth = 0;
    for (int i = 0; i < type.size(); i++) {
      Token t = type.get(i);
      if (t.is('(')) {
        if (depth == 0 && i + 1 < type.size() && type.get(i + 1).kind() == Kind.NUMBER) {
          precision = parseOrMinusOne(type.get(i + 1).text());
        }
        depth++;
      } else if (t.is(')')) {
        depth--;
      } else if (depth > 0) {
        continue;
      } else if (t.is('[') || t.isWord("array")) {
        array = true;
        depth += t.is('[') ? 1 : 0;
      } else if (t.is(']')) {
        depth--;
      } else if (t.isWord("with") && i + 1 < type.size() && type.get(i + 1).isWord("time")) {
        withZone = true;
        i += 2;
      } else if (t.isWord("without")) {
        i += 2;
      } else if (t.is('%')) {
        percentType = true;
        words.add("%" + (i + 1 < type.size() ? type.get(i + 1).value() : ""));
        i++;
      } else if (t.is('.')) {
        words.add(".");
      } else if (t.kind() == Kind.QUOTED_IDENTIFIER) {
        // "char" quoted is the one-byte type, not character
        words.add(t.value().equals("char") ? "\"char\"" : ObjectName.quote(t.value()));
      } else {
        words.add(t.value());
      }
    }
    // Drop the schema of built-in and default-schema types: pg_catalog.int4 is int4.
    if (words.size() >= 3 && words.get(1).equals(".")
        && (words.get(0).equals("pg_catalog") || words.get(0).equals("public"))) {
      words = new ArrayList<>(words.subList(2, words.size()));
    }
    String joined = String.join(" ", words).replace(" . ", ".").replace(" %", "%");
    String base = percentType ? joined : canonical(joined, withZone, precision);
    return array ? base + "[]" : base;
  }

  private static String canonical(String name, boolean withZone, int precision) {
    switch (name) {
      case "double precision":
      case "float8":
        return "double precision";
      case "float":
        return precision >= 1 && precision <= 24 ? "real" : "double precision";
      case "character varying":
      case "char varying":
      case "national character varying":
      case "national char varying":
      case "nchar varying":
        return "character varying";
      case "national character":
      case "national char":
        return "character";
      case "bit varying":
        return "bit varying";
      case "timestamp":
        return withZone ? "timestamp with time zone" : "timestamp without time zone";
      case "time":
        return withZone ? "time with time zone" : "time without time zone";
      default:
        if (name.startsWith("interval")) {
          return "interval";
        }
        return ALIASES.getOrDefault(name, name);
    }
  }

  private static int parseOrMinusOne(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
