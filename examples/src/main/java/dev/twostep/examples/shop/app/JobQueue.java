package dev.twostep.examples.shop.app;

import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * What the Shop application does with its database, as one release's code does it. Each release
 * has its own implementation, frozen as it shipped, so tests and the demo can run the code of
 * release N-1 and of release N side by side on the same schema, as a blue-green deploy does.
 */
public interface JobQueue {
  /** The release this code shipped in. */
  String release();

  /** Queues a job and returns its id. {@code priority} is ignored by code that predates it. */
  long enqueue(String queue, String payloadJson, int priority) throws SQLException;

  /** Takes the next queued job of {@code queue}, marking it running. */
  OptionalLong fetch(String queue) throws SQLException;

  /** Marks a job done or failed. */
  void finish(long id, boolean ok) throws SQLException;

  /** How many jobs of {@code queue} wait, read straight from the table. */
  long queued(String queue) throws SQLException;

  /** Runs one round trip of everything above on {@code queue}: what a smoke test or a deploy check does. */
  default void exercise(String queue) throws SQLException {
    long id = enqueue(queue, "{\"from\": \"" + release() + "\"}", 5);
    if (queued(queue) < 1) {
      throw new SQLException("release " + release() + " code: job " + id + " is not counted as queued");
    }
    OptionalLong fetched = fetch(queue);
    if (fetched.isEmpty()) {
      throw new SQLException("release " + release() + " code: no job to fetch after enqueueing " + id);
    }
    finish(fetched.getAsLong(), true);
  }
}
