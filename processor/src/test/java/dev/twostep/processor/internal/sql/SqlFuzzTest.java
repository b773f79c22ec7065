package dev.twostep.processor.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and truncated input never throws, and what comes out is consistent with what went in.
 *
 * <p>CI runs {@value #DEFAULT_CASES} random cases with a fixed seed. Larger runs:
 * {@code mvn -pl processor test -Dtest=SqlFuzzTest -Dtwostep.fuzz.cases=1000000 -Dtwostep.fuzz.seed=<n>}.
 */
class SqlFuzzTest {
  static final int DEFAULT_CASES = 4_000;
  private static final long SEED = Long.getLong("twostep.fuzz.seed", 20_261_127L);

  private static final List<String> FRAGMENTS = List.of(
      "'", "''", "\"", "\"\"", "$$", "$a$", "$A$", "$1", "$", "/*", "*/", "--", "\n", "\r\n", ";", "(", ")", "[", "]",
      "E'", "e'\\", "U&'", "U&\"", "B'", "X'", "N'", "\\", " ", "\t", ".", ",", ":", "::", "%", "*", "=", "é", "\u0000",
      "1", "1.5e-3", "0x1F", "x", "shop_jobs", "f_v1", "public", "\"Q\"", "BEGIN", "ATOMIC", "END", "CASE", "CREATE", "OR",
      "REPLACE", "FUNCTION", "PROCEDURE", "TRIGGER", "TABLE", "VIEW", "MATERIALIZED", "DROP", "ALTER", "INDEX",
      "CONCURRENTLY", "ON", "ONLY", "TYPE", "AS", "ENUM", "ADD", "VALUE", "RENAME", "TO", "COLUMN", "CONSTRAINT", "IF",
      "EXISTS", "NOT", "NULL", "DEFAULT", "SET", "SCHEMA", "DO", "COMMIT", "VACUUM", "REINDEX", "VALIDATE", "ATTRIBUTE",
      "SEQUENCE", "DOMAIN", "EXTENSION", "ROUTINE", "CASCADE", "IN", "OUT", "VARIADIC", "ARRAY", "WITH", "TIME", "ZONE",
      "DOUBLE", "CHARACTER", "VARYING", "INTERVAL");

  private static final String REALISTIC = String.join("\n",
      "-- release 2.0.0: priorities",
      "ALTER TABLE ONLY public.shop_jobs ADD COLUMN priority int NOT NULL DEFAULT 0, ADD COLUMN \"Queue Name\" text;",
      "CREATE OR REPLACE FUNCTION shop_fetch_job_v2(p_queue text, p_min int DEFAULT 0) RETURNS bigint",
      "LANGUAGE plpgsql AS $fn$",
      "DECLARE v_id bigint; -- a comment with 'quote",
      "BEGIN",
      "  SELECT id INTO v_id FROM shop_jobs WHERE queue = p_queue /* nested /* comment */ ; */ LIMIT 1;",
      "  RAISE NOTICE E'picked %\\n', v_id;",
      "  RETURN v_id;",
      "END $fn$;",
      "CREATE FUNCTION total_v1(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN a > 0 THEN a ELSE 0 END; END;",
      "CREATE TRIGGER shop_sync BEFORE INSERT OR UPDATE OF queue ON shop_jobs FOR EACH ROW EXECUTE FUNCTION shop_sync();",
      "ALTER TYPE shop_state ADD VALUE IF NOT EXISTS 'failed' AFTER 'running';",
      "DROP FUNCTION IF EXISTS a_v1(int), b_v1(character varying(3)[]) CASCADE;",
      "ALTER TABLE shop_jobs RENAME COLUMN \"Queue Name\" TO queue_name;",
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS shop_jobs_idx ON shop_jobs USING btree (queue, priority DESC);",
      "INSERT INTO shop_settings VALUES (U&'d\\0061t;a', 'it''s; fine', $$x;y$$);",
      "DO $do$ BEGIN EXECUTE 'DROP TABLE x'; END $do$;");

  @Test
  void randomFragmentsNeverThrow() {
    Random random = new Random(SEED);
    int cases = Integer.getInteger("twostep.fuzz.cases", DEFAULT_CASES);
    for (int i = 0; i < cases; i++) {
      StringBuilder sql = new StringBuilder();
      int n = random.nextInt(40);
      for (int k = 0; k < n; k++) {
        if (random.nextInt(8) == 0) {
          sql.append((char) random.nextInt(0x250));
        } else {
          sql.append(FRAGMENTS.get(random.nextInt(FRAGMENTS.size())));
        }
        if (random.nextBoolean()) {
          sql.append(' ');
        }
      }
      try {
        assertConsistent(sql.toString());
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError("case " + i + " of seed " + SEED + ": " + sql, e);
      }
    }
  }

  @Test
  void everyPrefixAndSuffixOfRealisticSqlIsHandled() {
    for (int end = 0; end <= REALISTIC.length(); end++) {
      assertConsistent(REALISTIC.substring(0, end));
    }
    for (int start = 0; start <= REALISTIC.length(); start += 3) {
      assertConsistent(REALISTIC.substring(start));
    }
  }

  @Test
  void theRealisticSqlItselfSplitsCleanly() {
    SqlScript script = SqlScript.parse(REALISTIC);
    assertThat(script.problems()).isEmpty();
    assertThat(script.statements()).extracting(ParsedStatement::line).containsExactly(2, 3, 11, 12, 13, 14, 15, 16, 17, 18);
    assertThat(script.statements().get(1).text()).startsWith("CREATE OR REPLACE FUNCTION").endsWith("END $fn$");
  }

  private static void assertConsistent(String sql) {
    SqlScript script = SqlScript.parse(sql);
    int lines = (int) sql.chars().filter(c -> c == '\n').count() + 1;
    int number = 0;
    int searchFrom = 0;
    for (ParsedStatement s : script.statements()) {
      assertThat(s.number()).isEqualTo(++number);
      assertThat(s.line()).isBetween(1, lines);
      assertThat(s.text()).isNotEmpty();
      assertThat(SqlLexer.isWhitespace(s.text().charAt(0))).isFalse();
      assertThat(SqlLexer.isWhitespace(s.text().charAt(s.text().length() - 1))).isFalse();
      int at = sql.indexOf(s.text(), searchFrom);
      assertThat(at).as("statement %s of %s", s.number(), sql).isGreaterThanOrEqualTo(0);
      searchFrom = at + s.text().length();
    }
    for (SqlProblem p : script.problems()) {
      assertThat(p.line()).isBetween(1, lines);
      assertThat(p.message()).isNotBlank();
    }
  }
}
