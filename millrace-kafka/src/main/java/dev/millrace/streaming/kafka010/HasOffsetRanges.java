package dev.millrace.streaming.kafka010;

/**
 * Something with offset ranges: each batch dataset of a direct Kafka stream, and each dataset made
 * by {@link KafkaUtils#createRDD}. The port of Spark's {@code HasOffsetRanges}.
 *
 * <pre>{@code
 * stream.foreachRDD(rdd -> {
 *   OffsetRange[] ranges = ((HasOffsetRanges) rdd.rdd()).offsetRanges();
 *   // ... write the batch's output ...
 *   ((CanCommitOffsets) stream.inputDStream()).commitAsync(ranges);
 * });
 * }</pre>
 *
 * <p>Only the dataset the stream itself produced has ranges: cast before any transformation
 * ({@code map}, {@code repartition}, ...), which makes a new dataset.
 */
public interface HasOffsetRanges {
  /** The ranges, one per dataset partition, in partition order; a fresh array each call. */
  OffsetRange[] offsetRanges();
}
