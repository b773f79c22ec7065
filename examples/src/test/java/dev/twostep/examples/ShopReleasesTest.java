package dev.twostep.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twostep.examples.shop.db.ShopMigrations;
import dev.twostep.junit.AtState;
import dev.twostep.junit.StateDatabase;
import dev.twostep.junit.TwostepTest;
import dev.twostep.runtime.SchemaState;
import dev.twostep.runtime.snapshot.RehearsalReport;
import dev.twostep.runtime.snapshot.SchemaObject.Kind;
import dev.twostep.runtime.snapshot.SchemaSnapshot;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The Shop catalog applied release by release, pre then post, with the schema checked at every
 * state, and rehearsed: every pre-migration only adds to the schema the previous code uses.
 */
@TwostepTest(catalog = ShopMigrations.class)
class ShopReleasesTest {

  @Test
  void everyStateHasTheSchemaItsCodeNeeds(@AtState("empty") StateDatabase db) throws SQLException {
    db.migrate("1.0.0:pre");
    SchemaSnapshot s1 = db.snapshot();
    assertThat(db.twostep().status().state()).isEqualTo(SchemaState.parse("1.0.0:pre"));
    assertThat(s1.find(Kind.ENUM_TYPE, "public.shop_job_state").orElseThrow().enumValues())
        .containsExactly("queued", "running", "done", "failed");
    assertThat(s1.contains(Kind.COLUMN, "public.shop_jobs.queue")).isTrue();
    assertThat(s1.contains(Kind.FUNCTION, "public.shop_fetch_job_v1(p_queue text)")).isTrue();
    assertThat(s1.contains(Kind.TRIGGER, "public.shop_jobs.shop_jobs_touch_v1")).isTrue();

    db.migrate("2.0.0:pre");
    SchemaSnapshot s2pre = db.snapshot();
    assertThat(s2pre.contains(Kind.COLUMN, "public.shop_jobs.priority")).isTrue();
    assertThat(s2pre.contains(Kind.FUNCTION, "public.shop_fetch_job_v1(p_queue text)")).as("v1 stays for code 1.0.0").isTrue();
    assertThat(s2pre.contains(Kind.FUNCTION, "public.shop_fetch_job_v2(p_queue text)")).isTrue();
    assertThat(s2pre.find(Kind.ENUM_TYPE, "public.shop_job_state").orElseThrow().enumValues()).endsWith("cancelled");
    assertThat(s2pre.find(Kind.INDEX, "public.shop_jobs_priority").orElseThrow().is("valid")).isTrue();
    assertThat(s1.diff(s2pre).removed()).as("pre(2.0.0) only adds").isEmpty();

    db.migrate("2.0.0:post");
    SchemaSnapshot s2 = db.snapshot();
    assertThat(s2.contains(Kind.FUNCTION, "public.shop_fetch_job_v1(p_queue text)")).isFalse();
    assertThat(s2.contains(Kind.FUNCTION, "public.shop_enqueue_job_v1(p_queue text, p_payload jsonb)")).isFalse();

    db.migrate("3.0.0:pre");
    SchemaSnapshot s3pre = db.snapshot();
    assertThat(s3pre.contains(Kind.COLUMN, "public.shop_jobs.queue_name")).isTrue();
    assertThat(s3pre.contains(Kind.TRIGGER, "public.shop_jobs.shop_jobs_sync_queue_name")).as("bridge").isTrue();
    assertThat(s3pre.find(Kind.CONSTRAINT, "public.shop_jobs.shop_jobs_queue_name_not_null").orElseThrow().is("validated"))
        .as("added NOT VALID").isFalse();
    assertThat(s2.diff(s3pre).removed()).as("pre(3.0.0) only adds").isEmpty();

    db.migrate("3.0.0:post");
    SchemaSnapshot s3 = db.snapshot();
    assertThat(s3.contains(Kind.COLUMN, "public.shop_jobs.queue")).isFalse();
    assertThat(s3.find(Kind.COLUMN, "public.shop_jobs.queue_name").orElseThrow().is("not null")).isTrue();
    assertThat(s3.contains(Kind.TRIGGER, "public.shop_jobs.shop_jobs_sync_queue_name")).isFalse();
    assertThat(s3.contains(Kind.CONSTRAINT, "public.shop_jobs.shop_jobs_queue_name_not_null")).isFalse();
    assertThat(s3.contains(Kind.INDEX, "public.shop_jobs_priority")).as("renamed from shop_jobs_queue_name_priority").isTrue();
    assertThat(db.twostep().verify().ok()).isTrue();
  }

  @Test
  void theBackfillRaisesUrgentJobsQueuedBeforeRelease2(@AtState("1.0.0") StateDatabase db) throws SQLException {
    try (var c = db.connect(); var s = c.createStatement()) {
      s.execute("INSERT INTO shop_jobs (queue) SELECT CASE WHEN i % 3 = 0 THEN 'urgent' ELSE 'mail' END FROM generate_series(1, 1200) i");
    }
    db.migrate("2.0.0:pre");
    try (var c = db.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT queue, min(priority), max(priority), count(*) FROM shop_jobs GROUP BY queue ORDER BY queue")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("mail");
      assertThat(rs.getInt(2)).isZero();
      assertThat(rs.getInt(3)).isZero();
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("urgent");
      assertThat(rs.getInt(2)).isEqualTo(10);
      assertThat(rs.getLong(4)).isEqualTo(400);
    }
  }

  @Test
  void theBatchedBackfillGivesEveryOlderJobItsQueueName(@AtState("2.0.0") StateDatabase db) throws SQLException {
    try (var c = db.connect(); var s = c.createStatement()) {
      s.execute("INSERT INTO shop_jobs (queue) SELECT 'q' || (i % 7) FROM generate_series(1, 1234) i");
    }
    db.migrate("3.0.0:pre");
    try (var c = db.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE queue_name IS DISTINCT FROM queue) FROM shop_jobs")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(1234);
      assertThat(rs.getLong(2)).as("jobs whose queue_name differs from queue").isZero();
    }
    db.migrate("3.0.0:post"); // validating the NOT NULL check proves the backfill left no NULL behind
    assertThat(db.twostep().status().state()).isEqualTo(SchemaState.parse("3.0.0:post"));
  }

  @Test
  void theCatalogRehearsesCleanly(RehearsalReport report) {
    assertThat(report.passed()).as(report.render()).isTrue();
  }
}
