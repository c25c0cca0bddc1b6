package dev.millrace.streaming.internal.scheduler.rate;

import java.util.OptionalDouble;

/**
 * A proportional-integral-derivative controller of the ingestion rate, Spark's default
 * estimator with the same formula, so a ported job reacts the same way.
 *
 * <p>After each batch, with {@code r} the rate estimated last time and {@code p = elements /
 * processingDelay} the rate at which the batch was actually processed:
 *
 * <pre>
 *   error      = r - p                                      (asked for more than was processed)
 *   backlog    = schedulingDelay * p / batchInterval        (rate that would drain the queue built up
 *                                                             while the batch waited)
 *   dError     = (error - lastError) / secondsSinceLastUpdate
 *   new rate   = max(minRate, r - proportional * error - integral * backlog - derivative * dError)
 * </pre>
 *
 * The first usable batch only seeds {@code r} with its processing rate and returns no estimate.
 * A batch is skipped (no estimate, no state change) when its time is not after the last one's,
 * it had no records, or it took no time: nothing can be learnt from it.
 *
 * <p>Thread-safe: {@link #compute} synchronizes on this object.
 */
public final class PIDRateEstimator implements RateEstimator {
  private final long batchIntervalMs;
  private final double proportional;
  private final double integral;
  private final double derivative;
  private final double minRate;

  private boolean firstRun = true;
  private long latestTime = -1L;
  private double latestRate = -1D;
  private double latestError = -1D;

  /**
   * @throws IllegalArgumentException if the interval is not positive, a weight is negative or the
   *     minimum rate is not positive
   */
  public PIDRateEstimator(long batchIntervalMs, double proportional, double integral, double derivative,
      double minRate) {
    if (batchIntervalMs <= 0) {
      throw new IllegalArgumentException("Specified batch interval " + batchIntervalMs
          + " in PIDRateEstimator is invalid.");
    }
    requireNonNegative("Proportional", proportional);
    requireNonNegative("Integral", integral);
    requireNonNegative("Derivative", derivative);
    if (!(minRate > 0)) {
      throw new IllegalArgumentException("Minimum rate in PIDRateEstimator should be > 0, was " + minRate);
    }
    this.batchIntervalMs = batchIntervalMs;
    this.proportional = proportional;
    this.integral = integral;
    this.derivative = derivative;
    this.minRate = minRate;
  }

  private static void requireNonNegative(String term, double value) {
    if (!(value >= 0)) {
      throw new IllegalArgumentException(term + " term " + value + " in PIDRateEstimator should be >= 0.");
    }
  }

  @Override
  public synchronized OptionalDouble compute(long time, long elements, long processingDelay,
      long schedulingDelay) {
    if (time <= latestTime || elements <= 0 || processingDelay <= 0) {
      return OptionalDouble.empty();
    }
    double secondsSinceUpdate = (time - latestTime) / 1000.0;
    double processingRate = elements * 1000.0 / processingDelay;
    double error = latestRate - processingRate;
    double backlogRate = schedulingDelay * processingRate / batchIntervalMs;
    double dError = (error - latestError) / secondsSinceUpdate;
    double newRate = Math.max(minRate,
        latestRate - proportional * error - integral * backlogRate - derivative * dError);
    latestTime = time;
    if (firstRun) {
      firstRun = false;
      latestRate = processingRate;
      latestError = 0;
      return OptionalDouble.empty();
    }
    latestRate = newRate;
    latestError = error;
    return OptionalDouble.of(newRate);
  }

  @Override
  public String toString() {
    return "PIDRateEstimator(proportional=" + proportional + ", integral=" + integral + ", derivative="
        + derivative + ", minRate=" + minRate + ")";
  }
}
