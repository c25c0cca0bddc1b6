package dev.millrace.streaming.kafka010;

import org.apache.kafka.clients.consumer.OffsetCommitCallback;

/**
 * Commits offsets of a direct Kafka stream to its consumer group. The port of Spark's
 * {@code CanCommitOffsets}; the stream returned by {@link KafkaUtils#createDirectStream} implements
 * it ({@code (CanCommitOffsets) stream.inputDStream()}).
 *
 * <p>The call only queues the offsets; the stream sends them to Kafka (asynchronously, as Spark
 * does) when it generates its next batch, and synchronously when the context stops. Call it after
 * a batch's outputs succeeded, so that the committed offsets never run ahead of the output. If
 * several ranges of one partition are queued, the highest {@code untilOffset} is committed.
 *
 * <p>Thread-safe: may be called from any output operation's thread.
 */
public interface CanCommitOffsets {
  /** Queues {@code offsetRanges} to be committed; errors are logged. */
  void commitAsync(OffsetRange[] offsetRanges);

  /**
   * Queues {@code offsetRanges} to be committed; {@code callback} hears of the outcome (on the
   * thread that generates batches, or the stopping thread).
   */
  void commitAsync(OffsetRange[] offsetRanges, OffsetCommitCallback callback);
}
