package dev.millrace.streaming.kafka010.internal;

import dev.millrace.streaming.internal.scheduler.rate.RateController;
import dev.millrace.streaming.kafka010.PerPartitionConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * Spark's per-partition limit of a direct stream ({@code DirectKafkaInputDStream.maxMessagesPerPartition}),
 * computed by {@link RateController#maxRecordsPerPartition(Map, double, java.util.function.ToLongFunction,
 * java.util.function.ToLongFunction, long)}.
 *
 * <p>Without a backpressure rate each partition may read {@code max((long) (batchSeconds *
 * maxRate(tp)), minRate(tp))} records, but only when the maximum rates of all partitions add up to
 * more than zero. With a rate (the estimate, or {@code initialRate} before the first one) it is
 * split over the partitions in proportion to their lag, each share capped by {@code maxRate(tp)}
 * when positive, then multiplied by the batch seconds and raised to {@code minRate(tp)}. The end of
 * a partition's range is {@code min(current + limit, latest)}.
 */
public final class RateLimits {
  private RateLimits() {}

  /** The end offsets of the next batch without backpressure. */
  public static Map<TopicPartition, Long> clamp(Map<TopicPartition, Long> current, Map<TopicPartition, Long> latest,
      long batchMs, PerPartitionConfig ppc) {
    return clamp(current, latest, batchMs, ppc, 0);
  }

  /**
   * The end offsets of the next batch.
   *
   * @param current next offset to read, per partition
   * @param latest latest offset available, per partition (the keys of the result)
   * @param batchMs the batch interval
   * @param rate the backpressure rate of the whole stream in records per second; 0 or less for none
   */
  public static Map<TopicPartition, Long> clamp(Map<TopicPartition, Long> current, Map<TopicPartition, Long> latest,
      long batchMs, PerPartitionConfig ppc, double rate) {
    Map<TopicPartition, Long> lag = new HashMap<>();
    latest.forEach((tp, last) -> lag.put(tp, last - current.get(tp)));
    Optional<Map<TopicPartition, Long>> limits = RateController.maxRecordsPerPartition(lag, rate,
        ppc::maxRatePerPartition, ppc::minRatePerPartition, batchMs);
    if (limits.isEmpty()) {
      return new HashMap<>(latest);
    }
    Map<TopicPartition, Long> until = new HashMap<>();
    for (Map.Entry<TopicPartition, Long> e : latest.entrySet()) {
      TopicPartition tp = e.getKey();
      long from = current.get(tp);
      until.put(tp, Math.min(saturatedAdd(from, limits.get().get(tp)), e.getValue()));
    }
    return until;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
