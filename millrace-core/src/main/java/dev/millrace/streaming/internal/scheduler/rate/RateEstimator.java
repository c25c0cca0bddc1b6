package dev.millrace.streaming.internal.scheduler.rate;

import dev.millrace.MillraceConf;
import dev.millrace.internal.config.ConfigKeys;
import java.util.OptionalDouble;

/**
 * Estimates how many records per second a stream should ingest, from what the last completed
 * batch took: its records, processing time and scheduling delay. The feedback half of
 * backpressure ({@code spark.streaming.backpressure.enabled}).
 *
 * <p>Implementations may keep state between calls; callers feed the batches of one stream in
 * completion order. Thread-safe.
 */
public interface RateEstimator {
  /**
   * Computes a new rate after a batch completed.
   *
   * @param time when the batch finished processing, in milliseconds
   * @param elements records the stream contributed to the batch
   * @param processingDelay how long the batch was processed, in milliseconds
   * @param schedulingDelay how long the batch waited before processing, in milliseconds
   * @return the new rate in records per second, or empty when this batch gives no estimate
   */
  OptionalDouble compute(long time, long elements, long processingDelay, long schedulingDelay);

  /**
   * The estimator that {@code conf} names ({@code spark.streaming.backpressure.rateEstimator},
   * only {@code pid}), with its {@code pid.*} settings.
   *
   * @throws IllegalArgumentException for an unknown estimator name or an invalid setting
   */
  static RateEstimator create(MillraceConf conf, long batchIntervalMs) {
    String name = conf.get(ConfigKeys.BACKPRESSURE_RATE_ESTIMATOR);
    if (!"pid".equals(name)) {
      throw new IllegalArgumentException("Unknown rate estimator: " + name + " ("
          + ConfigKeys.BACKPRESSURE_RATE_ESTIMATOR.sparkAlias() + " supports only 'pid')");
    }
    return new PIDRateEstimator(batchIntervalMs,
        conf.get(ConfigKeys.BACKPRESSURE_PID_PROPORTIONAL),
        conf.get(ConfigKeys.BACKPRESSURE_PID_INTEGRAL),
        conf.get(ConfigKeys.BACKPRESSURE_PID_DERIVED),
        conf.get(ConfigKeys.BACKPRESSURE_PID_MIN_RATE));
  }
}
