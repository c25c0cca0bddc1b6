package dev.millrace.streaming.kafka010.internal;

import dev.millrace.streaming.kafka010.PerPartitionConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Spark's per-partition rate limit of a direct stream (without backpressure): each partition may
 * read {@code max((long) (batchSeconds * maxRate(tp)), minRate(tp))} records in a batch, but only
 * when the maximum rates of all partitions add up to more than zero; then the end of a partition's
 * range is {@code min(current + limit, latest)}.
 */
public final class RateLimits {
  private RateLimits() {}

  /**
   * The end offsets of the next batch.
   *
   * @param current next offset to read, per partition
   * @param latest latest offset available, per partition (the keys of the result)
   * @param batchMs the batch interval
   */
  public static Map<TopicPartition, Long> clamp(Map<TopicPartition, Long> current, Map<TopicPartition, Long> latest,
      long batchMs, PerPartitionConfig ppc) {
    double sum = 0;
    for (TopicPartition tp : latest.keySet()) {
      sum += ppc.maxRatePerPartition(tp);
    }
    if (!(sum > 0)) {
      return new HashMap<>(latest);
    }
    double secsPerBatch = batchMs / 1000.0;
    Map<TopicPartition, Long> until = new HashMap<>();
    for (Map.Entry<TopicPartition, Long> e : latest.entrySet()) {
      TopicPartition tp = e.getKey();
      long messages = Math.max((long) (secsPerBatch * ppc.maxRatePerPartition(tp)), ppc.minRatePerPartition(tp));
      long from = current.get(tp);
      until.put(tp, Math.min(saturatedAdd(from, messages), e.getValue()));
    }
    return until;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
