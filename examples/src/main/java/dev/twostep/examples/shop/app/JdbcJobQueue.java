package dev.twostep.examples.shop.app;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The shared plumbing of the releases' {@link JobQueue}s: each release only says which function
 * names and columns its code knew.
 */
abstract class JdbcJobQueue implements JobQueue {
  private final DataSource dataSource;

  JdbcJobQueue(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** {@code "{? = call shop_enqueue_job_v2(?, ?::jsonb, ?)}"} and so on. */
  abstract String enqueueCall();

  abstract String fetchFunction();

  abstract String finishFunction();

  /** The column holding the queue's name. */
  abstract String queueColumn();

  /** Whether the enqueue function of this release takes a priority. */
  abstract boolean knowsPriority();

  @Override
  public long enqueue(String queue, String payloadJson, int priority) throws SQLException {
    try (Connection c = dataSource.getConnection(); CallableStatement s = c.prepareCall(enqueueCall())) {
      s.registerOutParameter(1, Types.BIGINT);
      s.setString(2, queue);
      s.setString(3, payloadJson);
      if (knowsPriority()) {
        s.setInt(4, priority);
      }
      s.execute();
      return s.getLong(1);
    }
  }

  @Override
  public OptionalLong fetch(String queue) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT " + fetchFunction() + "(?)")) {
      s.setString(1, queue);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        long id = rs.getLong(1);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(id);
      }
    }
  }

  @Override
  public void finish(long id, boolean ok) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT " + finishFunction() + "(?, ?)")) {
      s.setLong(1, id);
      s.setBoolean(2, ok);
      s.execute();
    }
  }

  @Override
  public long queued(String queue) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(
            "SELECT count(*) FROM shop_jobs WHERE " + queueColumn() + " = ? AND state = 'queued'")) {
      s.setString(1, queue);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
