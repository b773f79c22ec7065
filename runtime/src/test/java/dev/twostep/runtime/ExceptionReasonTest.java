package dev.twostep.runtime;

import static dev.twostep.Phase.PRE;
import static dev.twostep.runtime.TestCatalog.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.twostep.runtime.TwostepException.Reason;
import org.junit.jupiter.api.Test;

/** {@link TwostepException#reason()}: what a deploy script decides on, one case per reason it can meet. */
class ExceptionReasonTest extends RuntimeTestSupport {
  private static final TestCatalog CATALOG = TestCatalog.of(
      sql("1.0.0", PRE, 1, "create jobs", "CREATE TABLE jobs (id int)"),
      sql("2.0.0", PRE, 1, "bad column", "ALTER TABLE jobs ADD COLUMN x no_such_type"));

  private Reason reasonOf(Runnable action) {
    return catchThrowableOfType(TwostepException.class, action::run).reason();
  }

  @Test
  void aFailingStatementIsMigrationFailed() {
    Twostep twostep = twostep(CATALOG).build();
    assertThat(reasonOf(() -> twostep.migrate(Target.parse("pre")))).isEqualTo(Reason.MIGRATION_FAILED);
  }

  @Test
  void aTargetTheCatalogDoesNotHaveIsAnInvalidRequest() {
    Twostep twostep = twostep(CATALOG).build();
    assertThat(reasonOf(() -> twostep.migrate(Target.parse("9.9.9:pre")))).isEqualTo(Reason.INVALID_REQUEST);
  }

  @Test
  void aTableThatIsNotTwostepsHistoryIsHistoryUnreadable() throws Exception {
    execute("CREATE TABLE twostep_history (id int)");
    Twostep twostep = twostep(CATALOG).build();
    assertThat(reasonOf(() -> twostep.migrate(Target.parse("1.0.0:pre")))).isEqualTo(Reason.HISTORY_UNREADABLE);
  }

  @Test
  void aServerThatDoesNotAnswerIsDatabaseUnavailable() {
    Twostep twostep = Twostep.builder().url("jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2")
        .catalog(CATALOG).build();
    assertThat(reasonOf(twostep::status)).isEqualTo(Reason.DATABASE_UNAVAILABLE);
  }
}
