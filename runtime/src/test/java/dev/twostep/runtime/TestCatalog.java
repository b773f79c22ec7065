package dev.twostep.runtime;

import dev.twostep.ConcurrentIndexBuild;
import dev.twostep.JavaMigration;
import dev.twostep.Migration;
import dev.twostep.MigrationCatalog;
import dev.twostep.Phase;
import dev.twostep.SqlStatement;
import dev.twostep.Waiver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/** A catalog built by hand, the way a generated one is. */
public final class TestCatalog implements MigrationCatalog {
  private final String name;
  private final List<Migration> migrations;

  private TestCatalog(String name, List<Migration> migrations) {
    this.name = name;
    this.migrations = List.copyOf(migrations);
  }

  /** A catalog named "Test" holding {@code migrations}, sorted into order. */
  public static TestCatalog of(Migration... migrations) {
    List<Migration> sorted = new ArrayList<>(List.of(migrations));
    sorted.sort(Migration::compareOrder);
    return new TestCatalog("Test", sorted);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Migration> migrations() {
    return migrations;
  }

  /**
   * Releases 1.0.0 to {@code releases}.0.0 of a blue-green cycle, each with one pre-migration
   * (adds a column) and one post-migration (drops what the previous release used).
   */
  public static TestCatalog blueGreen(int releases) {
    List<Migration> all = new ArrayList<>(List.of(
        sql("1.0.0", Phase.PRE, 1, "create jobs", "CREATE TABLE jobs (id int PRIMARY KEY, queue text)"),
        sql("1.0.0", Phase.POST, 1, "fill jobs", "INSERT INTO jobs VALUES (1, 'q')"),
        sql("2.0.0", Phase.PRE, 1, "add priority", "ALTER TABLE jobs ADD COLUMN priority int"),
        sql("2.0.0", Phase.POST, 1, "drop queue", "ALTER TABLE jobs DROP COLUMN queue"),
        sql("3.0.0", Phase.PRE, 1, "add owner", "ALTER TABLE jobs ADD COLUMN owner text"),
        sql("3.0.0", Phase.POST, 1, "drop priority", "ALTER TABLE jobs DROP COLUMN priority")));
    return of(all.subList(0, 2 * releases).toArray(Migration[]::new));
  }

  /** An SQL migration with one statement per line. */
  public static Migration sql(String release, Phase phase, int step, String description, String... statements) {
    return sql(release, phase, step, description, true, List.of(), statements);
  }

  /** An SQL migration with one statement per line. */
  public static Migration sql(String release, Phase phase, int step, String description, boolean transactional,
      List<Waiver> waivers, String... statements) {
    List<SqlStatement> parsed = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < statements.length; i++) {
      parsed.add(new SqlStatement(i + 1, statements[i]));
      text.append(statements[i]).append(";\n");
    }
    return Migration.sql(release, phase, step, description, "test." + description.replace(' ', '_'),
        sha256(text.toString()), transactional, waivers, parsed);
  }

  /**
   * A non-transactional SQL migration of one {@code CREATE INDEX CONCURRENTLY}, carrying the facts
   * a generated catalog carries for it: the runtime reads the index, table and definition from
   * {@code build}, never from {@code sql}.
   */
  public static Migration concurrentIndex(
      String release, Phase phase, int step, String description, String sql, ConcurrentIndexBuild build) {
    return Migration.sql(release, phase, step, description, "test." + description.replace(' ', '_'),
        sha256(sql + ";\n"), false, List.of(), List.of(new SqlStatement(1, sql, build)));
  }

  /** A Java migration. */
  public static Migration java(String release, Phase phase, int step, String description, boolean transactional,
      Supplier<? extends JavaMigration> factory) {
    String className = "test." + description.replace(' ', '_');
    return Migration.java(release, phase, step, description, className, sha256("java:" + className), transactional,
        List.of(), factory);
  }

  /** Lower-case hex SHA-256 of {@code text}. */
  public static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
