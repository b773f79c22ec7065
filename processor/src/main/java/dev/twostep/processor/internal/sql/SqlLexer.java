package dev.twostep.processor.internal.sql;

import dev.twostep.processor.internal.sql.Token.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits SQL into tokens the way PostgreSQL's scanner does (with {@code
 * standard_conforming_strings} on): {@code --} and nested {@code /* *}{@code /} comments,
 * {@code '...'} with {@code ''}, {@code E'...'} with backslash escapes, {@code U&'...'},
 * {@code "quoted"} identifiers with {@code ""}, {@code $$} and {@code $tag$} dollar quotes. Never
 * throws: what is left open runs to the end of the input and is reported as an {@link SqlProblem}.
 */
final class SqlLexer {
  private final String sql;
  private final int[] lineStarts;
  private final List<Token> tokens = new ArrayList<>();
  private final List<SqlProblem> problems = new ArrayList<>();
  private int pos;

  private SqlLexer(String sql) {
    this.sql = sql;
    this.lineStarts = lineStarts(sql);
  }

  /** The tokens of {@code sql} and what is left unterminated. */
  record Result(List<Token> tokens, List<SqlProblem> problems) {}

  static Result lex(String sql) {
    SqlLexer lexer = new SqlLexer(sql);
    lexer.run();
    return new Result(List.copyOf(lexer.tokens), List.copyOf(lexer.problems));
  }

  /** The 1-based line of {@code offset} in {@code sql}. */
  int lineOf(int offset) {
    int i = Arrays.binarySearch(lineStarts, offset);
    return i >= 0 ? i + 1 : -i - 1;
  }

  private static int[] lineStarts(String sql) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < sql.length(); i++) {
      if (sql.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  private void run() {
    int n = sql.length();
    while (pos < n) {
      char c = sql.charAt(pos);
      char next = at(pos + 1);
      if (isWhitespace(c)) {
        pos++;
      } else if (c == '-' && next == '-') {
        skipLineComment();
      } else if (c == '/' && next == '*') {
        skipBlockComment();
      } else if ((c == 'E' || c == 'e') && next == '\'') {
        string(pos, pos + 1, true);
      } else if ((c == 'U' || c == 'u') && next == '&' && at(pos + 2) == '\'') {
        string(pos, pos + 2, false);
      } else if ((c == 'U' || c == 'u') && next == '&' && at(pos + 2) == '"') {
        quotedIdentifier(pos, pos + 2);
      } else if ((c == 'B' || c == 'b' || c == 'X' || c == 'x' || c == 'N' || c == 'n') && next == '\'') {
        string(pos, pos + 1, false);
      } else if (c == '\'') {
        string(pos, pos, false);
      } else if (c == '"') {
        quotedIdentifier(pos, pos);
      } else if (c == '$') {
        dollar();
      } else if (isIdentifierStart(c)) {
        word();
      } else if (isDigit(c) || (c == '.' && isDigit(next))) {
        number();
      } else if ("()[],.:;".indexOf(c) >= 0) {
        add(Kind.PUNCTUATION, pos, pos + 1, String.valueOf(c));
        pos++;
      } else {
        add(Kind.OPERATOR, pos, pos + 1, String.valueOf(c));
        pos++;
      }
    }
  }

  private char at(int i) {
    return i < sql.length() ? sql.charAt(i) : '\0';
  }

  private void add(Kind kind, int start, int end, String value) {
    tokens.add(new Token(kind, sql.substring(start, end), value, start, end, lineOf(start)));
  }

  private void skipLineComment() {
    int end = sql.indexOf('\n', pos);
    pos = end < 0 ? sql.length() : end + 1;
  }

  private void skipBlockComment() {
    int start = pos;
    int depth = 0;
    while (pos < sql.length()) {
      if (sql.startsWith("/*", pos)) {
        depth++;
        pos += 2;
      } else if (sql.startsWith("*/", pos)) {
        depth--;
        pos += 2;
        if (depth == 0) {
          return;
        }
      } else {
        pos++;
      }
    }
    problems.add(new SqlProblem(SqlProblem.Kind.UNTERMINATED_COMMENT, lineOf(start), "/*"));
  }

  /** A string whose opening quote is at {@code quote}; {@code start} is where its prefix begins. */
  private void string(int start, int quote, boolean backslashEscapes) {
    StringBuilder value = new StringBuilder();
    int i = quote + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\'') {
        if (at(i + 1) == '\'') {
          value.append('\'');
          i += 2;
          continue;
        }
        pos = i + 1;
        add(Kind.STRING, start, pos, value.toString());
        return;
      }
      if (c == '\\' && backslashEscapes && i + 1 < sql.length()) {
        value.append(sql.charAt(i + 1));
        i += 2;
        continue;
      }
      value.append(c);
      i++;
    }
    pos = sql.length();
    add(Kind.STRING, start, pos, value.toString());
    problems.add(new SqlProblem(SqlProblem.Kind.UNTERMINATED_STRING, lineOf(start), sql.substring(start, quote + 1)));
  }

  private void quotedIdentifier(int start, int quote) {
    StringBuilder value = new StringBuilder();
    int i = quote + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '"') {
        if (at(i + 1) == '"') {
          value.append('"');
          i += 2;
          continue;
        }
        pos = i + 1;
        add(Kind.QUOTED_IDENTIFIER, start, pos, value.toString());
        return;
      }
      value.append(c);
      i++;
    }
    pos = sql.length();
    add(Kind.QUOTED_IDENTIFIER, start, pos, value.toString());
    problems.add(new SqlProblem(
        SqlProblem.Kind.UNTERMINATED_QUOTED_IDENTIFIER, lineOf(start), sql.substring(start, quote + 1)));
  }

  private void dollar() {
    int start = pos;
    if (isDigit(at(pos + 1))) {
      int i = pos + 1;
      while (isDigit(at(i))) {
        i++;
      }
      pos = i;
      add(Kind.PARAMETER, start, pos, sql.substring(start, pos));
      return;
    }
    // A dollar quote's tag is an identifier without '$': $$ or $tag$.
    int i = pos + 1;
    if (isIdentifierStart(at(i))) {
      i++;
      while (i < sql.length() && isTagPart(sql.charAt(i))) {
        i++;
      }
    }
    if (at(i) != '$') {
      add(Kind.OPERATOR, pos, pos + 1, "$");
      pos++;
      return;
    }
    String tag = sql.substring(start, i + 1);
    int close = sql.indexOf(tag, i + 1);
    if (close < 0) {
      pos = sql.length();
      add(Kind.DOLLAR_STRING, start, pos, sql.substring(i + 1));
      problems.add(new SqlProblem(SqlProblem.Kind.UNTERMINATED_DOLLAR_QUOTE, lineOf(start), tag));
      return;
    }
    pos = close + tag.length();
    add(Kind.DOLLAR_STRING, start, pos, sql.substring(i + 1, close));
  }

  private void word() {
    int start = pos;
    pos++;
    while (pos < sql.length() && isIdentifierPart(sql.charAt(pos))) {
      pos++;
    }
    add(Kind.WORD, start, pos, asciiLowerCase(sql.substring(start, pos)));
  }

  private void number() {
    int start = pos;
    while (pos < sql.length()) {
      char c = sql.charAt(pos);
      char previous = sql.charAt(pos - (pos > start ? 1 : 0));
      if (isDigit(c) || c == '_' || isAsciiLetter(c)) {
        pos++;
      } else if (c == '.' && at(pos + 1) != '.') {
        pos++;
      } else if ((c == '+' || c == '-') && pos > start && (previous == 'e' || previous == 'E')
          && isDigit(at(pos + 1)) && !sql.substring(start, pos).toLowerCase().startsWith("0x")) {
        pos++;
      } else {
        break;
      }
    }
    add(Kind.NUMBER, start, pos, sql.substring(start, pos));
  }

  /** PostgreSQL folds only ASCII letters of unquoted names. */
  static String asciiLowerCase(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return out.toString();
  }

  /** PostgreSQL's white space: space, tab, newline, carriage return, form feed, vertical tab. */
  static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isIdentifierStart(char c) {
    return isAsciiLetter(c) || c == '_' || c >= 0x80;
  }

  private static boolean isTagPart(char c) {
    return isIdentifierStart(c) || isDigit(c);
  }

  private static boolean isIdentifierPart(char c) {
    return isTagPart(c) || c == '$';
  }
}
