package dev.twostep.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.ConcurrentIndexBuild;
import dev.twostep.runtime.RuntimeTestSupport;
import java.sql.Connection;
import java.util.List;
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
    // create  unique index concurrently "t_key"\n on public.t ( LOWER("b") ) include(a) where (a>0)
    Optional<ConcurrentIndex.Twin> twin = twin(
        ConcurrentIndexBuild.of("public", "t", "t_key", true, false, "( LOWER(\"b\") ) include(a) where (a>0)"));
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
    for (ConcurrentIndexBuild other : List.of(
        tKey(false, "(a)"),
        tKey(true, "(b)"),
        tKey(true, "(a DESC)"),
        tKey(true, "(a) WHERE a > 0"),
        tKey(true, "(a) INCLUDE (b)"),
        tKey(true, "(a) WITH (fillfactor = 50)"))) {
      Optional<ConcurrentIndex.Twin> twin = twin(other);
      assertThat(twin).as(other.toString()).isPresent();
      assertThat(twin.get().same()).as(other.toString()).isFalse();
      assertThat(twin.get().existing()).isEqualTo("CREATE UNIQUE INDEX t_key ON public.t USING btree (a)");
      assertThat(twin.get().built()).as(other.toString()).startsWith("CREATE ").contains(" t_key ON public.t USING ");
    }
    assertThat(twin(tKey(false, "(a)")).get().built())
        .isEqualTo("CREATE INDEX t_key ON public.t USING btree (a)");
  }

  @Test
  void onlyAValidIndexOfTheStatementsNameOnItsTableCounts() throws Exception {
    execute("CREATE TABLE t (a int)");
    execute("CREATE TABLE u (a int)");
    execute("CREATE INDEX u_a ON u (a)");
    assertThat(twin(ConcurrentIndexBuild.of(null, "t", "u_a", false, false, "(a)"))).as("another table's index").isEmpty();
    assertThat(twin(ConcurrentIndexBuild.of(null, "t", "t_a", false, false, "(a)"))).as("no such index").isEmpty();
    execute("CREATE INDEX t_a ON t (a)");
    assertThat(twin(ConcurrentIndexBuild.of(null, "t", "t_a", false, true, "(a)"))).as("IF NOT EXISTS").isEmpty();
    execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 't_a'::regclass");
    assertThat(twin(ConcurrentIndexBuild.of(null, "t", "t_a", false, false, "(a)")))
        .as("INVALID: dropped, not recorded").isEmpty();
  }

  /** {@code CREATE [UNIQUE] INDEX CONCURRENTLY t_key ON t <definition>}. */
  private static ConcurrentIndexBuild tKey(boolean unique, String definition) {
    return ConcurrentIndexBuild.of(null, "t", "t_key", unique, false, definition);
  }

  private Optional<ConcurrentIndex.Twin> twin(ConcurrentIndexBuild build) throws Exception {
    try (Connection c = db.connect()) {
      c.setAutoCommit(true);
      return new ConcurrentIndex(build).validTwin(c);
    }
  }
}
