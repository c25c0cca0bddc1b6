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

  /**
   * The backpressure hook of direct sources that read partitions, such as the Kafka direct stream
   * ({@code millrace-kafka}): how many records each partition may contribute to the next batch.
   * It is Spark's {@code DirectKafkaInputDStream.maxMessagesPerPartition}, so a ported job takes
   * the same batches.
   *
   * <p>Use from the stream: in {@code start()}, {@code rate = RateController.forStream(context(),
   * id(), 0)} (no total cap: Kafka caps each partition); in {@code compute(T)}, with each
   * partition's lag ({@code latestOffset - currentOffset}), {@code maxRecordsPerPartition(lags,
   * rate.currentLimit(), maxRatePerPartition, minRatePerPartition, batchMs)} and end each
   * partition's range at {@code min(latest, current + limit)} when a limit is present.
   *
   * <p>With a limit (an estimate, or {@code initialRate} before the first one) it is split over the
   * partitions in proportion to their lag, each share capped by {@code maxRatePerPartition} when
   * that is positive; without one, every partition gets {@code maxRatePerPartition}. The per-second
   * rates are multiplied by the batch's seconds and raised to {@code minRatePerPartition}.
   *
   * @param lagPerPartition records waiting in each partition (negative values count as 0)
   * @param limit records per second for the whole stream ({@link IngestionRate#currentLimit()}),
   *     {@link IngestionRate#UNLIMITED} for none
   * @param maxRatePerPartition {@code spark.streaming.kafka.maxRatePerPartition}; 0 or less: none
   * @param minRatePerPartition {@code spark.streaming.kafka.minRatePerPartition} (Spark's default 1)
   * @param batchMs the batch interval in milliseconds
   * @return the most records to take from each partition, or empty when nothing limits the batch
   */
  public static <P> java.util.Optional<java.util.Map<P, Long>> maxRecordsPerPartition(
      java.util.Map<P, Long> lagPerPartition, long limit, long maxRatePerPartition, long minRatePerPartition,
      long batchMs) {
    java.util.Map<P, Double> perSecond = new java.util.LinkedHashMap<>();
    if (limit != UNLIMITED && limit > 0) {
      double totalLag = 0;
      for (long lag : lagPerPartition.values()) {
        totalLag += Math.max(lag, 0);
      }
      for (java.util.Map.Entry<P, Long> e : lagPerPartition.entrySet()) {
        double share = totalLag == 0 ? 0 : Math.max(e.getValue(), 0) / totalLag * limit;
        perSecond.put(e.getKey(), maxRatePerPartition > 0 ? Math.min(share, maxRatePerPartition) : share);
      }
    } else {
      for (P p : lagPerPartition.keySet()) {
        perSecond.put(p, (double) Math.max(maxRatePerPartition, 0));
      }
    }
    double sum = 0;
    for (double r : perSecond.values()) {
      sum += r;
    }
    if (!(sum > 0)) {
      return java.util.Optional.empty();
    }
    double seconds = batchMs / 1000.0;
    java.util.Map<P, Long> out = new java.util.LinkedHashMap<>();
    perSecond.forEach((p, r) -> out.put(p, Math.max((long) (seconds * r), minRatePerPartition)));
    return java.util.Optional.of(out);
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
