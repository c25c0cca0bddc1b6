package dev.millrace.streaming.kafka010;

import java.io.Serializable;
import org.apache.kafka.common.TopicPartition;

/**
 * Per-partition rate limits of a direct Kafka stream. The port of Spark's {@code
 * PerPartitionConfig}: subclass it to give partitions different limits; the default reads {@code
 * spark.streaming.kafka.maxRatePerPartition} and {@code minRatePerPartition}.
 *
 * <p>A batch of {@code d} seconds reads at most {@code max(floor(d * maxRatePerPartition(tp)),
 * minRatePerPartition(tp))} records of partition {@code tp}, provided the limits of all partitions
 * add up to more than zero; otherwise the batch reads everything available.
 *
 * <p>Called on the thread that generates batches.
 */
public abstract class PerPartitionConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Most records per second read from {@code topicPartition}; 0 or less means no limit. */
  public abstract long maxRatePerPartition(TopicPartition topicPartition);

  /** Fewest records per batch read from {@code topicPartition} while a limit applies; default 1. */
  public long minRatePerPartition(TopicPartition topicPartition) {
    return 1;
  }
}
