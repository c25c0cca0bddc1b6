package dev.millrace.bench.state;

import dev.millrace.internal.rdd.ParallelCollectionRDD;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.dstream.InputDStream;
import java.util.List;
import java.util.Map;

/**
 * An input stream whose batch n holds pre-generated batch {@code n mod size}, so that measurements
 * time the engine, not the data generator. Each batch's list is cut into {@code numPartitions}
 * partitions without copying its records.
 */
final class CyclingInputDStream<T> extends InputDStream<T> {
  private static final long serialVersionUID = 1L;
  private final List<List<T>> batches;
  private final int numPartitions;

  CyclingInputDStream(StreamingEngine ssc, List<List<T>> batches, int numPartitions) {
    super(ssc, "cyclingInput");
    this.batches = batches;
    this.numPartitions = numPartitions;
  }

  @Override
  public void start() {}

  @Override
  public void stop() {}

  @Override
  protected RDD<T> compute(Time validTime) {
    long n = validTime.minus(zeroTime()).milliseconds() / slideDuration().milliseconds() - 1;
    List<T> data = batches.get((int) (n % batches.size()));
    reportInput(validTime, data.size(), Map.of());
    return new ParallelCollectionRDD<>(context().engine(), data, numPartitions);
  }
}
