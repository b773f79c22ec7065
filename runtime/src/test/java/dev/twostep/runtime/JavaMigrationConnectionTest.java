package dev.twostep.runtime;

import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.java;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.JavaMigration;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * A transactional Java migration runs in one transaction with its history row: its connection
 * refuses to commit, roll back or leave the transaction, so nothing is kept half-way.
 */
class JavaMigrationConnectionTest extends RuntimeTestSupport {

  private interface Call {
    void on(Connection connection) throws Exception;
  }

  private JavaMigration createsThen(Call call) {
    return context -> {
      try (Statement s = context.connection().createStatement()) {
        s.execute("INSERT INTO effects VALUES (1)");
      }
      call.on(context.connection());
      try (Statement s = context.connection().createStatement()) {
        s.execute("INSERT INTO effects VALUES (2)");
      }
    };
  }

  private void assertRefused(String call, Call body) throws Exception {
    execute("CREATE TABLE IF NOT EXISTS effects (id int)");
    execute("TRUNCATE effects");
    Twostep twostep = twostep(TestCatalog.of(java("1.0.0", PRE, 1, "calls " + call, true, () -> createsThen(body))))
        .build();
    assertThatThrownBy(() -> twostep.migrate(Target.parse("pre")))
        .isInstanceOf(TwostepException.class)
        .hasMessageContaining("called " + call)
        .hasMessageContaining("declare the migration non-transactional")
        .hasMessageContaining("SQLSTATE 2D000")
        .hasMessageContaining("The migration was rolled back: none of its changes and no history row were kept.");
    assertThat(column("SELECT id FROM effects")).as("nothing kept after %s", call).isEmpty();
  }

  @Test
  void commitIsRefusedAndNothingIsKept() throws Exception {
    assertRefused("commit()", Connection::commit);
  }

  @Test
  void rollbackIsRefusedAndNothingIsKept() throws Exception {
    assertRefused("rollback()", Connection::rollback);
  }

  @Test
  void leavingTheTransactionIsRefusedAndNothingIsKept() throws Exception {
    assertRefused("setAutoCommit(true)", c -> c.setAutoCommit(true));
  }

  @Test
  void aSavepointRollbackStaysAllowed() throws Exception {
    execute("CREATE TABLE effects (id int)");
    twostep(TestCatalog.of(java("1.0.0", PRE, 1, "uses a savepoint", true, () -> createsThen(c -> {
      var savepoint = c.setSavepoint();
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO effects VALUES (99)");
      }
      c.rollback(savepoint);
    })))).build().migrate(Target.parse("pre"));
    assertThat(column("SELECT id FROM effects ORDER BY id")).containsExactly("1", "2");
  }
}
