package dev.twostep.processor.internal.sql;

import dev.twostep.processor.internal.sql.Token.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The SQL of one migration, split into statements on top-level semicolons and classified. Splits
 * like {@code psql}: a semicolon inside parentheses, quotes, comments, dollar quotes or the
 * {@code BEGIN ATOMIC ... END} body of a {@code CREATE FUNCTION} or {@code CREATE PROCEDURE} does
 * not end a statement.
 */
public final class SqlScript {
  private final List<ParsedStatement> statements;
  private final List<SqlProblem> problems;

  private SqlScript(List<ParsedStatement> statements, List<SqlProblem> problems) {
    this.statements = List.copyOf(statements);
    this.problems = problems.stream().sorted(Comparator.comparingInt(SqlProblem::line)).toList();
  }

  /** Parses {@code sql}. Never throws: whatever it cannot make sense of is opaque or a problem. */
  public static SqlScript parse(String sql) {
    String source = sql == null ? "" : sql;
    SqlLexer.Result lexed = SqlLexer.lex(source);
    List<SqlProblem> problems = new ArrayList<>(lexed.problems());
    List<ParsedStatement> statements = new ArrayList<>();
    List<Token> tokens = lexed.tokens();
    int from = 0;
    while (from < tokens.size()) {
      Boundary boundary = findEnd(tokens, from);
      if (boundary.end > from) {
        int endOffset = boundary.end < tokens.size() ? tokens.get(boundary.end).start() : source.length();
        Token first = tokens.get(from);
        String text = source.substring(first.start(), withoutTrailingWhitespace(source, first.start(), endOffset));
        statements.add(StatementClassifier.classify(
            statements.size() + 1, first.line(), text, tokens.subList(from, boundary.end)));
      }
      if (boundary.open != null) {
        problems.add(boundary.open);
      }
      from = boundary.end + 1;
    }
    return new SqlScript(statements, problems);
  }

  /** The statements in order. */
  public List<ParsedStatement> statements() {
    return statements;
  }

  /** What is left unterminated, in order of lines. */
  public List<SqlProblem> problems() {
    return problems;
  }

  /** Where {@code source[start, end)} ends without the white space (as PostgreSQL counts it) at its end. */
  private static int withoutTrailingWhitespace(String source, int start, int end) {
    int i = end;
    while (i > start && SqlLexer.isWhitespace(source.charAt(i - 1))) {
      i--;
    }
    return i;
  }

  /** Index of the terminating semicolon (or the token count), and what was left open at the end. */
  private record Boundary(int end, SqlProblem open) {}

  private static Boundary findEnd(List<Token> tokens, int from) {
    boolean routine = startsRoutine(tokens, from);
    List<Token> brackets = new ArrayList<>();
    int blockDepth = 0;
    Token blockOpener = null;
    for (int i = from; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind() == Kind.PUNCTUATION) {
        if (t.is('(') || t.is('[')) {
          brackets.add(t);
        } else if ((t.is(')') || t.is(']')) && !brackets.isEmpty()) {
          brackets.remove(brackets.size() - 1);
        } else if (t.is(';') && brackets.isEmpty() && blockDepth == 0) {
          return new Boundary(i, null);
        }
      } else if (routine && brackets.isEmpty() && t.kind() == Kind.WORD) {
        // In CREATE FUNCTION/PROCEDURE, a BEGIN ATOMIC ... END body holds semicolons, and CASE ...
        // END nests inside it. A routine named begin is no body, and "AS end" or "t.end" is a
        // name, not the end of one.
        Token previous = i > from ? tokens.get(i - 1) : null;
        boolean name = previous != null && (previous.isWord("as") || previous.is('.'));
        if (t.value().equals("begin") && blockDepth == 0 && i + 1 < tokens.size() && tokens.get(i + 1).isWord("atomic")) {
          blockOpener = t;
          blockDepth++;
        } else if (t.value().equals("case") && blockDepth > 0 && !name) {
          blockDepth++;
        } else if (t.value().equals("end") && blockDepth > 0 && !name) {
          blockDepth--;
        }
      }
    }
    SqlProblem open = null;
    if (!brackets.isEmpty()) {
      Token t = brackets.get(0);
      open = new SqlProblem(SqlProblem.Kind.UNCLOSED_PARENTHESIS, t.line(), t.text());
    } else if (blockDepth > 0) {
      open = new SqlProblem(SqlProblem.Kind.UNCLOSED_ATOMIC_BODY, blockOpener.line(), "BEGIN");
    }
    return new Boundary(tokens.size(), open);
  }

  /** {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE}. */
  private static boolean startsRoutine(List<Token> tokens, int from) {
    int i = from;
    if (i >= tokens.size() || !tokens.get(i).isWord("create")) {
      return false;
    }
    i++;
    if (i + 1 < tokens.size() && tokens.get(i).isWord("or") && tokens.get(i + 1).isWord("replace")) {
      i += 2;
    }
    return i < tokens.size() && (tokens.get(i).isWord("function") || tokens.get(i).isWord("procedure"));
  }
}
