package com.acme.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.twostep.junit.AtState;
import dev.twostep.junit.TwostepTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@TwostepTest(catalog = TwostepMigrations.class)
class JobQueriesTest {
  @Test
  void junitLine() {
    System.out.println("JUnit Jupiter " + Test.class.getPackage().getImplementationVersion());
  }

  @Test
  void fetchesTheFirstMailJobAfterTheBackfill(@AtState("1.0.0:pre") DataSource db) throws Exception {
    try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(JobQueries.FETCH)) {
      s.setString(1, "mail");
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        assertEquals(1L, rs.getLong(1));
      }
    }
    try (Connection c = db.getConnection(); ResultSet rs = c.createStatement()
        .executeQuery("SELECT count(*) FROM shop_jobs WHERE priority IS NULL")) {
      rs.next();
      assertEquals(0, rs.getInt(1));
    }
  }
}
