package dev.twostep.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twostep.examples.shop.app.JobQueue;
import dev.twostep.examples.shop.app.Release1JobQueue;
import dev.twostep.examples.shop.app.Release2JobQueue;
import dev.twostep.examples.shop.app.Release3JobQueue;
import dev.twostep.examples.shop.db.ShopMigrations;
import dev.twostep.examples.shop.db.ShopSchema;
import dev.twostep.junit.AtState;
import dev.twostep.junit.StateDatabase;
import dev.twostep.junit.TwostepTest;
import java.sql.SQLException;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * During a blue-green deploy of release N, the code of N-1 and of N run on S_pre(N) at the same
 * time. This runs the real code of both releases on that schema for every N, which is the check a
 * hand-written migration history usually believes it has and does not. It also confirms that
 * {@code check()} gives the same answer as reality.
 */
@TwostepTest(catalog = ShopMigrations.class)
class BlueGreenCompatibilityTest {

  @Test
  void release1CodeRunsOnItsSchema(@AtState("1.0.0") StateDatabase db) throws SQLException {
    runs(new Release1JobQueue(db.dataSource()), db);
  }

  @Test
  void release1And2CodeBothRunOnPreOf2(@AtState("2.0.0:pre") StateDatabase db) throws SQLException {
    runs(new Release1JobQueue(db.dataSource()), db);
    runs(new Release2JobQueue(db.dataSource()), db);
  }

  @Test
  void release2And3CodeBothRunOnPreOf3(@AtState("3.0.0:pre") StateDatabase db) throws SQLException {
    runs(new Release2JobQueue(db.dataSource()), db);
    runs(new Release3JobQueue(db.dataSource()), db);
  }

  @Test
  void oldAndNewCodeSeeEachOthersJobsThroughTheBridge(@AtState("3.0.0:pre") StateDatabase db) throws SQLException {
    JobQueue old = new Release2JobQueue(db.dataSource());
    JobQueue current = new Release3JobQueue(db.dataSource());
    long fromOld = old.enqueue("billing", "{}", 1);
    long fromNew = current.enqueue("billing", "{}", 9);
    assertThat(old.queued("billing")).isEqualTo(2);
    assertThat(current.queued("billing")).isEqualTo(2);
    assertThat(current.fetch("billing")).isEqualTo(OptionalLong.of(fromNew));
    assertThat(old.fetch("billing")).isEqualTo(OptionalLong.of(fromOld));
  }

  @Test
  void newestCodeRunsAfterPostAndOldCodeIsRefused(@AtState("3.0.0") StateDatabase db) throws SQLException {
    runs(new Release3JobQueue(db.dataSource()), db);
    assertThat(db.twostep().check("2.0.0").compatible()).isFalse();
    assertThatThrownBy(() -> new Release2JobQueue(db.dataSource()).exercise("mail"))
        .isInstanceOf(SQLException.class).hasMessageContaining("shop_enqueue_job_v2");
  }

  @Test
  void codeOfTheNextReleaseIsRefusedOnTheOldSchema(@AtState("2.0.0") StateDatabase db) {
    assertThat(db.twostep().check("3.0.0").compatible()).isFalse();
    assertThatThrownBy(() -> new Release3JobQueue(db.dataSource()).exercise("mail")).isInstanceOf(SQLException.class);
  }

  @Test
  void newestCodeCallsTheVersionsOfItsRelease() {
    assertThat(ShopSchema.FETCH_JOB).isEqualTo("shop_fetch_job_v3");
    assertThat(ShopSchema.ENQUEUE_JOB).isEqualTo("shop_enqueue_job_v3");
    assertThat(ShopSchema.FINISH_JOB).isEqualTo("shop_finish_job_v1");
  }

  private static void runs(JobQueue code, StateDatabase db) throws SQLException {
    assertThat(db.twostep().check(code.release()).compatible())
        .as("check(%s) at %s", code.release(), db.createdAt()).isTrue();
    code.exercise("mail");
    code.exercise("urgent");
  }
}
