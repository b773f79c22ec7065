package dev.twostep.processor.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SqlScriptTest {

  private static List<String> texts(String sql) {
    return SqlScript.parse(sql).statements().stream().map(ParsedStatement::text).toList();
  }

  static Stream<Arguments> splitting() {
    return Stream.of(
        Arguments.of("plain", "SELECT 1; SELECT 2;", List.of("SELECT 1", "SELECT 2")),
        Arguments.of("no final semicolon", "SELECT 1;\nSELECT 2\n\n", List.of("SELECT 1", "SELECT 2")),
        Arguments.of("empty statements", ";;SELECT 1;;;", List.of("SELECT 1")),
        Arguments.of("semicolon in string", "INSERT INTO t VALUES ('a;b');", List.of("INSERT INTO t VALUES ('a;b')")),
        Arguments.of("doubled quote", "SELECT 'it''s; fine'; SELECT 2", List.of("SELECT 'it''s; fine'", "SELECT 2")),
        Arguments.of("E string with escaped quote", "SELECT E'a\\';b'; SELECT 2", List.of("SELECT E'a\\';b'", "SELECT 2")),
        Arguments.of("E string with escaped backslash", "SELECT e'a\\\\'; SELECT 2", List.of("SELECT e'a\\\\'", "SELECT 2")),
        Arguments.of("standard string keeps backslash", "SELECT 'a\\'; SELECT 2", List.of("SELECT 'a\\'", "SELECT 2")),
        Arguments.of("U& string", "SELECT U&'d\\0061t;a'; SELECT 2", List.of("SELECT U&'d\\0061t;a'", "SELECT 2")),
        Arguments.of("bit and hex strings", "SELECT B'1;0', X'1F;'; SELECT 2", List.of("SELECT B'1;0', X'1F;'", "SELECT 2")),
        Arguments.of("quoted identifier with semicolon", "CREATE TABLE \"a;b\" (\"c\"\"; d\" int); SELECT 2",
            List.of("CREATE TABLE \"a;b\" (\"c\"\"; d\" int)", "SELECT 2")),
        Arguments.of("U& identifier", "SELECT U&\"a;b\" FROM t; SELECT 2", List.of("SELECT U&\"a;b\" FROM t", "SELECT 2")),
        Arguments.of("line comment", "SELECT 1; -- a; b\nSELECT 2", List.of("SELECT 1", "SELECT 2")),
        Arguments.of("line comment inside statement kept", "SELECT 1 -- one; two\n, 2;", List.of("SELECT 1 -- one; two\n, 2")),
        Arguments.of("nested block comment", "SELECT /* a /* b; */ c; */ 1; SELECT 2", List.of("SELECT /* a /* b; */ c; */ 1", "SELECT 2")),
        Arguments.of("comment only between statements", "SELECT 1; /* just ; a comment */ ; SELECT 2", List.of("SELECT 1", "SELECT 2")),
        Arguments.of("leading comment not part of text", "-- header\n/* more */\n  SELECT 1;", List.of("SELECT 1")),
        Arguments.of("dollar quote", "DO $$ BEGIN PERFORM 1; END $$; SELECT 2", List.of("DO $$ BEGIN PERFORM 1; END $$", "SELECT 2")),
        Arguments.of("tagged dollar quote containing $$", "SELECT $fn$ a $$ ; $$ b $fn$; SELECT 2",
            List.of("SELECT $fn$ a $$ ; $$ b $fn$", "SELECT 2")),
        Arguments.of("dollar tags are case sensitive", "SELECT $a$ x $A$ ; y $a$; SELECT 2",
            List.of("SELECT $a$ x $A$ ; y $a$", "SELECT 2")),
        Arguments.of("dollar inside identifier is not a quote", "SELECT a$b$, c; SELECT 2", List.of("SELECT a$b$, c", "SELECT 2")),
        Arguments.of("positional parameter", "PREPARE p AS SELECT $1; SELECT 2", List.of("PREPARE p AS SELECT $1", "SELECT 2")),
        Arguments.of("quote inside dollar quote", "SELECT $$ it's; \"x $$; SELECT 2", List.of("SELECT $$ it's; \"x $$", "SELECT 2")),
        Arguments.of("comment markers inside string", "SELECT '--;', '/*;'; SELECT 2", List.of("SELECT '--;', '/*;'", "SELECT 2")),
        Arguments.of("operator followed by comment", "SELECT 1--2;\n+3; SELECT 2", List.of("SELECT 1--2;\n+3", "SELECT 2")),
        Arguments.of("semicolon inside parentheses (rule actions)",
            "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); SELECT 2",
            List.of("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))", "SELECT 2")),
        Arguments.of("BEGIN ATOMIC body", "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT a; SELECT a + 1; END; SELECT 2",
            List.of("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT a; SELECT a + 1; END", "SELECT 2")),
        Arguments.of("BEGIN ATOMIC with CASE ... END inside", "CREATE OR REPLACE PROCEDURE p() BEGIN ATOMIC "
                + "INSERT INTO t SELECT CASE WHEN x THEN 1 ELSE 2 END; UPDATE t SET y = CASE y WHEN 1 THEN 2 END; END; SELECT 2",
            List.of("CREATE OR REPLACE PROCEDURE p() BEGIN ATOMIC INSERT INTO t SELECT CASE WHEN x THEN 1 ELSE 2 END; "
                + "UPDATE t SET y = CASE y WHEN 1 THEN 2 END; END", "SELECT 2")),
        Arguments.of("BEGIN ATOMIC with a column named end", "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC "
                + "SELECT 1 AS end; SELECT t.end FROM t; END; SELECT 2",
            List.of("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1 AS end; SELECT t.end FROM t; END",
                "SELECT 2")),
        Arguments.of("a function named begin", "CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS 'SELECT 1'; SELECT 2",
            List.of("CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS 'SELECT 1'", "SELECT 2")),
        Arguments.of("a procedure named begin with an atomic body", "CREATE PROCEDURE \"begin\"() BEGIN ATOMIC SELECT 1; END; "
                + "SELECT 2", List.of("CREATE PROCEDURE \"begin\"() BEGIN ATOMIC SELECT 1; END", "SELECT 2")),
        Arguments.of("BEGIN as transaction control is split", "BEGIN; SELECT 1; COMMIT;", List.of("BEGIN", "SELECT 1", "COMMIT")),
        Arguments.of("CRLF line ends", "SELECT 1;\r\nSELECT 2;\r\n", List.of("SELECT 1", "SELECT 2")),
        Arguments.of("only comments", "-- nothing\n/* here */", List.of()),
        Arguments.of("non-ASCII identifiers", "CREATE TABLE café (naïve int); SELECT 2", List.of("CREATE TABLE café (naïve int)", "SELECT 2")),
        Arguments.of("numbers with exponent and dots", "SELECT 1.5e-3, .5, 1e+2, 0x1F, 1_000; SELECT 2",
            List.of("SELECT 1.5e-3, .5, 1e+2, 0x1F, 1_000", "SELECT 2")),
        Arguments.of("array slices and casts", "SELECT a[1:2]::int[]; SELECT 2", List.of("SELECT a[1:2]::int[]", "SELECT 2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("splitting")
  void splitsOnTopLevelSemicolonsOnly(String name, String sql, List<String> expected) {
    assertThat(texts(sql)).containsExactlyElementsOf(expected);
    assertThat(SqlScript.parse(sql).problems()).isEmpty();
  }

  static Stream<Arguments> unterminated() {
    return Stream.of(
        Arguments.of("SELECT 1;\nSELECT 'abc;\nSELECT 2;", SqlProblem.Kind.UNTERMINATED_STRING, 2, "'"),
        Arguments.of("SELECT E'abc\\';", SqlProblem.Kind.UNTERMINATED_STRING, 1, "E'"),
        Arguments.of("SELECT 1;\n\nSELECT \"abc;", SqlProblem.Kind.UNTERMINATED_QUOTED_IDENTIFIER, 3, "\""),
        Arguments.of("CREATE FUNCTION f() RETURNS int AS $body$\nSELECT 1;\n$BODY$ LANGUAGE sql;",
            SqlProblem.Kind.UNTERMINATED_DOLLAR_QUOTE, 1, "$body$"),
        Arguments.of("SELECT 1;\n/* outer /* inner */ still open;\nSELECT 2;", SqlProblem.Kind.UNTERMINATED_COMMENT, 2, "/*"),
        Arguments.of("CREATE TABLE t (\n  a int;\nSELECT 1;", SqlProblem.Kind.UNCLOSED_PARENTHESIS, 1, "("),
        Arguments.of("CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n SELECT 1;",
            SqlProblem.Kind.UNCLOSED_ATOMIC_BODY, 2, "BEGIN"));
  }

  @ParameterizedTest
  @MethodSource("unterminated")
  void reportsWhatIsLeftOpenWithItsLine(String sql, SqlProblem.Kind kind, int line, String opener) {
    SqlScript script = SqlScript.parse(sql);
    assertThat(script.problems()).containsExactly(new SqlProblem(kind, line, opener));
  }

  @Test
  void problemMessageNamesOpenerLineAndCloser() {
    SqlProblem problem = SqlScript.parse("SELECT 1;\nSELECT $fn$ x").problems().get(0);
    assertThat(problem.message()).isEqualTo("the dollar-quoted string $fn$ opened on line 2 is never closed with $fn$");
  }

  @Test
  void statementsKnowNumberAndLineOfTheirFirstToken() {
    String sql = "-- header comment\n"
        + "CREATE TABLE t (a int);\n"
        + "\n"
        + "/* block\n comment */ ALTER TABLE t\n"
        + "  ADD COLUMN b text;\n"
        + "CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $$\n"
        + "BEGIN\n"
        + "  RETURN 'x;y';\n"
        + "END $$;\n"
        + "SELECT 1";
    List<ParsedStatement> statements = SqlScript.parse(sql).statements();
    assertThat(statements).extracting(ParsedStatement::number).containsExactly(1, 2, 3, 4);
    assertThat(statements).extracting(ParsedStatement::line).containsExactly(2, 5, 7, 11);
    assertThat(statements.get(1).text()).isEqualTo("ALTER TABLE t\n  ADD COLUMN b text");
  }

  @Test
  void nullAndBlankInputHaveNoStatements() {
    assertThat(SqlScript.parse(null).statements()).isEmpty();
    assertThat(SqlScript.parse("  \n\t ").statements()).isEmpty();
    assertThat(SqlScript.parse("  \n\t ").problems()).isEmpty();
  }
}
