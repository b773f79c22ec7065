package dev.twostep.processor.internal.sql;

import dev.twostep.processor.internal.sql.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/** A read position over a list of tokens; every method is safe at the end. */
final class Cursor {
  private final List<Token> tokens;
  private int i;

  Cursor(List<Token> tokens) {
    this.tokens = tokens;
  }

  Token peek(int ahead) {
    int at = i + ahead;
    return at < tokens.size() ? tokens.get(at) : null;
  }

  boolean atEnd() {
    return i >= tokens.size();
  }

  Token next() {
    Token t = peek(0);
    if (t != null) {
      i++;
    }
    return t;
  }

  boolean peekWord(int ahead, String word) {
    Token t = peek(ahead);
    return t != null && t.isWord(word);
  }

  boolean peekWords(String... words) {
    for (int k = 0; k < words.length; k++) {
      if (!peekWord(k, words[k])) {
        return false;
      }
    }
    return true;
  }

  boolean peekWordIn(String... words) {
    for (String word : words) {
      if (peekWord(0, word)) {
        return true;
      }
    }
    return false;
  }

  boolean word(String word) {
    if (peekWord(0, word)) {
      i++;
      return true;
    }
    return false;
  }

  boolean wordIn(String... words) {
    if (peekWordIn(words)) {
      i++;
      return true;
    }
    return false;
  }

  boolean words(String... words) {
    if (peekWords(words)) {
      i += words.length;
      return true;
    }
    return false;
  }

  boolean ifExists() {
    return words("if", "exists");
  }

  boolean ifNotExists() {
    return words("if", "not", "exists");
  }

  /** How many tokens have been read. */
  int position() {
    return i;
  }

  boolean peekPunctuationAt(int ahead, char ch) {
    Token t = peek(ahead);
    return t != null && t.is(ch);
  }

  boolean peekPunctuation(char ch) {
    Token t = peek(0);
    return t != null && t.is(ch);
  }

  boolean punctuation(char ch) {
    if (peekPunctuation(ch)) {
      i++;
      return true;
    }
    return false;
  }

  /** The resolved name of an identifier, or {@code null} when none is next. */
  String identifier() {
    Token t = peek(0);
    if (t == null || !t.isIdentifier()) {
      return null;
    }
    i++;
    return t.value();
  }

  /** {@code name}, {@code schema.name} or {@code database.schema.name}; {@code null} when none is next. */
  ObjectName name() {
    String first = identifier();
    if (first == null) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    parts.add(first);
    while (peekPunctuation('.') && peek(1) != null && peek(1).isIdentifier()) {
      i++;
      parts.add(identifier());
    }
    int n = parts.size();
    return n == 1 ? ObjectName.of(first) : new ObjectName(parts.get(n - 2), parts.get(n - 1));
  }

  /** The tokens inside the parentheses that open here, which are consumed; {@code null} when none open here. */
  List<Token> parenthesized() {
    if (!peekPunctuation('(')) {
      return null;
    }
    int close = TypeNames.closing(tokens, i);
    List<Token> inside = tokens.subList(i + 1, Math.max(i + 1, close));
    i = close + 1;
    return inside;
  }

  void skipParenthesized() {
    parenthesized();
  }

  /** Everything from here on. */
  List<Token> rest() {
    List<Token> rest = tokens.subList(Math.min(i, tokens.size()), tokens.size());
    i = tokens.size();
    return rest;
  }

  /** Moves past the next {@code word} outside parentheses; false (and at the end) when there is none. */
  boolean skipToWordOutsideParentheses(String word) {
    int depth = 0;
    while (i < tokens.size()) {
      Token t = tokens.get(i++);
      if (t.is('(') || t.is('[')) {
        depth++;
      } else if (t.is(')') || t.is(']')) {
        depth--;
      } else if (depth == 0 && t.isWord(word)) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code words} follow one another somewhere from here on, outside parentheses. */
  boolean containsWordsOutsideParentheses(String... words) {
    int depth = 0;
    for (int k = i; k < tokens.size(); k++) {
      Token t = tokens.get(k);
      if (t.is('(') || t.is('[')) {
        depth++;
      } else if (t.is(')') || t.is(']')) {
        depth--;
      } else if (depth == 0 && sequenceAt(k, words)) {
        return true;
      }
    }
    return false;
  }

  private boolean sequenceAt(int k, String... words) {
    for (int w = 0; w < words.length; w++) {
      if (k + w >= tokens.size() || !tokens.get(k + w).isWord(words[w])) {
        return false;
      }
    }
    return true;
  }

  /** A {@code DEFAULT} outside parentheses whose value is not a bare {@code NULL}. */
  boolean hasNonNullDefault() {
    int depth = 0;
    for (int k = i; k < tokens.size(); k++) {
      Token t = tokens.get(k);
      if (t.is('(') || t.is('[')) {
        depth++;
      } else if (t.is(')') || t.is(']')) {
        depth--;
      } else if (depth == 0 && t.isWord("default")) {
        Token value = k + 1 < tokens.size() ? tokens.get(k + 1) : null;
        Token after = k + 2 < tokens.size() ? tokens.get(k + 2) : null;
        boolean bareNull = value != null && value.isWord("null")
            && (after == null || after.kind() == Kind.WORD || after.is(':') || after.is(','));
        return value != null && !bareNull;
      }
    }
    return false;
  }
}
