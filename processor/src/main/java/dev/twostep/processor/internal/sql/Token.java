package dev.twostep.processor.internal.sql;

/**
 * One lexical token of PostgreSQL SQL. Comments and white space produce no tokens.
 *
 * @param kind what it is
 * @param text the exact source text
 * @param value for a word its lower-case form (PostgreSQL folds unquoted names); for a quoted
 *     identifier its name without quotes; for a string its content; else the text
 * @param start offset of the first character in the SQL
 * @param end offset after the last character
 * @param line 1-based line of the first character
 */
record Token(Kind kind, String text, String value, int start, int end, int line) {

  /** Token kinds. */
  enum Kind {
    /** An unquoted identifier or key word. */
    WORD,
    /** {@code "name"} or {@code U&"name"}. */
    QUOTED_IDENTIFIER,
    /** {@code '...'}, {@code E'...'}, {@code U&'...'}, {@code B'...'}, {@code X'...'}, {@code N'...'}. */
    STRING,
    /** {@code $$...$$} or {@code $tag$...$tag$}. */
    DOLLAR_STRING,
    NUMBER,
    /** {@code $1}. */
    PARAMETER,
    /** One of {@code ( ) [ ] , . : ;}. */
    PUNCTUATION,
    /** One character of an operator. */
    OPERATOR
  }

  /** True for the unquoted word {@code lowerCaseWord}. */
  boolean isWord(String lowerCaseWord) {
    return kind == Kind.WORD && value.equals(lowerCaseWord);
  }

  /** True for the punctuation or operator character {@code c}. */
  boolean is(char c) {
    return (kind == Kind.PUNCTUATION || kind == Kind.OPERATOR) && text.length() == 1 && text.charAt(0) == c;
  }

  /** True when the token can name an object. */
  boolean isIdentifier() {
    return kind == Kind.WORD || kind == Kind.QUOTED_IDENTIFIER;
  }
}
