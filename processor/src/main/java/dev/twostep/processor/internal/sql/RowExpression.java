package dev.twostep.processor.internal.sql;

import java.util.List;

/**
 * An SQL expression over one row of one table, as an expand/contract operation takes it (the
 * {@code backfill} of {@code @SetNotNull}): the bridge trigger evaluates it on the row being
 * written and the backfill on each row it copies, so it must read nothing but that row.
 */
public final class RowExpression {
  private RowExpression() {}

  /**
   * What in {@code expression} reads beyond the row of {@code table}: a sub-query ({@code SELECT},
   * {@code FROM}, {@code JOIN}...) or a name qualified by another table; {@code null} when nothing
   * does, or when the expression does not even lex (PostgreSQL reports that on deploy, in
   * context).
   */
  public static String otherTableMention(String expression, ObjectName table) {
    SqlLexer.Result lexed = SqlLexer.lex(expression);
    if (!lexed.problems().isEmpty()) {
      return null;
    }
    List<Token> tokens = lexed.tokens();
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      for (String word : List.of("select", "from", "join", "table", "with", "values")) {
        if (t.isWord(word)) {
          return t.text();
        }
      }
      boolean call = i + 3 < tokens.size() && tokens.get(i + 3).is('(');
      if (t.isIdentifier() && i + 2 < tokens.size() && tokens.get(i + 1).is('.') && tokens.get(i + 2).isIdentifier()
          && !call) {
        String qualifier = t.value();
        boolean thisTable = qualifier.equals(table.name())
            || (qualifier.equals(table.effectiveSchema()) && tokens.get(i + 2).value().equals(table.name()));
        if (!thisTable) {
          return t.text() + "." + tokens.get(i + 2).text();
        }
        i += 2;
        // schema.table.column: skip the column too
        if (i + 2 < tokens.size() && tokens.get(i + 1).is('.')) {
          i += 2;
        }
      }
    }
    return null;
  }
}
