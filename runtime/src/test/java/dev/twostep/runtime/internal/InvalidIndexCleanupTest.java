package dev.twostep.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.ConcurrentIndexBuild;
import dev.twostep.runtime.RuntimeTestSupport;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Only the INVALID index a failed statement left is ours to drop, never someone else's. */
class InvalidIndexCleanupTest extends RuntimeTestSupport {
  @Test
  void aNamedStatementOnlyClaimsItsOwnInvalidIndex() throws Exception {
    execute("CREATE TABLE t (a int)");
    execute("INSERT INTO t VALUES (1), (1)");
    failsLeavingInvalidIndex("CREATE UNIQUE INDEX CONCURRENTLY theirs ON t (a)");
    failsLeavingInvalidIndex("CREATE UNIQUE INDEX CONCURRENTLY ours ON t (a)");

    try (Connection c = db.connect()) {
      ConcurrentIndex ours = new ConcurrentIndex(ConcurrentIndexBuild.of(null, "t", "ours", true, false, "(a)"));
      assertThat(ours.invalidIndexes(c)).containsExactly("ours");
      assertThat(ours.leftover(c)).contains("ours");
      ConcurrentIndex unnamed = new ConcurrentIndex(ConcurrentIndexBuild.of(null, "t", null, false, false, "(a)"));
      assertThat(unnamed.invalidIndexes(c)).containsExactly("ours", "theirs");
    }
  }

  private void failsLeavingInvalidIndex(String sql) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
      throw new AssertionError("expected a unique violation: " + sql);
    } catch (SQLException e) {
      assertThat(e.getSQLState()).isEqualTo("23505");
    }
  }
}
