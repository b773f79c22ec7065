package dev.twostep.runtime.reliability;

import dev.twostep.runtime.RuntimeTestSupport;
import java.sql.SQLException;

/** A fresh database per test, plus what the reliability tests share. */
abstract class ReliabilitySupport extends RuntimeTestSupport {
  /** The test database's URL with its user (and password, when the test server has one). */
  protected String url() {
    return db.url() + "?user=" + db.user() + (db.password() == null ? "" : "&password=" + db.password());
  }

  /** How long {@link ReliabilityCatalogs#SLEEP} sleeps in sessions opened from now on. */
  protected void setSleep(double seconds) throws SQLException {
    execute("ALTER DATABASE \"" + db.name() + "\" SET twostep_test.sleep = '" + seconds + "'");
  }

  /** The sessions of the test database (other than the asking one) running a statement like {@code pattern}. */
  protected String activeLike(String pattern) {
    return "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
        + "AND state = 'active' AND query LIKE '" + pattern.replace("'", "''") + "'";
  }
}
