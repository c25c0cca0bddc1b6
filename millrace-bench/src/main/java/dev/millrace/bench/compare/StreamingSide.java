package dev.millrace.bench.compare;

import java.util.List;

/**
 * One engine's side of the comparison, as seen by the engine-neutral workload code in {@link
 * BenchChild}: the word-count pipeline over a queue of batches, on {@code local[2]}.
 *
 * <p>The pipeline is the same on both sides: {@code queueStream(queue, oneAtATime = true)}, {@code
 * flatMap(line.split(" "))}, {@code mapToPair(w -> (w, 1))}, {@code reduceByKey(Integer::sum)},
 * and {@code foreachRDD(rdd -> log.output(time, rdd.count()))}; a streaming listener reports each
 * batch's delays to the {@link BatchLog}. Millrace's implementation is {@link MillraceSide}; Spark's
 * ({@code dev.millrace.bench.compare.spark.SparkSide}) is the same code with Spark's imports, built
 * only with {@code -Pspark}.
 *
 * <p>Extension point: a new workload adds a method here that sets up its pipeline, implemented on
 * both sides, and a routine in {@link BenchChild} that drives it.
 *
 * <p>Used from the one driver thread of a child JVM.
 */
public interface StreamingSide extends AutoCloseable {
  /** {@code millrace} or {@code spark}. */
  String engine();

  /**
   * Creates a streaming context with batch interval {@code intervalMs} on this side's long-lived
   * batch context, defines the word-count pipeline over an empty queue, and starts it.
   */
  void startWordCount(long intervalMs, BatchLog log) throws Exception;

  /**
   * Workload 5: like {@link #startWordCount}, but each queued record is a key, and the pipeline is
   * {@code mapToPair(k -> (k, 1))} then, for {@code kind} {@code updateStateByKey}, {@code
   * updateStateByKey((values, state) -> state + sum(values))} with the output counting the whole
   * state, or, for {@code mapWithState}, {@code mapWithState(StateSpec.function((k, v, state) ->
   * state += v))} returning the new count, with the output counting the batch's mapped records.
   * {@code checkpointDir} is set on the batch context ({@code setCheckpointDir}) on both sides,
   * since both engines refuse a streaming checkpoint ({@code ssc.checkpoint}) with a queue stream.
   */
  void startState(String kind, long intervalMs, String checkpointDir, BatchLog log) throws Exception;

  /**
   * Workload 6: the word count of {@link #startWordCount} with {@code reduceByKey} replaced by
   * {@code reduceByKeyAndWindow(Integer::sum[, (a, b) -> a - b], window, slide = interval)}; the
   * output counts the window's keys.
   */
  void startWindow(boolean inverse, long intervalMs, long windowMs, String checkpointDir, BatchLog log)
      throws Exception;

  /**
   * Workload 2: the seed's pipeline over a socket. A streaming context with batch interval {@code
   * intervalMs}: {@code socketTextStream(host, port)} (default storage level), {@code
   * flatMap(line.split(" "))}, {@code countByValue()}, {@code foreachRDD(rdd -> log.output(time,
   * rdd.count()))}; the listener reports each batch's input record count ({@code
   * BatchInfo.numRecords}) and delays. Backpressure and {@code receiver.maxRate} stay off: the
   * generator sets the offered rate.
   */
  void startSocketWordCount(String host, int port, long intervalMs, BatchLog log) throws Exception;

  /** Turns {@code lines} into a dataset now (2 partitions) and appends it to the queue. */
  void enqueue(List<String> lines);

  /** Stops the streaming context, keeping the batch context for the next {@link #startWordCount}. */
  void stopStreaming();

  /** Stops everything. */
  @Override
  void close();
}
