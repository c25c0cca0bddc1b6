package dev.millrace.testkit;

import dev.millrace.internal.rdd.EmptyRDD;
import dev.millrace.internal.rdd.ParallelCollectionRDD;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.dstream.InputDStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An input stream whose n-th batch (n = 1, 2, ...) holds the n-th scripted list, cut into the
 * given number of partitions; batches past the script are empty. The batch is chosen by its time,
 * not by when it is generated, so a run is deterministic.
 */
final class ScriptedInputDStream<T> extends InputDStream<T> {
  private static final long serialVersionUID = 1L;
  private final List<List<T>> batches;
  private final int numPartitions;

  ScriptedInputDStream(StreamingEngine ssc, List<List<T>> batches, int numPartitions) {
    super(ssc, "scriptedInput");
    this.batches = new ArrayList<>(batches);
    this.numPartitions = numPartitions;
  }

  @Override
  public void start() {}

  @Override
  public void stop() {}

  @Override
  protected RDD<T> compute(Time validTime) {
    long index = validTime.minus(zeroTime()).milliseconds() / slideDuration().milliseconds() - 1;
    if (index < 0 || index >= batches.size()) {
      reportInput(validTime, 0, Map.of());
      return new EmptyRDD<>(context().engine());
    }
    List<T> data = batches.get((int) index);
    reportInput(validTime, data.size(), Map.of());
    return new ParallelCollectionRDD<>(context().engine(), data, numPartitions);
  }
}
