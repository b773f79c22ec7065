package dev.twostep.processor.internal.sql;

/**
 * Something in an SQL script that PostgreSQL would reject before running it: an unterminated
 * quote, dollar quote, quoted identifier or comment, or an unclosed parenthesis or
 * {@code BEGIN ATOMIC} body.
 *
 * @param kind what is unterminated
 * @param line the 1-based line of the SQL where it opens
 * @param opener what opens it, as written ({@code '}, {@code $body$}, {@code /*}, ...)
 */
public record SqlProblem(Kind kind, int line, String opener) {

  /** What is left open. */
  public enum Kind {
    UNTERMINATED_STRING("string literal"),
    UNTERMINATED_QUOTED_IDENTIFIER("quoted identifier"),
    UNTERMINATED_DOLLAR_QUOTE("dollar-quoted string"),
    UNTERMINATED_COMMENT("comment"),
    UNCLOSED_PARENTHESIS("parenthesis"),
    UNCLOSED_ATOMIC_BODY("BEGIN ATOMIC body");

    private final String noun;

    Kind(String noun) {
      this.noun = noun;
    }

    /** {@code "dollar-quoted string"}: how people call it. */
    public String noun() {
      return noun;
    }
  }

  /** What closes it: {@code '}, {@code $body$}, {@code *}{@code /}, {@code )} or {@code END}. */
  public String closer() {
    switch (kind) {
      case UNTERMINATED_COMMENT:
        return "*/";
      case UNCLOSED_PARENTHESIS:
        return opener.equals("[") ? "]" : ")";
      case UNCLOSED_ATOMIC_BODY:
        return "END";
      case UNTERMINATED_STRING:
        return "'";
      default:
        return opener.startsWith("U&") ? opener.substring(2) : opener;
    }
  }

  /** {@code "the dollar-quoted string $body$ opened on line 3 is never closed with $body$"}. */
  public String message() {
    return "the " + kind.noun() + " " + opener + " opened on line " + line + " is never closed with " + closer();
  }
}
