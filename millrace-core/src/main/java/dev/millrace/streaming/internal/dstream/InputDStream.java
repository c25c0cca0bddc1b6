package dev.millrace.streaming.internal.dstream;

import dev.millrace.streaming.Duration;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import dev.millrace.streaming.Time;
import java.util.List;
import java.util.Map;

/**
 * A stream fed from outside: each batch's dataset comes from a source (a queue, a directory, a
 * receiver, Kafka) rather than from parent streams. Its slide is the batch interval.
 *
 * <p>The context calls {@link #start()} when it starts and {@link #stop()} when it stops; {@link
 * #compute} fixes what batch T holds and should {@linkplain #reportInput report} it.
 *
 * <p>Backpressure ({@code spark.streaming.backpressure.enabled}): receiver streams are limited by
 * their receiver's supervisor and need nothing here. A direct source (one that fixes a range per
 * batch, as the Kafka direct stream) gets its limit in {@link #start()} with {@code
 * RateController.forStream(context(), id(), maxRate)} and, in {@link #compute}, takes at most
 * {@code currentLimit() * batch seconds} records; a partitioned source splits that with {@code
 * RateController.maxRecordsPerPartition}. Both live in {@code
 * dev.millrace.streaming.internal.scheduler.rate}.
 */
public abstract class InputDStream<T> extends DStream<T> {
  private static final long serialVersionUID = 1L;

  private final int inputId;

  protected InputDStream(StreamingEngine ssc, String operation) {
    super(ssc, operation);
    this.inputId = ssc.graph().addInputStream(this);
  }

  /**
   * This input's id among the context's inputs (0, 1, ... in creation order), as Spark numbers
   * input streams: the key of its {@link StreamInputInfo} in a batch's input infos.
   */
  public final int inputId() {
    return inputId;
  }

  @Override
  public final Duration slideDuration() {
    return context().batchDuration();
  }

  @Override
  public final List<DStream<?>> dependencies() {
    return List.of();
  }

  /** Starts reading from the source; called once when the context starts. */
  public abstract void start();

  /** Stops reading; called once when the context stops. */
  public abstract void stop();

  /**
   * Stops accepting new input but keeps what was already accepted, so that a graceful stop can
   * turn it into batches. Sources without a buffer have nothing to do.
   */
  public void stopReceiving() {}

  /**
   * This stream's lag, where the source can tell: records accepted from the source but not yet
   * in a batch (a receiver stream: stored, not yet assigned to a batch; the Kafka direct stream
   * would report the records between its current and latest offsets). Empty when the source cannot
   * tell (the default). A metric for the UI; cheap, never blocks on the source. Thread-safe.
   */
  public java.util.OptionalLong lag() {
    return java.util.OptionalLong.empty();
  }

  /** Whether input accepted before {@link #stopReceiving()} still waits to be put into a batch. */
  public boolean hasPendingInput() {
    return false;
  }

  /** Records what this stream contributed to batch {@code time}, for listeners and the UI. */
  protected final void reportInput(Time time, long numRecords, Map<String, Object> metadata) {
    context().inputInfoTracker().report(time, new StreamInputInfo(inputId, numRecords, metadata));
  }
}
