package dev.twostep.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rewrites {@code release = "next"} to {@code release = "R"} in the Java source of migrations, in
 * exactly the {@code release} values of Twostep's migration annotations and nowhere else: a small
 * scanner that knows comments, string and character literals and text blocks, so a {@code "next"}
 * in a comment, in SQL, in another attribute or in a constant is left alone. Every other character
 * of the file stays as it was.
 */
final class NextRewriter {
  /** The annotations whose {@code release} names a migration's release. */
  static final Set<String> ANNOTATIONS = Set.of("PreMigration", "PostMigration", "RenameColumn", "ChangeColumnType",
      "SetNotNull", "AddForeignKey", "AddUniqueConstraint");

  private static final String NEXT = "\"next\"";

  private NextRewriter() {}

  /**
   * One rewritten value.
   *
   * @param line the 1-based line of the value
   * @param annotation the annotation's simple name
   * @param type the simple name of the class it annotates, or empty when none follows
   * @param before the value as written, e.g. {@code release = "next"}
   * @param after the value as rewritten
   */
  record Change(int line, String annotation, String type, String before, String after) {}

  /** The rewritten source and what changed, in order. */
  record Result(String source, List<Change> changes) {}

  /** Rewrites every {@code release = "next"} of the migration annotations in {@code source} to {@code release}. */
  static Result rewrite(String source, String release) {
    List<Token> tokens = new Scanner(source).tokens();
    StringBuilder out = new StringBuilder(source.length());
    List<Change> changes = new ArrayList<>();
    int copied = 0;
    for (int i = 0; i + 1 < tokens.size(); i++) {
      if (!tokens.get(i).is("@") || tokens.get(i + 1).kind != Kind.IDENTIFIER || tokens.get(i + 1).is("interface")) {
        continue;
      }
      int j = i + 1;
      String name = tokens.get(j).text;
      while (j + 2 < tokens.size() && tokens.get(j + 1).is(".") && tokens.get(j + 2).kind == Kind.IDENTIFIER) {
        j += 2;
        name = tokens.get(j).text;
      }
      if (!ANNOTATIONS.contains(name) || j + 1 >= tokens.size() || !tokens.get(j + 1).is("(")) {
        continue;
      }
      int close = closing(tokens, j + 1);
      String type = annotatedType(tokens, close + 1);
      int depth = 0;
      for (int k = j + 1; k < close; k++) {
        Token t = tokens.get(k);
        if (t.is("(") || t.is("{")) {
          depth++;
        } else if (t.is(")") || t.is("}")) {
          depth--;
        } else if (depth == 1 && t.is("release") && k + 3 <= close && tokens.get(k + 1).is("=")
            && tokens.get(k + 2).kind == Kind.STRING && tokens.get(k + 2).text.equals(NEXT)
            && (tokens.get(k + 3).is(",") || tokens.get(k + 3).is(")"))) {
          Token value = tokens.get(k + 2);
          out.append(source, copied, value.start).append('"').append(release).append('"');
          copied = value.end;
          String before = source.substring(t.start, value.end);
          String after = source.substring(t.start, value.start) + "\"" + release + "\"";
          changes.add(new Change(value.line, name, type, before, after));
        }
      }
      i = close;
    }
    out.append(source, copied, source.length());
    return new Result(out.toString(), List.copyOf(changes));
  }

  /** The index of the parenthesis closing the one at {@code open}, or the last token when it is never closed. */
  private static int closing(List<Token> tokens, int open) {
    int depth = 0;
    for (int k = open; k < tokens.size(); k++) {
      if (tokens.get(k).is("(")) {
        depth++;
      } else if (tokens.get(k).is(")") && --depth == 0) {
        return k;
      }
    }
    return tokens.size() - 1;
  }

  /** The name declared by the next {@code class}, {@code interface}, {@code record} or {@code enum} from {@code from}. */
  private static String annotatedType(List<Token> tokens, int from) {
    for (int k = from; k + 1 < tokens.size(); k++) {
      Token t = tokens.get(k);
      if (t.is("(")) {
        k = closing(tokens, k);
        continue;
      }
      boolean declares = t.is("class") || t.is("interface") || t.is("enum") || t.is("record");
      if (declares && (k == 0 || !tokens.get(k - 1).is(".") && !tokens.get(k - 1).is("@"))
          && tokens.get(k + 1).kind == Kind.IDENTIFIER) {
        return tokens.get(k + 1).text;
      }
      if (t.is("{") || t.is(";")) {
        return "";
      }
    }
    return "";
  }

  private enum Kind { IDENTIFIER, STRING, TEXT_BLOCK, CHARACTER, PUNCTUATION }

  private record Token(Kind kind, String text, int start, int end, int line) {
    boolean is(String s) {
      return (kind == Kind.IDENTIFIER || kind == Kind.PUNCTUATION) && text.equals(s);
    }
  }

  /** Java tokens without whitespace and comments; unterminated literals and comments run to the end. */
  private static final class Scanner {
    private final String s;
    private int pos;
    private int line = 1;

    Scanner(String source) {
      this.s = source;
    }

    List<Token> tokens() {
      List<Token> tokens = new ArrayList<>();
      while (pos < s.length()) {
        char c = s.charAt(pos);
        int start = pos;
        int startLine = line;
        if (c == '\n') {
          line++;
          pos++;
        } else if (Character.isWhitespace(c)) {
          pos++;
        } else if (s.startsWith("//", pos)) {
          skipTo("\n", false);
        } else if (s.startsWith("/*", pos)) {
          pos += 2;
          skipTo("*/", true);
        } else if (s.startsWith("\"\"\"", pos)) {
          pos += 3;
          skipQuoted("\"\"\"");
          tokens.add(new Token(Kind.TEXT_BLOCK, s.substring(start, pos), start, pos, startLine));
        } else if (c == '"' || c == '\'') {
          pos++;
          skipQuoted(String.valueOf(c));
          tokens.add(new Token(c == '"' ? Kind.STRING : Kind.CHARACTER, s.substring(start, pos), start, pos, startLine));
        } else if (Character.isJavaIdentifierStart(c) || Character.isDigit(c)) {
          while (pos < s.length() && Character.isJavaIdentifierPart(s.charAt(pos))) {
            pos++;
          }
          tokens.add(new Token(Kind.IDENTIFIER, s.substring(start, pos), start, pos, startLine));
        } else {
          pos++;
          tokens.add(new Token(Kind.PUNCTUATION, String.valueOf(c), start, pos, startLine));
        }
      }
      return tokens;
    }

    /** Moves past {@code end} (or before it, for a line comment's newline), counting lines. */
    private void skipTo(String end, boolean consume) {
      while (pos < s.length() && !s.startsWith(end, pos)) {
        countLine();
        pos++;
      }
      if (consume) {
        pos = Math.min(s.length(), pos + end.length());
      }
    }

    /** Moves past the closing {@code quote}, skipping escapes; a plain literal also ends at a line end. */
    private void skipQuoted(String quote) {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '\\') {
          pos++;
          if (pos < s.length()) {
            countLine();
            pos++;
          }
        } else if (s.startsWith(quote, pos)) {
          pos += quote.length();
          return;
        } else if (c == '\n' && quote.length() == 1) {
          return;
        } else {
          countLine();
          pos++;
        }
      }
    }

    private void countLine() {
      if (s.charAt(pos) == '\n') {
        line++;
      }
    }
  }
}
