package dev.millrace.streaming.api.java;

import dev.millrace.HashPartitioner;
import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaPairRDD;
import dev.millrace.api.java.JavaRDD;
import dev.millrace.api.java.JavaRDDLike;
import dev.millrace.api.java.function.FlatMapFunction;
import dev.millrace.api.java.function.Function;
import dev.millrace.api.java.function.Function2;
import dev.millrace.api.java.function.Function3;
import dev.millrace.api.java.function.PairFlatMapFunction;
import dev.millrace.api.java.function.PairFunction;
import dev.millrace.api.java.function.VoidFunction;
import dev.millrace.api.java.function.VoidFunction2;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.dstream.DStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The operations shared by {@link JavaDStream} and {@link JavaPairDStream}, as in Spark's
 * interface of the same name: transformations that change the record type, and the output
 * operations.
 *
 * <p>Transformations apply to every batch; they must be defined before the context starts (after
 * start they throw {@link IllegalStateException}). Output operations run once per batch, in the
 * order they were defined. Functions passed to {@code transform} run on the batch-generating
 * thread when the batch is generated; functions passed to {@code foreachRDD} run on the job
 * thread when the batch is processed.
 *
 * @param <T> type of the records
 * @param <This> the concrete stream type
 * @param <R> the dataset type of one batch
 */
public interface JavaDStreamLike<T, This extends JavaDStreamLike<T, This, R>, R extends JavaRDDLike<T, R>> {

  /** The underlying stream. */
  DStream<T> dstream();

  /** Wraps one batch's dataset in this stream's dataset type. */
  R wrapRDD(RDD<T> rdd);

  /** The streaming context of this stream. */
  default JavaStreamingContext context() {
    return (JavaStreamingContext) dstream().context().javaContext();
  }

  /** Prints the first ten records of every batch, in Spark's format. */
  default void print() {
    print(10);
  }

  /**
   * Prints the first {@code num} records of every batch: a line of 43 dashes, {@code Time: <ms> ms},
   * another dashed line, the records one per line, {@code ...} if there were more, and a blank line.
   */
  default void print(int num) {
    dstream().print(num);
  }

  /** A stream with one record per batch: the batch's count (0 for an empty batch). */
  default JavaDStream<Long> count() {
    return new JavaDStream<>(dstream().count());
  }

  /** Per batch, each distinct record with its count, over the default number of partitions. */
  default JavaPairDStream<T, Long> countByValue() {
    return countByValue(dstream().context().engine().defaultParallelism());
  }

  /** Per batch, each distinct record with its count, over {@code numPartitions} partitions. */
  default JavaPairDStream<T, Long> countByValue(int numPartitions) {
    return new JavaPairDStream<>(dstream().countByValue(numPartitions));
  }

  /** Per batch, one list per partition. */
  default JavaDStream<List<T>> glom() {
    return new JavaDStream<>(dstream().glom());
  }

  default <U> JavaDStream<U> map(Function<T, U> f) {
    return new JavaDStream<>(dstream().map(Objects.requireNonNull(f, "f")));
  }

  default <K2, V2> JavaPairDStream<K2, V2> mapToPair(PairFunction<T, K2, V2> f) {
    Objects.requireNonNull(f, "f");
    return new JavaPairDStream<>(dstream().map(f::call));
  }

  default <U> JavaDStream<U> flatMap(FlatMapFunction<T, U> f) {
    return new JavaDStream<>(dstream().flatMap(Objects.requireNonNull(f, "f")));
  }

  default <K2, V2> JavaPairDStream<K2, V2> flatMapToPair(PairFlatMapFunction<T, K2, V2> f) {
    Objects.requireNonNull(f, "f");
    return new JavaPairDStream<>(dstream().flatMap(f::call));
  }

  default <U> JavaDStream<U> mapPartitions(FlatMapFunction<Iterator<T>, U> f) {
    return new JavaDStream<>(dstream().mapPartitions(Objects.requireNonNull(f, "f"), false));
  }

  default <K2, V2> JavaPairDStream<K2, V2> mapPartitionsToPair(PairFlatMapFunction<Iterator<T>, K2, V2> f) {
    Objects.requireNonNull(f, "f");
    return new JavaPairDStream<>(dstream().mapPartitions(f::call, false));
  }

  /** Per batch, all records reduced with {@code f} to one; an empty batch gives nothing. */
  default JavaDStream<T> reduce(Function2<T, T, T> f) {
    return new JavaDStream<>(dstream().reduce(Objects.requireNonNull(f, "f")));
  }

  /** The datasets of every batch between two times, both included. */
  default List<R> slice(Time fromTime, Time toTime) {
    List<R> out = new ArrayList<>();
    for (RDD<T> rdd : dstream().slice(fromTime, toTime)) {
      out.add(wrapRDD(rdd));
    }
    return out;
  }

  /** Calls {@code f} with every batch's dataset. */
  default void foreachRDD(VoidFunction<R> f) {
    Objects.requireNonNull(f, "f");
    dstream().foreachRDD((rdd, time) -> f.call(wrapRDD(rdd)), "foreachRDD");
  }

  /** Calls {@code f} with every batch's dataset and time. */
  default void foreachRDD(VoidFunction2<R, Time> f) {
    Objects.requireNonNull(f, "f");
    dstream().foreachRDD((rdd, time) -> f.call(wrapRDD(rdd), time), "foreachRDD");
  }

  /** Per batch, the dataset {@code f} makes from the batch's dataset. */
  default <U> JavaDStream<U> transform(Function<R, JavaRDD<U>> f) {
    Objects.requireNonNull(f, "f");
    return new JavaDStream<>(dstream().transform("transform", (rdd, t) -> planOf(f.call(wrapRDD(rdd)))));
  }

  /** Per batch, the dataset {@code f} makes from the batch's dataset and time. */
  default <U> JavaDStream<U> transform(Function2<R, Time, JavaRDD<U>> f) {
    Objects.requireNonNull(f, "f");
    return new JavaDStream<>(dstream().transform("transform", (rdd, t) -> planOf(f.call(wrapRDD(rdd), t))));
  }

  default <K2, V2> JavaPairDStream<K2, V2> transformToPair(Function<R, JavaPairRDD<K2, V2>> f) {
    Objects.requireNonNull(f, "f");
    return new JavaPairDStream<>(dstream().transform("transformToPair", (rdd, t) -> planOf(f.call(wrapRDD(rdd)))));
  }

  default <K2, V2> JavaPairDStream<K2, V2> transformToPair(Function2<R, Time, JavaPairRDD<K2, V2>> f) {
    Objects.requireNonNull(f, "f");
    return new JavaPairDStream<>(
        dstream().transform("transformToPair", (rdd, t) -> planOf(f.call(wrapRDD(rdd), t))));
  }

  /** Per batch, {@code f} of this stream's and {@code other}'s datasets of the same time. */
  default <U, W> JavaDStream<W> transformWith(JavaDStream<U> other, Function3<R, JavaRDD<U>, Time, JavaRDD<W>> f) {
    Objects.requireNonNull(f, "f");
    return new JavaDStream<>(dstream().transformWith(other.dstream(), "transformWith",
        (a, b, t) -> planOf(f.call(wrapRDD(a), new JavaRDD<>(b), t))));
  }

  default <K2, V2, W> JavaDStream<W> transformWith(JavaPairDStream<K2, V2> other,
      Function3<R, JavaPairRDD<K2, V2>, Time, JavaRDD<W>> f) {
    Objects.requireNonNull(f, "f");
    return new JavaDStream<>(dstream().transformWith(other.dstream(), "transformWith",
        (a, b, t) -> planOf(f.call(wrapRDD(a), new JavaPairRDD<>(b), t))));
  }

  default <U, K2, V2> JavaPairDStream<K2, V2> transformWithToPair(JavaDStream<U> other,
      Function3<R, JavaRDD<U>, Time, JavaPairRDD<K2, V2>> f) {
    Objects.requireNonNull(f, "f");
    return new JavaPairDStream<>(dstream().transformWith(other.dstream(), "transformWithToPair",
        (a, b, t) -> planOf(f.call(wrapRDD(a), new JavaRDD<>(b), t))));
  }

  default <K2, V2, K3, V3> JavaPairDStream<K3, V3> transformWithToPair(JavaPairDStream<K2, V2> other,
      Function3<R, JavaPairRDD<K2, V2>, Time, JavaPairRDD<K3, V3>> f) {
    Objects.requireNonNull(f, "f");
    return new JavaPairDStream<>(dstream().transformWith(other.dstream(), "transformWithToPair",
        (a, b, t) -> planOf(f.call(wrapRDD(a), new JavaPairRDD<>(b), t))));
  }

  // ------------------------------------------------------------ windows

  /**
   * Every slide, the number of records in the last {@code windowDuration}, computed incrementally
   * (Spark's inverse-reduce form). As in Spark: no record until the first record arrives, then one
   * count per slide, which is 0 once the window is empty again. Needs a checkpoint directory.
   *
   * @throws IllegalArgumentException if the window or slide is not a multiple of the batch interval
   */
  default JavaDStream<Long> countByWindow(Duration windowDuration, Duration slideDuration) {
    return new JavaDStream<>(dstream().countByWindow(windowDuration, slideDuration));
  }

  /**
   * Every slide, each distinct record with its count in the last {@code windowDuration}, over the
   * default number of partitions; computed incrementally, records whose count falls to 0 dropped.
   * Needs a checkpoint directory.
   */
  default JavaPairDStream<T, Long> countByValueAndWindow(Duration windowDuration, Duration slideDuration) {
    return countByValueAndWindow(windowDuration, slideDuration, dstream().context().engine().defaultParallelism());
  }

  /** {@link #countByValueAndWindow(Duration, Duration)} over {@code numPartitions} partitions. */
  default JavaPairDStream<T, Long> countByValueAndWindow(Duration windowDuration, Duration slideDuration,
      int numPartitions) {
    return new JavaPairDStream<>(dstream().countByValueAndWindow(windowDuration, slideDuration, numPartitions));
  }

  /**
   * Every slide, the records of the last {@code windowDuration} reduced to one with {@code
   * reduceFunc} (associative and commutative); a window without records gives nothing.
   */
  default JavaDStream<T> reduceByWindow(Function2<T, T, T> reduceFunc, Duration windowDuration,
      Duration slideDuration) {
    return new JavaDStream<>(dstream().reduceByWindow(Objects.requireNonNull(reduceFunc, "reduceFunc"),
        windowDuration, slideDuration));
  }

  /**
   * Every slide, the records of the last {@code windowDuration} reduced to one, incrementally: the
   * previous window's value, {@code invReduceFunc} of the records that left, {@code reduceFunc} of
   * the records that entered. Once a value was produced, one is produced every slide (also for an
   * empty window), as in Spark. Needs a checkpoint directory.
   */
  default JavaDStream<T> reduceByWindow(Function2<T, T, T> reduceFunc, Function2<T, T, T> invReduceFunc,
      Duration windowDuration, Duration slideDuration) {
    return new JavaDStream<>(dstream().reduceByWindow(Objects.requireNonNull(reduceFunc, "reduceFunc"),
        Objects.requireNonNull(invReduceFunc, "invReduceFunc"), windowDuration, slideDuration));
  }

  /** Checkpoints this stream's datasets every {@code interval}. */
  default DStream<T> checkpoint(Duration interval) {
    return dstream().checkpoint(interval);
  }

  /** Saves every batch as text files in directory {@code prefix-<ms>[.suffix]}. */
  default void saveAsTextFiles(String prefix, String suffix) {
    dstream().saveAsTextFiles(prefix, suffix);
  }

  /** Saves every batch as files of serialized records in directory {@code prefix-<ms>[.suffix]}. */
  default void saveAsObjectFiles(String prefix, String suffix) {
    dstream().saveAsObjectFiles(prefix, suffix);
  }

  /** Internal: a hash partitioner over the context's default parallelism, Spark's default for streams. */
  default HashPartitioner defaultPartitioner() {
    return new HashPartitioner(dstream().context().engine().defaultParallelism());
  }

  /**
   * The plan of a dataset a user's transform function returned; null stays null, so the stream
   * reports "returned null" with the batch time rather than a bare NullPointerException.
   */
  private static <X> RDD<X> planOf(JavaRDDLike<X, ?> rdd) {
    return rdd == null ? null : rdd.rdd();
  }

  /** Internal: the pair view of a tuple stream. */
  static <K, V> JavaPairDStream<K, V> pairs(DStream<Tuple2<K, V>> stream) {
    return new JavaPairDStream<>(stream);
  }
}
