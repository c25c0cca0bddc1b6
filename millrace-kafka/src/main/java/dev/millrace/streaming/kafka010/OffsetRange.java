package dev.millrace.streaming.kafka010;

import java.io.Serializable;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * A range of offsets of one Kafka topic partition: {@code [fromOffset, untilOffset)}. The port of
 * Spark's {@code OffsetRange}: same factory methods, accessors and {@code toString}.
 *
 * <pre>{@code
 * OffsetRange r = OffsetRange.create("events", 0, 100, 200);   // 100 records, 100..199
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param topic Kafka topic name
 * @param partition Kafka partition id
 * @param fromOffset inclusive starting offset
 * @param untilOffset exclusive ending offset
 */
public record OffsetRange(String topic, int partition, long fromOffset, long untilOffset) implements Serializable {

  /**
   * @throws NullPointerException if topic is null
   * @throws IllegalArgumentException if an offset is negative or {@code untilOffset < fromOffset}
   */
  public OffsetRange {
    Objects.requireNonNull(topic, "topic");
    if (partition < 0) {
      throw new IllegalArgumentException("partition must not be negative: " + partition);
    }
    if (fromOffset < 0 || untilOffset < fromOffset) {
      throw new IllegalArgumentException("Beginning offset " + fromOffset + " is after the ending offset "
          + untilOffset + " for topic " + topic + " partition " + partition
          + ". You either provided an invalid fromOffset, or the Kafka topic has been damaged");
    }
  }

  public static OffsetRange create(String topic, int partition, long fromOffset, long untilOffset) {
    return new OffsetRange(topic, partition, fromOffset, untilOffset);
  }

  public static OffsetRange create(TopicPartition topicPartition, long fromOffset, long untilOffset) {
    return new OffsetRange(topicPartition.topic(), topicPartition.partition(), fromOffset, untilOffset);
  }

  public static OffsetRange apply(String topic, int partition, long fromOffset, long untilOffset) {
    return create(topic, partition, fromOffset, untilOffset);
  }

  /** Kafka's {@code TopicPartition} of this range; a new object each call. */
  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  /** Number of offsets in the range (records, unless the topic is compacted or transactional). */
  public long count() {
    return untilOffset - fromOffset;
  }

  @Override
  public String toString() {
    return "OffsetRange(topic: '" + topic + "', partition: " + partition + ", range: [" + fromOffset + " -> "
        + untilOffset + "])";
  }
}
