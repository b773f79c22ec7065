package dev.twostep.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProgressLinesTest {
  @Test
  void elapsedTimesAreWrittenAsFormatterWouldWriteThem() {
    SplittableRandom random = new SplittableRandom(18);
    long[] edges = {0, 1, 499_999, 500_000, 999_999, 1_000_000, 1_234_500_000L, 9_999_499_999L, 9_999_500_000L,
        99_999_999_999L, 12_345_678_901_234L};
    for (long nanos : edges) {
      assertThat(ProgressLines.elapsed(nanos)).as("%d ns", nanos).isEqualTo(formatted(nanos));
    }
    for (int i = 0; i < 20_000; i++) {
      // whole microseconds, as System.nanoTime differences mostly are not: both round the same way
      long nanos = random.nextLong(0, 100_000_000_000L) / 1000 * 1000;
      assertThat(ProgressLines.elapsed(nanos)).as("%d ns", nanos).isEqualTo(formatted(nanos));
    }
  }

  private static String formatted(long nanos) {
    return String.format(Locale.ROOT, "%8.3f", nanos / 1e9);
  }
}
