package dev.twostep.examples.shop.app;

import dev.twostep.examples.shop.db.ShopSchema;
import javax.sql.DataSource;

/**
 * The code of release 3.0.0, the newest: it names the database functions through the generated
 * {@link ShopSchema} constants, so the compiler switches it to each new version, and reads the
 * renamed column {@code queue_name}.
 */
public final class Release3JobQueue extends JdbcJobQueue {
  public Release3JobQueue(DataSource dataSource) {
    super(dataSource);
  }

  @Override
  public String release() {
    return "3.0.0";
  }

  @Override
  String enqueueCall() {
    return "{? = call " + ShopSchema.ENQUEUE_JOB + "(?, ?::jsonb, ?)}";
  }

  @Override
  String fetchFunction() {
    return ShopSchema.FETCH_JOB;
  }

  @Override
  String finishFunction() {
    return ShopSchema.FINISH_JOB;
  }

  @Override
  String queueColumn() {
    return "queue_name";
  }

  @Override
  boolean knowsPriority() {
    return true;
  }
}
