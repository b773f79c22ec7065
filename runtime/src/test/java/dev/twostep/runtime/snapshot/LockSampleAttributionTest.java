package dev.twostep.runtime.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which migration a lock sample belongs to. The server reads {@code pg_locks} somewhere inside the
 * sample's query, so only a query that ran wholly within one migration's run is that migration's:
 * on a loaded machine a query sent during migration 2 was answered with migration 3's lock, and
 * the rehearsal blamed migration 2 for it.
 */
class LockSampleAttributionTest {
  // migration 0 runs until 100, the callback returns at 110; migration 1 until 200, callback to 210
  private static final List<Long> FINISHED = List.of(100L, 200L);
  private static final List<Long> RESUMED = List.of(110L, 210L);

  private static LockSampler.Sample sample(long sent, long answered, String relation) {
    return new LockSampler.Sample(sent, answered, relation, "table", "ShareLock", true);
  }

  @Test
  void aSampleBelongsToTheMigrationItsWholeQueryRanIn() {
    List<List<LockSampler.Sample>> per = Rehearsal.perMigration(List.of(
        sample(10, 20, "public.first"),
        sample(120, 190, "public.second"),
        sample(220, 230, "public.failed")), FINISHED, RESUMED);

    assertThat(per).hasSize(3);
    assertThat(per.get(0)).extracting(LockSampler.Sample::relation).containsExactly("public.first");
    assertThat(per.get(1)).extracting(LockSampler.Sample::relation).containsExactly("public.second");
    assertThat(per.get(2)).extracting(LockSampler.Sample::relation).containsExactly("public.failed");
  }

  @Test
  void aQuerySpanningTwoMigrationsBelongsToNeither() {
    List<List<LockSampler.Sample>> per = Rehearsal.perMigration(List.of(
        sample(90, 130, "public.sent-in-0-answered-in-1"),
        sample(105, 150, "public.sent-between-answered-in-1"),
        sample(195, 215, "public.sent-in-1-answered-after")), FINISHED, RESUMED);

    assertThat(per).allSatisfy(samples -> assertThat(samples).isEmpty());
  }

  @Test
  void aCallbackThatFailedLeavesTheLaterSamplesToNobody() {
    List<List<LockSampler.Sample>> per = Rehearsal.perMigration(List.of(sample(150, 160, "public.x")),
        List.of(100L), List.of());

    assertThat(per).allSatisfy(samples -> assertThat(samples).isEmpty());
  }
}
