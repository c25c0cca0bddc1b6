package dev.millrace.bench.compare;

import java.util.Arrays;
import java.util.Collection;

/** Order statistics of measurements. Pure functions; thread-safe. */
public final class Stats {
  private Stats() {}

  /**
   * The median: the middle value, or the mean of the two middle values.
   *
   * @throws IllegalArgumentException if there are no values
   */
  public static double median(Collection<? extends Number> values) {
    return percentile(values, 50);
  }

  /**
   * The {@code p}-th percentile by linear interpolation between closest ranks (p = 50 is the
   * median, p = 100 the maximum).
   *
   * @throws IllegalArgumentException if there are no values or p is outside [0, 100]
   */
  public static double percentile(Collection<? extends Number> values, double p) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    if (!(p >= 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in [0, 100], was " + p);
    }
    double[] sorted = new double[values.size()];
    int i = 0;
    for (Number n : values) {
      sorted[i++] = n.doubleValue();
    }
    Arrays.sort(sorted);
    double pos = p / 100.0 * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }
}
