package dev.twostep.examples.shop.app;

import javax.sql.DataSource;

/** The code of release 2.0.0, as it shipped: enqueue and fetch v2 with priorities, column {@code queue}. */
public final class Release2JobQueue extends JdbcJobQueue {
  public Release2JobQueue(DataSource dataSource) {
    super(dataSource);
  }

  @Override
  public String release() {
    return "2.0.0";
  }

  @Override
  String enqueueCall() {
    return "{? = call shop_enqueue_job_v2(?, ?::jsonb, ?)}";
  }

  @Override
  String fetchFunction() {
    return "shop_fetch_job_v2";
  }

  @Override
  String finishFunction() {
    return "shop_finish_job_v1";
  }

  @Override
  String queueColumn() {
    return "queue";
  }

  @Override
  boolean knowsPriority() {
    return true;
  }
}
