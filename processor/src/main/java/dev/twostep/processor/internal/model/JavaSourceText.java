package dev.twostep.processor.internal.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The code of a Java migration class as its checksum sees it: the tokens of its source, comments
 * and layout dropped, joined by single spaces. Reformatting, re-indenting, adding or editing
 * comments and Javadoc do not change it; changing a token does (a literal, a name, an operator,
 * a batch size, a query in a string or text block). A text block counts by its content with the
 * common indentation removed, as Java itself reads it, so re-indenting one is not a change either.
 */
public final class JavaSourceText {
  private static final String OPERATOR_CHARS = "=<>!~?:&|+-*/^%";

  private JavaSourceText() {}

  /**
   * The normal form of the class declaration that starts {@code source} (at its annotations or
   * modifiers) and ends at the brace closing its body; what follows is ignored. The annotations
   * in front of the declaration (the migration annotation, {@code @Waive}s) are not part of it.
   * Never throws: an unterminated comment, literal or body ends at the end of the text.
   */
  public static String normaliseClass(String source) {
    List<String> tokens = tokens(source);
    int from = 0;
    while (from + 1 < tokens.size() && tokens.get(from).equals("@") && !tokens.get(from + 1).equals("interface")) {
      from += 2;
      while (from + 1 < tokens.size() && tokens.get(from).equals(".")) {
        from += 2;
      }
      if (from < tokens.size() && tokens.get(from).equals("(")) {
        from = afterBalanced(tokens, from, "(", ")");
      }
    }
    int body = tokens.subList(from, tokens.size()).indexOf("{");
    int to = body < 0 ? tokens.size() : afterBalanced(tokens, from + body, "{", "}");
    return String.join(" ", tokens.subList(from, to));
  }

  /** The index after the token closing the bracket at {@code open}; the list's end if never. */
  private static int afterBalanced(List<String> tokens, int open, String opening, String closing) {
    int depth = 0;
    for (int i = open; i < tokens.size(); i++) {
      if (tokens.get(i).equals(opening)) {
        depth++;
      } else if (tokens.get(i).equals(closing) && --depth == 0) {
        return i + 1;
      }
    }
    return tokens.size();
  }

  /** The normal form of {@code source}, all of it. */
  public static String normalise(String source) {
    return String.join(" ", tokens(source));
  }

  private static List<String> tokens(String source) {
    List<String> tokens = new ArrayList<>();
    int n = source.length();
    int i = 0;
    while (i < n) {
      char c = source.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (source.startsWith("//", i)) {
        i = lineEnd(source, i);
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (source.startsWith("\"\"\"", i)) {
        int end = closing(source, i + 3, "\"\"\"");
        tokens.add("\"\"\"" + source.substring(Math.min(i + 3, end), end).replace("\r\n", "\n").stripIndent() + "\"\"\"");
        i = Math.min(n, end + 3);
      } else if (c == '"' || c == '\'') {
        int end = closing(source, i + 1, String.valueOf(c));
        tokens.add(source.substring(i, Math.min(n, end + 1)));
        i = Math.min(n, end + 1);
      } else if (Character.isJavaIdentifierPart(c)) {
        int start = i;
        // identifiers, keywords and numbers (1_000, 0x1F, 2.5e3, 10L) are runs of these
        while (i < n && (Character.isJavaIdentifierPart(source.charAt(i))
            || source.charAt(i) == '.' && i + 1 < n && Character.isDigit(source.charAt(i + 1)) && Character.isDigit(c))) {
          i++;
        }
        tokens.add(source.substring(start, i));
      } else if (OPERATOR_CHARS.indexOf(c) >= 0) {
        // adjacent operator characters are one operator: i++ + j is not i + ++j
        int start = i;
        while (i < n && OPERATOR_CHARS.indexOf(source.charAt(i)) >= 0 && !source.startsWith("//", i)
            && !source.startsWith("/*", i)) {
          i++;
        }
        tokens.add(source.substring(start, i));
      } else {
        tokens.add(String.valueOf(c));
        i++;
      }
    }
    return tokens;
  }

  private static int lineEnd(String s, int from) {
    int end = from;
    while (end < s.length() && s.charAt(end) != '\n' && s.charAt(end) != '\r') {
      end++;
    }
    return end;
  }

  /** Where {@code quote} closes a literal whose content starts at {@code from}, skipping escapes; the text's end if never. */
  private static int closing(String s, int from, String quote) {
    int i = from;
    while (i < s.length()) {
      if (s.charAt(i) == '\\') {
        i += 2;
      } else if (s.startsWith(quote, i)) {
        return i;
      } else {
        i++;
      }
    }
    return s.length();
  }
}
