package dev.twostep.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the benchmark's migrations in the three forms the tools read: Java classes annotated
 * with {@code @PreMigration} (Twostep), {@code V<i>__m<i>.sql} files (Flyway) and one plain script
 * (bare JDBC). Migration {@code i} creates a table, an index on it and a small SQL function named
 * with the {@code _v1} suffix the versioned-name rule asks for; every statement is one line, so
 * all three tools run exactly the same statements.
 */
final class MigrationSources {
  /** The package of the generated migrations and of the catalog the processor writes. */
  static final String PACKAGE = "bench.gen";

  /** The catalog the processor generates for {@link #PACKAGE}. */
  static final String CATALOG_CLASS = PACKAGE + ".BenchMigrations";

  private MigrationSources() {}

  /**
   * How migrations are spread over releases: {@code releases} releases ({@code "1"}, {@code "2"},
   * ...) of {@code steps} pre-migrations each.
   */
  record Layout(int releases, int steps) {
    static Layout single(int migrations) {
      return new Layout(1, migrations);
    }

    /** {@code 1x2000} or {@code 100x20}: releases x steps. */
    static Layout parse(String text) {
      String[] parts = text.trim().toLowerCase().split("x");
      if (parts.length != 2) {
        throw new IllegalArgumentException("layout must look like 100x20 (releases x steps): " + text);
      }
      return new Layout(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    int size() {
      return releases * steps;
    }

    String newestRelease() {
      return Integer.toString(releases);
    }

    @Override
    public String toString() {
      return releases + "x" + steps;
    }
  }

  /** The statements of migration {@code i} (1-based), without the terminating semicolon. */
  static List<String> statements(int i) {
    return List.of(
        "CREATE TABLE bench_t" + i + " (id bigint PRIMARY KEY, name text NOT NULL, "
            + "created_at timestamptz NOT NULL DEFAULT now())",
        "CREATE INDEX bench_t" + i + "_name_idx ON bench_t" + i + " (name)",
        "CREATE FUNCTION bench_fn_" + i + "_v1(p_id bigint) RETURNS text LANGUAGE sql STABLE AS "
            + "$$ SELECT name FROM bench_t" + i + " WHERE id = p_id $$");
  }

  /** Migration {@code i} as a script: one statement per line, each ending with a semicolon. */
  static String script(int i) {
    StringBuilder out = new StringBuilder();
    for (String statement : statements(i)) {
      out.append(statement).append(";\n");
    }
    return out.toString();
  }

  /**
   * Writes {@code package-info.java} and one class per migration of {@code layout} into
   * {@code dir} and returns the files, in order.
   */
  static List<Path> writeJava(Path dir, Layout layout) throws IOException {
    Path pkg = Files.createDirectories(dir.resolve(PACKAGE.replace('.', '/')));
    List<Path> files = new ArrayList<>();
    files.add(writePackageInfo(pkg));
    int i = 0;
    for (int release = 1; release <= layout.releases(); release++) {
      for (int step = 1; step <= layout.steps(); step++) {
        i++;
        files.add(writeMigrationClass(pkg, String.format("M%05d", i), Integer.toString(release), step, script(i)));
      }
    }
    return files;
  }

  /** Writes the set's {@code package-info.java} naming it {@code Bench}. */
  static Path writePackageInfo(Path pkgDir) throws IOException {
    Path file = pkgDir.resolve("package-info.java");
    Files.writeString(file, "@MigrationSet(name = \"Bench\")\npackage " + PACKAGE + ";\n\n"
        + "import dev.twostep.MigrationSet;\n", StandardCharsets.UTF_8);
    return file;
  }

  /** Writes one SQL pre-migration class; {@code sql} must hold no backslash or triple quote. */
  static Path writeMigrationClass(Path pkgDir, String simpleName, String release, int step, String sql)
      throws IOException {
    StringBuilder source = new StringBuilder()
        .append("package ").append(PACKAGE).append(";\n\n")
        .append("import dev.twostep.PreMigration;\n\n")
        .append("@PreMigration(release = \"").append(release).append("\", step = ").append(step)
        .append(", sql = \"\"\"\n");
    for (String line : sql.split("\n")) {
      source.append("    ").append(line).append('\n');
    }
    source.append("    \"\"\")\nfinal class ").append(simpleName).append(" {}\n");
    Path file = pkgDir.resolve(simpleName + ".java");
    Files.writeString(file, source, StandardCharsets.UTF_8);
    return file;
  }

  /** Writes {@code V<i>__m<i>.sql} for migrations 1..n into {@code dir}. */
  static void writeFlyway(Path dir, int n) throws IOException {
    Files.createDirectories(dir);
    for (int i = 1; i <= n; i++) {
      Files.writeString(dir.resolve("V" + i + "__m" + i + ".sql"), script(i), StandardCharsets.UTF_8);
    }
  }

  /**
   * Writes the bare-JDBC script: migration {@code i} is a line {@code -- migration i} followed by
   * one statement per line (see {@link JdbcApply}).
   */
  static void writeJdbc(Path file, int n) throws IOException {
    Files.createDirectories(file.getParent());
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 1; i <= n; i++) {
        out.write("-- migration " + i + "\n");
        out.write(script(i));
      }
    }
  }
}
