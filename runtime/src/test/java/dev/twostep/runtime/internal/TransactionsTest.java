package dev.twostep.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.runtime.RuntimeTestSupport;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TransactionsTest extends RuntimeTestSupport {
  @Test
  void commitsTheWorkAndRestoresAutocommit() throws Exception {
    execute("CREATE TABLE t (v int)");
    try (Connection c = db.connect()) {
      Transactions.inTransaction(c, () -> insert(c, 1));
      assertThat(c.getAutoCommit()).isTrue();
    }
    assertThat(column("SELECT v FROM t")).containsExactly("1");
  }

  @Test
  void rollsBackAllOfTheWorkWhenAStatementFails() throws Exception {
    execute("CREATE TABLE t (v int)");
    try (Connection c = db.connect()) {
      assertThatThrownBy(() -> Transactions.inTransaction(c, () -> {
        insert(c, 1);
        try (Statement s = c.createStatement()) {
          return s.executeUpdate("INSERT INTO no_such_table VALUES (2)");
        }
      })).isInstanceOf(SQLException.class).satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42P01"));
      assertThat(c.getAutoCommit()).isTrue();
    }
    assertThat(column("SELECT v FROM t")).isEmpty();
  }

  @Test
  void aLostConnectionIsReportedAsItselfNotAsTheFailedRollback() throws Exception {
    try (Connection c = db.connect()) {
      assertThatThrownBy(() -> Transactions.inTransaction(c, () -> {
        try (Statement s = c.createStatement()) {
          // the session ends in the middle of the work: rollback and restoring autocommit fail too
          return s.execute("SELECT pg_terminate_backend(pg_backend_pid())");
        }
      })).isInstanceOf(SQLException.class)
          .satisfies(e -> {
            assertThat(((SQLException) e).getSQLState()).isEqualTo("57P01");
            assertThat(e.getSuppressed()).isNotEmpty();
          });
    }
  }

  private static int insert(Connection c, int value) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate("INSERT INTO t VALUES (" + value + ")");
    }
  }
}
