package dev.twostep.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.CatalogData;
import dev.twostep.ConcurrentIndexBuild;
import dev.twostep.SqlStatement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The index and table the runtime looks for come from the catalog's data, as the processor wrote them. */
class ConcurrentIndexTest {
  private static final String SQL = "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"Odd Name\" ON app.\"My Table\" (x)";

  @Test
  void quotedAndSchemaQualifiedNamesAreReadFromTheDecodedFacts() {
    String[][] data = {{CatalogData.MAGIC, Integer.toString(CatalogData.FORMAT), "test"}, {
      "sql", "1.0.0", "pre", "1", "odd index", "com.acme.OddIndex", "a".repeat(64), "f", "0", "2",
      "1", SQL, CatalogData.CONCURRENT_INDEX, "f", "t", "app", "My Table", "Odd Name", "(x)",
      "2", "CREATE INDEX CONCURRENTLY ON \"Jobs\" (x)", CatalogData.CONCURRENT_INDEX, "f", "f", "", "Jobs", "", "(x)"}};
    List<SqlStatement> statements = CatalogData.decode(data, null).get(0).statements();

    ConcurrentIndex odd = ConcurrentIndex.of(statements.get(0)).orElseThrow();
    assertThat(odd.tableName()).isEqualTo("\"app\".\"My Table\"");
    assertThat(odd.build().index()).contains("Odd Name");
    assertThat(odd.build().ifNotExists()).isTrue();
    ConcurrentIndex unnamed = ConcurrentIndex.of(statements.get(1)).orElseThrow();
    assertThat(unnamed.tableName()).as("found on the search path, as the statement finds it").isEqualTo("\"Jobs\"");
    assertThat(unnamed.build().index()).isEmpty();
  }

  @Test
  void quotesInNamesAreDoubled() {
    ConcurrentIndex index = new ConcurrentIndex(ConcurrentIndexBuild.of("my \"s\"", "t", "i", false, false, "(x)"));
    assertThat(index.tableName()).isEqualTo("\"my \"\"s\"\"\".\"t\"");
  }

  @Test
  void aStatementWithoutFactsIsNoIndexBuildWhateverItsText() {
    // the runtime never parses SQL: only the catalog says what a statement builds
    assertThat(ConcurrentIndex.of(new SqlStatement(1, SQL))).isEmpty();
  }
}
