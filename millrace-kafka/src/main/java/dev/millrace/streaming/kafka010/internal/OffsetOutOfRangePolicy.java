package dev.millrace.streaming.kafka010.internal;

import java.util.Locale;

/** What a direct stream does when its next offset of a partition is no longer on the broker. */
public enum OffsetOutOfRangePolicy {
  /** Fail the batch with a message naming the partitions, offsets and the key to change. */
  FAIL,
  /** Skip to the earliest offset the broker still has, and report the skipped count. */
  EARLIEST,
  /** Skip to the latest offset, and report the skipped count. */
  LATEST;

  /**
   * Parses a value of {@link KafkaConfigKeys#OFFSET_OUT_OF_RANGE}.
   *
   * @throws IllegalArgumentException naming the key for any other value
   */
  public static OffsetOutOfRangePolicy parse(String text) {
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "fail":
        return FAIL;
      case "earliest":
        return EARLIEST;
      case "latest":
        return LATEST;
      default:
        throw new IllegalArgumentException(KafkaConfigKeys.OFFSET_OUT_OF_RANGE.name()
            + " should be 'fail', 'earliest' or 'latest', but was " + text);
    }
  }
}
