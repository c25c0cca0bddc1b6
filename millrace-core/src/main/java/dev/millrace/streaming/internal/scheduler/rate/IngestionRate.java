package dev.millrace.streaming.internal.scheduler.rate;

import java.util.function.LongConsumer;

/**
 * How many records per second one input stream may ingest now: what sources read to apply
 * backpressure.
 *
 * <p>Wiring, for source authors: a receiver-based stream asks {@link
 * RateController#forStream} for its stream id when it starts and limits each receiver's {@code
 * store} to {@link #currentLimit()} records per second (re-reading it, or subscribing with {@link
 * #onChange}); the Kafka direct stream takes at most {@code currentLimit() * batchSeconds}
 * records per batch, split over partitions by lag and capped by {@code maxRatePerPartition}.
 * With backpressure off the limit is just the configured maximum.
 *
 * <p>Implementations are thread-safe: the limit is written on the listener thread and read on
 * source threads.
 */
public interface IngestionRate {
  /** The value of {@link #currentLimit()} that means no limit. */
  long UNLIMITED = Long.MAX_VALUE;

  /** Records per second the stream may ingest now; {@link #UNLIMITED} when there is no limit. */
  long currentLimit();

  /**
   * Calls {@code listener} with each new limit, on the thread that computed it (the listener
   * bus): keep it short.
   */
  void onChange(LongConsumer listener);
}
