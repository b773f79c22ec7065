package dev.twostep.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConcurrentIndexTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", value = {
    "CREATE INDEX CONCURRENTLY jobs_idx ON jobs (id)                            | jobs_idx     | jobs",
    "create unique index concurrently if not exists \"Jobs Idx\" on only s.jobs (id) | \"Jobs Idx\" | s.jobs",
    "  CREATE INDEX CONCURRENTLY ON \"my schema\" . \"t\" (x)                    | -            | \"my schema\" . \"t\"",
    "CREATE INDEX jobs_idx ON jobs (id)                                         | none         | -",
    "DROP INDEX CONCURRENTLY jobs_idx                                           | none         | -",
  })
  void findsIndexAndTable(String sql, String index, String table) {
    Optional<ConcurrentIndex> parsed = ConcurrentIndex.parse(sql);
    if ("none".equals(index)) {
      assertThat(parsed).isEmpty();
    } else {
      assertThat(parsed).contains(new ConcurrentIndex(index, table));
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"Jobs_Idx | jobs_idx", "\"Jobs \"\"x\"\" Idx\" | Jobs \"x\" Idx"})
  void foldsNamesLikePostgres(String written, String plain) {
    assertThat(ConcurrentIndex.plainName(written)).isEqualTo(plain);
  }
}
