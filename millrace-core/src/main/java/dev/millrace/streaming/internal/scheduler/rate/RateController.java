package dev.millrace.streaming.internal.scheduler.rate;

import dev.millrace.MillraceConf;
import dev.millrace.internal.config.ConfigKeys;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.scheduler.BatchInfo;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import dev.millrace.streaming.scheduler.StreamingListener;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * The backpressure loop of one input stream: after each completed batch it feeds the stream's
 * record count, the batch's processing time and scheduling delay to a {@link RateEstimator} and
 * publishes the new rate as the stream's {@link IngestionRate}.
 *
 * <p>The published limit is {@code min(maxRate, estimate)}; before the first estimate it is
 * {@code min(maxRate, initialRate)}, so the first batch after downtime is bounded ({@code
 * spark.streaming.backpressure.initialRate}); a non-positive {@code maxRate} or {@code
 * initialRate} means "none". Batches whose processing has not ended, or that hold no input of this
 * stream, change nothing.
 *
 * <pre>{@code
 * IngestionRate rate = RateController.forStream(ssc, id(), conf.get(ConfigKeys.RECEIVER_MAX_RATE));
 * long perSecond = rate.currentLimit();
 * }</pre>
 *
 * <p>Thread-safe: events arrive on the listener bus thread; the limit may be read from any thread.
 */
public final class RateController implements StreamingListener, IngestionRate {
  private final int streamId;
  private final RateEstimator estimator;
  private final long maxRate;
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
  private volatile long limit;
  private volatile double latestEstimate = Double.NaN;

  /**
   * @param streamId the input stream whose records are counted
   * @param estimator computes the rate
   * @param maxRate the configured maximum in records per second; 0 or less means none
   * @param initialRate the limit before the first estimate; 0 or less means none
   */
  public RateController(int streamId, RateEstimator estimator, long maxRate, long initialRate) {
    this.streamId = streamId;
    this.estimator = Objects.requireNonNull(estimator, "estimator");
    this.maxRate = maxRate;
    this.limit = cap(initialRate > 0 ? initialRate : UNLIMITED);
  }

  /**
   * The ingestion rate of stream {@code streamId} of {@code engine}: with {@code
   * spark.streaming.backpressure.enabled}, a controller registered as a listener of the engine;
   * otherwise the fixed {@code maxRate}.
   *
   * @param maxRate the source's configured maximum in records per second (e.g. {@code
   *     spark.streaming.receiver.maxRate}); 0 or less means none
   * @throws IllegalArgumentException for invalid estimator settings
   */
  public static IngestionRate forStream(StreamingEngine engine, int streamId, long maxRate) {
    MillraceConf conf = engine.engine().conf();
    if (!conf.get(ConfigKeys.BACKPRESSURE_ENABLED)) {
      return fixed(maxRate);
    }
    RateController controller = new RateController(streamId,
        RateEstimator.create(conf, engine.batchDuration().milliseconds()), maxRate,
        conf.get(ConfigKeys.BACKPRESSURE_INITIAL_RATE));
    engine.addStreamingListener(controller);
    return controller;
  }

  /** A limit that never changes: {@code maxRate} records per second, or none if not positive. */
  public static IngestionRate fixed(long maxRate) {
    long value = maxRate > 0 ? maxRate : UNLIMITED;
    return new IngestionRate() {
      @Override
      public long currentLimit() {
        return value;
      }

      @Override
      public void onChange(LongConsumer listener) {
        Objects.requireNonNull(listener, "listener");
      }
    };
  }

  private long cap(long rate) {
    return maxRate > 0 ? Math.min(maxRate, rate) : rate;
  }

  /** The input stream this controller counts. */
  public int streamId() {
    return streamId;
  }

  @Override
  public long currentLimit() {
    return limit;
  }

  /** The estimator's latest rate before the cap, or empty before the first estimate. */
  public OptionalDouble latestEstimate() {
    double e = latestEstimate;
    return Double.isNaN(e) ? OptionalDouble.empty() : OptionalDouble.of(e);
  }

  @Override
  public void onChange(LongConsumer listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void onBatchCompleted(StreamingListenerBatchCompleted batchCompleted) {
    BatchInfo info = batchCompleted.batchInfo();
    StreamInputInfo input = info.streamIdToInputInfo().get(streamId);
    if (input == null || info.processingEndTime().isEmpty() || info.processingDelay().isEmpty()
        || info.schedulingDelay().isEmpty()) {
      return;
    }
    OptionalDouble rate = estimator.compute(info.processingEndTime().get(), input.numRecords(),
        info.processingDelay().get(), info.schedulingDelay().get());
    if (rate.isPresent()) {
      latestEstimate = rate.getAsDouble();
      long newLimit = cap(Math.max(1L, (long) rate.getAsDouble()));
      limit = newLimit;
      for (LongConsumer l : listeners) {
        l.accept(newLimit);
      }
    }
  }

  @Override
  public String toString() {
    return "RateController(stream " + streamId + ", limit " + (limit == UNLIMITED ? "none" : limit) + "/s, "
        + estimator + ")";
  }
}
