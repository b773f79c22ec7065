package dev.twostep.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.runtime.RuntimeTestSupport;
import java.sql.Connection;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The existing VALID index of a {@code CREATE INDEX CONCURRENTLY}'s name is compared with what
 * the statement builds by PostgreSQL's own definition, names aside: spelling does not matter,
 * any difference in what the index is does.
 */
class ConcurrentIndexTwinTest extends RuntimeTestSupport {
  @Test
  void theSameIndexWrittenDifferentlyIsTheSame() throws Exception {
    execute("CREATE TABLE t (a int, b text)");
    execute("CREATE UNIQUE INDEX t_key ON t USING btree (lower(b)) INCLUDE (a) WHERE a > 0");
    Optional<ConcurrentIndex.Twin> twin = twin(
        "create  unique index concurrently \"t_key\"\n on public.t ( LOWER(\"b\") ) include(a) where (a>0)");
    assertThat(twin).isPresent();
    assertThat(twin.get().same()).isTrue();
    assertThat(twin.get().name()).isEqualTo("public.t_key");
    assertThat(twin.get().existing())
        .isEqualTo("CREATE UNIQUE INDEX t_key ON public.t USING btree (lower(b)) INCLUDE (a) WHERE (a > 0)");
    assertThat(value("SELECT count(*) FROM pg_class WHERE relname LIKE 'twostep_index_probe%'"))
        .as("the probe was rolled back").isEqualTo("0");
    try (Connection c = db.connect()) {
      assertThat(c.getAutoCommit()).isTrue();
    }
  }

  @Test
  void anyDifferenceInWhatTheIndexIsMakesItDifferent() throws Exception {
    execute("CREATE TABLE t (a int, b text)");
    execute("CREATE UNIQUE INDEX t_key ON t (a)");
    for (String other : new String[] {
        "CREATE INDEX CONCURRENTLY t_key ON t (a)",
        "CREATE UNIQUE INDEX CONCURRENTLY t_key ON t (b)",
        "CREATE UNIQUE INDEX CONCURRENTLY t_key ON t (a DESC)",
        "CREATE UNIQUE INDEX CONCURRENTLY t_key ON t (a) WHERE a > 0",
        "CREATE UNIQUE INDEX CONCURRENTLY t_key ON t (a) INCLUDE (b)",
        "CREATE UNIQUE INDEX CONCURRENTLY t_key ON t (a) WITH (fillfactor = 50)"}) {
      Optional<ConcurrentIndex.Twin> twin = twin(other);
      assertThat(twin).as(other).isPresent();
      assertThat(twin.get().same()).as(other).isFalse();
      assertThat(twin.get().existing()).isEqualTo("CREATE UNIQUE INDEX t_key ON public.t USING btree (a)");
      assertThat(twin.get().built()).as(other).startsWith("CREATE ").contains(" t_key ON public.t USING ");
    }
    assertThat(twin("CREATE INDEX CONCURRENTLY t_key ON t (a)").get().built())
        .isEqualTo("CREATE INDEX t_key ON public.t USING btree (a)");
  }

  @Test
  void onlyAValidIndexOfTheStatementsNameOnItsTableCounts() throws Exception {
    execute("CREATE TABLE t (a int)");
    execute("CREATE TABLE u (a int)");
    execute("CREATE INDEX u_a ON u (a)");
    assertThat(twin("CREATE INDEX CONCURRENTLY u_a ON t (a)")).as("another table's index").isEmpty();
    assertThat(twin("CREATE INDEX CONCURRENTLY t_a ON t (a)")).as("no such index").isEmpty();
    execute("CREATE INDEX t_a ON t (a)");
    assertThat(twin("CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON t (a)")).as("IF NOT EXISTS").isEmpty();
    execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 't_a'::regclass");
    assertThat(twin("CREATE INDEX CONCURRENTLY t_a ON t (a)")).as("INVALID: dropped, not recorded").isEmpty();
  }

  private Optional<ConcurrentIndex.Twin> twin(String sql) throws Exception {
    try (Connection c = db.connect()) {
      c.setAutoCommit(true);
      return ConcurrentIndex.parse(sql).orElseThrow().validTwin(c, sql);
    }
  }
}
