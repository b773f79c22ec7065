package dev.twostep.processor.internal.sql;

import java.util.List;

/**
 * One statement of an SQL script, split and classified.
 *
 * @param number its 1-based position in the script
 * @param line the 1-based line of the script on which its first token starts
 * @param text its exact source text from the first token to before the terminating top-level
 *     {@code ;}, trailing white space trimmed, comments inside kept
 * @param command its head in upper case for messages, e.g. {@code "CREATE INDEX CONCURRENTLY"},
 *     {@code "COMMIT"}, {@code "DO"}
 * @param effects what it does to the schema objects the rules track; empty when nothing or unknown
 * @param transactionControl it begins, ends or otherwise controls a transaction ({@code BEGIN},
 *     {@code COMMIT}, {@code SAVEPOINT}, ...)
 * @param nonTransactional PostgreSQL refuses to run it inside a transaction block
 * @param opaque the classifier does not understand it; it may do anything
 * @param doBlock it is a {@code DO} block, whose effects cannot be seen
 * @param operations what it does that decides which locks it takes and for how long
 * @param concurrentIndex for a {@code CREATE INDEX CONCURRENTLY} on a table, the index it builds;
 *     else {@code null}
 */
public record ParsedStatement(
    int number,
    int line,
    String text,
    String command,
    List<Effect> effects,
    boolean transactionControl,
    boolean nonTransactional,
    boolean opaque,
    boolean doBlock,
    List<TableOperation> operations,
    ConcurrentIndexBuild concurrentIndex) {

  public ParsedStatement {
    effects = List.copyOf(effects);
    operations = List.copyOf(operations);
  }
}
