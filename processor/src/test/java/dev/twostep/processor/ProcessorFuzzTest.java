package dev.twostep.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import dev.twostep.MigrationCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Random migration sets never crash the processor: whatever the releases, steps, SQL, waivers and
 * set options, every error is a {@code [twostep:<rule>]} diagnostic of a real rule (never
 * {@code [twostep:internal]}, never an exception out of javac, never generated code that does
 * not compile), and a set without errors yields a catalog that loads.
 *
 * <p>CI runs {@value #DEFAULT_CASES} cases with a fixed seed. Larger runs:
 * {@code mvn -pl processor test -Dtest=ProcessorFuzzTest -Dtwostep.fuzz.cases=2000 -Dtwostep.fuzz.seed=<n>}
 * (the seed of a failing case is in the assertion message).
 */
class ProcessorFuzzTest {
  static final int DEFAULT_CASES = 30;
  private static final long DEFAULT_SEED = 8_2026L;

  private static final List<String> RELEASES = List.of(
      "1.0.0", "1.0.0", "1.0.0", "2.0.0", "2.0.0", "1", "1.0", "2.1", "2.1.0", "3.0.0.4", "10.0.0", "", " ", "x", "1.x", "1..0", "-1", "1.2.3.4.5",
      "01.0.0", "99999999999999999999", "2.0.0 ", "1.0.0-SNAPSHOT");
  private static final List<Integer> STEPS = List.of(1, 1, 1, 1, 1, 2, 2, 3, 0, -1, 1000, Integer.MAX_VALUE, Integer.MIN_VALUE);
  private static final List<String> STATEMENTS = List.of(
      "CREATE TABLE shop_jobs (id bigint PRIMARY KEY, queue text)",
      "ALTER TABLE shop_jobs ADD COLUMN priority int NOT NULL DEFAULT 0",
      "ALTER TABLE shop_jobs DROP COLUMN queue",
      "ALTER TABLE shop_jobs ALTER COLUMN priority SET NOT NULL",
      "ALTER TABLE shop_jobs RENAME TO shop_tasks",
      "CREATE FUNCTION shop_fetch_job_v1(p_queue text) RETURNS bigint LANGUAGE sql AS $$ SELECT 1::bigint $$",
      "CREATE OR REPLACE FUNCTION shop_fetch_job_v2(p text) RETURNS bigint LANGUAGE plpgsql AS $f$ BEGIN RETURN 1; END $f$",
      "CREATE FUNCTION unversioned(int) RETURNS int LANGUAGE sql AS 'SELECT 1'",
      "DROP FUNCTION shop_fetch_job_v1(text)",
      "CREATE VIEW shop_open_v1 AS SELECT * FROM shop_jobs",
      "DROP VIEW IF EXISTS shop_open_v1",
      "CREATE TYPE shop_state AS ENUM ('new', 'done')",
      "ALTER TYPE shop_state ADD VALUE 'failed'",
      "CREATE INDEX CONCURRENTLY shop_jobs_queue ON shop_jobs (queue)",
      "DROP INDEX CONCURRENTLY shop_jobs_queue",
      "CREATE TRIGGER shop_sync_v1 BEFORE INSERT ON shop_jobs FOR EACH ROW EXECUTE FUNCTION f_v1()",
      "ALTER TABLE shop_jobs ADD CONSTRAINT c CHECK (priority >= 0) NOT VALID",
      "ALTER TABLE shop_jobs VALIDATE CONSTRAINT c",
      "DO $$ BEGIN PERFORM 1; END $$",
      "BEGIN", "COMMIT", "VACUUM shop_jobs", "SELECT 'it''s; fine', E'\\n', \"Q\".x FROM \"Q\"",
      "UPDATE shop_jobs SET priority = 1 WHERE id IN (SELECT id FROM shop_jobs LIMIT 100)",
      "/* unterminated", "'unterminated", "$tag$ unterminated", "\"unterminated", "-- only a comment", "", ";;");
  private static final List<String> FRAGMENTS = List.of(
      "'", "\"", "$$", "$a$", "/*", "*/", "--", "\n", ";", "(", ")", "E'", "\\", "CREATE", "DROP", "ALTER", "TABLE",
      "FUNCTION", "VIEW", "INDEX", "CONCURRENTLY", "OR REPLACE", "RENAME", "TO", "COLUMN", "x_v1", "x_v2", "é", "\t",
      "\u0000", "\u2028", "\uD83D\uDE00");
  private static final List<String> RULES = List.of(
      "pre-contract", "versioned-name", "version-sequence", "immutable-version", "transaction-control",
      "non-transactional-alone", "sql-syntax", "no-such-rule", "", "internal");

  @Test
  void randomMigrationSetsNeverCrashTheProcessor() throws Exception {
    int cases = Integer.getInteger("twostep.fuzz.cases", DEFAULT_CASES);
    long seed = Long.getLong("twostep.fuzz.seed", DEFAULT_SEED);
    Random seeds = new Random(seed);
    int compiled = 0;
    int rejected = 0;
    for (int i = 0; i < cases; i++) {
      long caseSeed = seeds.nextLong();
      List<JavaFileObject> sources = randomSet(new Random(caseSeed));
      String what = "case " + i + " (-Dtwostep.fuzz.seed=" + seed + ", case seed " + caseSeed + ")";
      Compilation compilation = Compilations.compile(sources.toArray(JavaFileObject[]::new));
      for (Diagnostic<? extends JavaFileObject> d : compilation.errors()) {
        String message = d.getMessage(Locale.ROOT);
        assertThat(message).as("%s: %s at %s:%d", what, message, d.getSource() == null ? "?" : d.getSource().getName(),
                d.getLineNumber()).startsWith("[twostep:").doesNotStartWith("[twostep:internal]");
      }
      if (compilation.status() == Compilation.Status.SUCCESS) {
        String catalogClass = compilation.generatedFiles().stream()
            .map(f -> f.toUri().getPath())
            .filter(p -> p.endsWith("Migrations.class"))
            .map(p -> p.substring(p.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length(), p.length() - 6).replace('/', '.'))
            .findFirst().orElseThrow(() -> new AssertionError(what + ": no catalog generated"));
        MigrationCatalog catalog = Compilations.loadCatalog(compilation, catalogClass);
        assertThat(catalog.migrations()).as(what).hasSize(sources.size() - (hasPackageInfo(sources) ? 1 : 0));
        compiled++;
      } else {
        rejected++;
      }
    }
    // both paths are exercised: sets the processor accepts and generates for, and sets it rejects
    assertThat(compiled).as("sets that compiled").isGreaterThanOrEqualTo(cases / 5);
    assertThat(rejected).as("sets that were rejected").isGreaterThanOrEqualTo(cases / 10);
    System.out.printf("ProcessorFuzzTest: %d cases, %d compiled, %d rejected%n", cases, compiled, rejected);
  }

  /** Found by the fuzz test: JavaPoet writes U+2028 and U+2029 inside string literals as line breaks. */
  @Test
  void lineAndParagraphSeparatorsInTextsStillCompile() throws Exception {
    Compilation compilation = Compilations.compile(Compilations.source("M1",
        "@Waive(rule = \"pre-contract\", reason = \"a\u2029b\")",
        "@PreMigration(release = \"1.0.0\", step = 1, sql = \"SELECT '\u2028'\", description = \"x\u2028y\")",
        "final class M1 {}"));

    assertThat(compilation.errors()).isEmpty();
    MigrationCatalog catalog = Compilations.loadCatalog(compilation, "com.acme.TwostepMigrations");
    assertThat(catalog.migrations().get(0).description()).isEqualTo("x\u2028y");
    assertThat(catalog.migrations().get(0).statements().get(0).sql()).isEqualTo("SELECT '\u2028'");
    assertThat(catalog.migrations().get(0).waivers().get(0).reason()).isEqualTo("a\u2029b");
  }

  private static boolean hasPackageInfo(List<JavaFileObject> sources) {
    return sources.stream().anyMatch(s -> s.getName().endsWith("package-info.java"));
  }

  private static List<JavaFileObject> randomSet(Random random) {
    return random.nextBoolean() ? validSet(random) : anySet(random);
  }

  /**
   * A set that follows the rules, with random text where any text is allowed (descriptions, string
   * literals and comments in the SQL, waiver reasons): exercises reading, checking and generation.
   */
  private static List<JavaFileObject> validSet(Random random) {
    List<JavaFileObject> sources = new ArrayList<>();
    int migrations = 1 + random.nextInt(4);
    for (int i = 0; i < migrations; i++) {
      String text = randomFragments(random, 10).replace("\u0000", "");
      String sql = switch (random.nextInt(3)) {
        case 0 -> "SELECT '" + text.replace("'", "''") + "'";
        case 1 -> "/* " + text.replace("*/", "").replace("/*", "") + " */ SELECT 1";
        default -> "SELECT 1; -- " + text.replace("\n", " ").replace("\r", " ") + "\nSELECT 2";
      };
      List<String> lines = new ArrayList<>();
      if (random.nextInt(3) == 0) {
        lines.add("@Waive(rule = \"pre-contract\", reason = " + literal("r " + randomFragments(random, 6), random) + ")");
      }
      lines.add("@PreMigration(release = \"1.0.0\", step = " + (i + 1) + ", sql = " + literal(sql, random)
          + ", description = " + literal("d " + randomFragments(random, 6), random) + ")");
      lines.add("final class M" + i + " {}");
      sources.add(Compilations.source("M" + i, lines.toArray(String[]::new)));
    }
    return sources;
  }

  /** Anything: invalid releases and steps, broken SQL, unknown rules, odd set options. */
  private static List<JavaFileObject> anySet(Random random) {
    List<JavaFileObject> sources = new ArrayList<>();
    if (random.nextInt(3) == 0) {
      StringBuilder set = new StringBuilder("@dev.twostep.MigrationSet(name = ").append(literal(pick(random,
          List.of("Shop", "Shop", "X", "", "9x", "a b", "Twostep")), random));
      if (random.nextBoolean()) {
        set.append(", checkedFrom = ").append(literal(pick(random, RELEASES), random));
      }
      if (random.nextBoolean()) {
        set.append(", versioned = {dev.twostep.ObjectKind.FUNCTION").append(random.nextBoolean()
            ? ", dev.twostep.ObjectKind.TABLE" : "").append('}');
      }
      sources.add(Compilations.packageInfo("com.acme", set.append(')').toString()));
    }
    int migrations = 1 + random.nextInt(random.nextBoolean() ? 2 : 6);
    for (int i = 0; i < migrations; i++) {
      String name = "M" + i;
      boolean java = random.nextInt(5) == 0;
      List<String> lines = new ArrayList<>();
      int waivers = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
      for (int w = 0; w < waivers; w++) {
        lines.add("@Waive(rule = " + literal(pick(random, RULES), random) + ", reason = "
            + literal(random.nextInt(4) == 0 ? " " : "because", random) + ")");
      }
      StringBuilder annotation = new StringBuilder("@")
          .append(random.nextBoolean() ? "PreMigration" : "PostMigration")
          .append("(release = ").append(literal(pick(random, RELEASES), random))
          .append(", step = ").append(pick(random, STEPS));
      if (!java || random.nextInt(4) == 0) {
        annotation.append(", sql = ").append(literal(randomSql(random), random));
      }
      if (random.nextInt(4) == 0) {
        annotation.append(", description = ").append(literal(randomFragments(random, 4), random));
      }
      lines.add(annotation.append(')').toString());
      if (java) {
        lines.add("final class " + name + " implements JavaMigration {");
        lines.add("  @Override public void migrate(MigrationContext context) {}");
        lines.add("}");
      } else {
        lines.add("final class " + name + " {}");
      }
      sources.add(Compilations.source(name, lines.toArray(String[]::new)));
    }
    return sources;
  }

  private static String randomSql(Random random) {
    StringBuilder sql = new StringBuilder();
    int statements = 1 + random.nextInt(3);
    for (int i = 0; i < statements; i++) {
      sql.append(random.nextInt(5) == 0 ? randomFragments(random, 12) : pick(random, STATEMENTS));
      sql.append(random.nextInt(5) == 0 ? "" : ";\n");
    }
    return sql.toString();
  }

  private static String randomFragments(Random random, int max) {
    StringBuilder out = new StringBuilder();
    int n = random.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      out.append(random.nextInt(6) == 0 ? String.valueOf((char) (0x20 + random.nextInt(0x230))) : pick(random, FRAGMENTS));
      out.append(random.nextBoolean() ? " " : "");
    }
    return out.toString();
  }

  /** {@code text} as a Java string literal; octal escapes, never unicode escapes (javac reads those first). */
  private static String literal(String text, Random random) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c < 0x20 || c == 0x7f) {
        out.append('\\').append(Integer.toOctalString(c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
