package dev.twostep.bench;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics over samples; percentiles by the nearest-rank method. */
final class Stats {
  private Stats() {}

  static double median(Collection<? extends Number> values) {
    return percentile(values, 50);
  }

  /** The nearest-rank percentile {@code p} (0-100) of {@code values}; NaN when empty. */
  static double percentile(Collection<? extends Number> values, double p) {
    double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
    return percentile(sorted, p);
  }

  /** As {@link #percentile(Collection, double)} over an already sorted array. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    if (p >= 100) {
      return sorted[sorted.length - 1];
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static double[] sorted(Collection<? extends Number> values) {
    double[] out = values.stream().mapToDouble(Number::doubleValue).toArray();
    Arrays.sort(out);
    return out;
  }
}
