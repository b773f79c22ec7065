package dev.twostep;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Decodes the compact form generated catalogs are written in: all fields of all migrations as
 * string constants, read in order. A catalog of thousands of migrations written as one method
 * call each would make {@code javac} spend longer on the generated class than on the migrations
 * themselves; string constants cost it next to nothing. Used by generated code, not by
 * applications.
 *
 * <p>Each migration is the sequence {@code kind, release, phase, step, description, className,
 * checksum, transactional, waiverCount, (rule, reason)*, statementCount, (line, sql)*}, where
 * {@code kind} is {@code "sql"} or {@code "java"}, {@code phase} is {@code "pre"} or
 * {@code "post"}, {@code transactional} is {@code "t"} or {@code "f"}, and a Java migration
 * (with no statements) is created by {@code java} from its running number among the Java
 * migrations of the catalog, counted from 0. The sequence may be cut into several arrays anywhere
 * (a class file limits how large one array initializer may be).
 */
public final class CatalogData {
  private final String[][] chunks;
  private int chunk;
  private int index;

  private CatalogData(String[][] chunks) {
    this.chunks = chunks;
  }

  /**
   * The migrations encoded in {@code chunks}, in their order.
   *
   * @param chunks the encoded fields, possibly cut into several arrays
   * @param java creates the Java migration with the given running number; may be {@code null}
   *     when the catalog has none
   * @throws IllegalArgumentException when the data is malformed (a generated catalog never is)
   */
  public static List<Migration> decode(String[][] chunks, IntFunction<? extends JavaMigration> java) {
    return new CatalogData(chunks).readAll(java);
  }

  private List<Migration> readAll(IntFunction<? extends JavaMigration> java) {
    List<Migration> out = new ArrayList<>();
    int javaCount = 0;
    while (hasNext()) {
      String kind = next();
      String release = next();
      Phase phase = Phase.parse(next());
      int step = number();
      String description = next();
      String className = next();
      String checksum = next();
      boolean transactional = "t".equals(next());
      int waiverCount = number();
      List<Waiver> waivers = new ArrayList<>(waiverCount);
      for (int i = 0; i < waiverCount; i++) {
        waivers.add(new Waiver(next(), next()));
      }
      int statementCount = number();
      List<SqlStatement> statements = new ArrayList<>(statementCount);
      for (int i = 0; i < statementCount; i++) {
        statements.add(new SqlStatement(number(), next()));
      }
      switch (kind) {
        case "sql" -> out.add(Migration.sql(
            release, phase, step, description, className, checksum, transactional, waivers, statements));
        case "java" -> {
          if (java == null) {
            throw new IllegalArgumentException("Java migration " + className + " but no factory");
          }
          int number = javaCount++;
          out.add(Migration.java(release, phase, step, description, className, checksum, transactional, waivers,
              () -> java.apply(number)));
        }
        default -> throw new IllegalArgumentException("unknown migration kind '" + kind + "' for " + className);
      }
    }
    return out;
  }

  private boolean hasNext() {
    while (chunk < chunks.length && index >= chunks[chunk].length) {
      chunk++;
      index = 0;
    }
    return chunk < chunks.length;
  }

  private String next() {
    if (!hasNext()) {
      throw new IllegalArgumentException("catalog data ends in the middle of a migration");
    }
    return chunks[chunk][index++];
  }

  private int number() {
    String text = next();
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a number in the catalog data, found '" + text + "'", e);
    }
  }
}
