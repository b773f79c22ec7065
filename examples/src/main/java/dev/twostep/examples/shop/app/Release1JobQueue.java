package dev.twostep.examples.shop.app;

import javax.sql.DataSource;

/** The code of release 1.0.0, as it shipped: functions v1, column {@code queue}, no priorities. */
public final class Release1JobQueue extends JdbcJobQueue {
  public Release1JobQueue(DataSource dataSource) {
    super(dataSource);
  }

  @Override
  public String release() {
    return "1.0.0";
  }

  @Override
  String enqueueCall() {
    return "{? = call shop_enqueue_job_v1(?, ?::jsonb)}";
  }

  @Override
  String fetchFunction() {
    return "shop_fetch_job_v1";
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
    return false;
  }
}
