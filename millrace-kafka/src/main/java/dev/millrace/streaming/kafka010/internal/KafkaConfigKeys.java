package dev.millrace.streaming.kafka010.internal;

import dev.millrace.internal.config.ConfigKey;
import java.util.List;

/**
 * The configuration keys of the Kafka module, typed like the core's {@code ConfigKeys}. Each also
 * answers to its {@code spark.*} alias ({@code spark.streaming.kafka.maxRatePerPartition}, ...).
 */
public final class KafkaConfigKeys {
  private KafkaConfigKeys() {}

  public static final ConfigKey<Long> MAX_RATE_PER_PARTITION = ConfigKey.longValue(
      "millrace.streaming.kafka.maxRatePerPartition", 0,
      "Most records per second a direct Kafka stream reads from each partition; 0 means no limit.");

  public static final ConfigKey<Long> MIN_RATE_PER_PARTITION = ConfigKey.longValue(
      "millrace.streaming.kafka.minRatePerPartition", 1,
      "Fewest records per batch a rate-limited direct Kafka stream reads from each partition that has data.");

  public static final ConfigKey<Long> CONSUMER_POLL_MS = ConfigKey.timeMs(
      "millrace.streaming.kafka.consumer.poll.ms", "120000",
      "Longest a task waits for records of its offset range from Kafka before failing (milliseconds).");

  public static final ConfigKey<Boolean> ALLOW_NON_CONSECUTIVE_OFFSETS = ConfigKey.bool(
      "millrace.streaming.kafka.allowNonConsecutiveOffsets", false,
      "Whether offset ranges may have gaps: compacted topics, transaction markers and aborted records.");

  public static final ConfigKey<String> OFFSET_OUT_OF_RANGE = ConfigKey.string(
      "millrace.streaming.kafka.offsetOutOfRange", "fail",
      "What a direct stream does when its next offset is no longer on the broker (retention): "
          + "'fail' the batch, or skip to the 'earliest' or 'latest' offset and report it.");

  /** Every key of the Kafka module, in documentation order. */
  public static List<ConfigKey<?>> all() {
    return List.of(MAX_RATE_PER_PARTITION, MIN_RATE_PER_PARTITION, CONSUMER_POLL_MS,
        ALLOW_NON_CONSECUTIVE_OFFSETS, OFFSET_OUT_OF_RANGE);
  }
}
