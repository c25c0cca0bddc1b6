package dev.millrace.streaming.api.java;

import dev.millrace.HashPartitioner;
import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaPairRDD;
import dev.millrace.api.java.Optional;
import dev.millrace.api.java.function.FlatMapFunction;
import dev.millrace.api.java.function.Function;
import dev.millrace.api.java.function.Function2;
import dev.millrace.internal.rdd.PairRDDFunctions.JoinKind;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.storage.StorageLevel;
import dev.millrace.api.java.function.Function4;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.StateSpec;
import dev.millrace.streaming.Time;
import java.util.List;
import dev.millrace.streaming.internal.dstream.DStream;
import dev.millrace.streaming.internal.dstream.PairDStreamFunctions;
import java.util.Objects;

/**
 * A stream of key/value pairs, with the per-batch key operations.
 *
 * <p>The port of Spark's {@code JavaPairDStream}. Operations without a partition count or
 * partitioner use a {@link HashPartitioner} over the context's default parallelism (the number of
 * worker threads unless configured), as Spark's streams do.
 *
 * <pre>{@code
 * JavaPairDStream<String, Integer> counts =
 *     words.mapToPair(w -> new Tuple2<>(w, 1)).reduceByKey(Integer::sum);
 * }</pre>
 *
 * @param <K> type of the keys
 * @param <V> type of the values
 */
public class JavaPairDStream<K, V> implements JavaDStreamLike<Tuple2<K, V>, JavaPairDStream<K, V>, JavaPairRDD<K, V>> {
  private final DStream<Tuple2<K, V>> dstream;

  public JavaPairDStream(DStream<Tuple2<K, V>> dstream) {
    this.dstream = Objects.requireNonNull(dstream, "dstream");
  }

  /** Views a stream of pairs as a pair stream. */
  public static <K, V> JavaPairDStream<K, V> fromJavaDStream(JavaDStream<Tuple2<K, V>> dstream) {
    return new JavaPairDStream<>(dstream.dstream());
  }

  public static <K, V> JavaPairDStream<K, V> fromPairDStream(DStream<Tuple2<K, V>> dstream) {
    return new JavaPairDStream<>(dstream);
  }

  @Override
  public DStream<Tuple2<K, V>> dstream() {
    return dstream;
  }

  @Override
  public JavaPairRDD<K, V> wrapRDD(RDD<Tuple2<K, V>> rdd) {
    return new JavaPairRDD<>(rdd);
  }

  /** The same stream as a {@link JavaDStream} of {@link Tuple2}. */
  public JavaDStream<Tuple2<K, V>> toJavaDStream() {
    return new JavaDStream<>(dstream);
  }

  // ------------------------------------------------------------ same-type

  public JavaPairDStream<K, V> filter(Function<Tuple2<K, V>, Boolean> f) {
    return new JavaPairDStream<>(dstream.filter(Objects.requireNonNull(f, "f")));
  }

  /**
   * Names this stream (Spark's {@code DStream.setName}). The name shows in messages and the UI and,
   * for a stateful or input stream, is its stable id in checkpoints: a named operator keeps its
   * state and progress across any change to the rest of the program. Call before start.
   *
   * @throws NullPointerException if {@code name} is null
   */
  public JavaPairDStream<K, V> name(String name) {
    dstream.setName(java.util.Objects.requireNonNull(name, "name"));
    return this;
  }

  public JavaPairDStream<K, V> cache() {
    dstream.cache();
    return this;
  }

  public JavaPairDStream<K, V> persist() {
    dstream.persist();
    return this;
  }

  public JavaPairDStream<K, V> persist(StorageLevel storageLevel) {
    dstream.persist(storageLevel);
    return this;
  }

  public JavaPairDStream<K, V> repartition(int numPartitions) {
    return new JavaPairDStream<>(dstream.repartition(numPartitions));
  }

  public JavaPairDStream<K, V> union(JavaPairDStream<K, V> that) {
    return new JavaPairDStream<>(dstream.union(that.dstream));
  }

  /** The dataset of batch {@code validTime}, computing it if needed; null when there is none. */
  public JavaPairRDD<K, V> compute(Time validTime) {
    RDD<Tuple2<K, V>> rdd = dstream.getOrCompute(validTime);
    return rdd == null ? null : new JavaPairRDD<>(rdd);
  }

  // ------------------------------------------------------------ per-batch aggregation

  public JavaPairDStream<K, Iterable<V>> groupByKey() {
    return groupByKey(defaultPartitioner());
  }

  public JavaPairDStream<K, Iterable<V>> groupByKey(int numPartitions) {
    return groupByKey(new HashPartitioner(numPartitions));
  }

  public JavaPairDStream<K, Iterable<V>> groupByKey(Partitioner partitioner) {
    return new JavaPairDStream<>(PairDStreamFunctions.groupByKey(dstream, partitioner));
  }

  public JavaPairDStream<K, V> reduceByKey(Function2<V, V, V> func) {
    return reduceByKey(func, defaultPartitioner());
  }

  public JavaPairDStream<K, V> reduceByKey(Function2<V, V, V> func, int numPartitions) {
    return reduceByKey(func, new HashPartitioner(numPartitions));
  }

  public JavaPairDStream<K, V> reduceByKey(Function2<V, V, V> func, Partitioner partitioner) {
    return new JavaPairDStream<>(PairDStreamFunctions.reduceByKey(dstream, Objects.requireNonNull(func, "func"),
        partitioner, "reduceByKey"));
  }

  public <C> JavaPairDStream<K, C> combineByKey(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners, Partitioner partitioner) {
    return combineByKey(createCombiner, mergeValue, mergeCombiners, partitioner, true);
  }

  public <C> JavaPairDStream<K, C> combineByKey(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners, Partitioner partitioner, boolean mapSideCombine) {
    return new JavaPairDStream<>(PairDStreamFunctions.combineByKey(dstream, createCombiner, mergeValue,
        mergeCombiners, partitioner, mapSideCombine, "combineByKey"));
  }

  public <U> JavaPairDStream<K, U> mapValues(Function<V, U> f) {
    return new JavaPairDStream<>(PairDStreamFunctions.mapValues(dstream, Objects.requireNonNull(f, "f")));
  }

  public <U> JavaPairDStream<K, U> flatMapValues(FlatMapFunction<V, U> f) {
    return new JavaPairDStream<>(PairDStreamFunctions.flatMapValues(dstream, Objects.requireNonNull(f, "f")));
  }

  // ------------------------------------------------------------ joins, batch with batch

  public <W> JavaPairDStream<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(JavaPairDStream<K, W> other) {
    return cogroup(other, defaultPartitioner());
  }

  public <W> JavaPairDStream<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(JavaPairDStream<K, W> other,
      int numPartitions) {
    return cogroup(other, new HashPartitioner(numPartitions));
  }

  public <W> JavaPairDStream<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(JavaPairDStream<K, W> other,
      Partitioner partitioner) {
    return new JavaPairDStream<>(PairDStreamFunctions.cogroup(dstream, other.dstream, partitioner));
  }

  public <W> JavaPairDStream<K, Tuple2<V, W>> join(JavaPairDStream<K, W> other) {
    return join(other, defaultPartitioner());
  }

  public <W> JavaPairDStream<K, Tuple2<V, W>> join(JavaPairDStream<K, W> other, int numPartitions) {
    return join(other, new HashPartitioner(numPartitions));
  }

  public <W> JavaPairDStream<K, Tuple2<V, W>> join(JavaPairDStream<K, W> other, Partitioner partitioner) {
    return new JavaPairDStream<>(PairDStreamFunctions.join(dstream, other.dstream, partitioner, JoinKind.INNER));
  }

  public <W> JavaPairDStream<K, Tuple2<V, Optional<W>>> leftOuterJoin(JavaPairDStream<K, W> other) {
    return leftOuterJoin(other, defaultPartitioner());
  }

  public <W> JavaPairDStream<K, Tuple2<V, Optional<W>>> leftOuterJoin(JavaPairDStream<K, W> other,
      int numPartitions) {
    return leftOuterJoin(other, new HashPartitioner(numPartitions));
  }

  public <W> JavaPairDStream<K, Tuple2<V, Optional<W>>> leftOuterJoin(JavaPairDStream<K, W> other,
      Partitioner partitioner) {
    return new JavaPairDStream<>(PairDStreamFunctions.join(dstream, other.dstream, partitioner, JoinKind.LEFT_OUTER));
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, W>> rightOuterJoin(JavaPairDStream<K, W> other) {
    return rightOuterJoin(other, defaultPartitioner());
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, W>> rightOuterJoin(JavaPairDStream<K, W> other,
      int numPartitions) {
    return rightOuterJoin(other, new HashPartitioner(numPartitions));
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, W>> rightOuterJoin(JavaPairDStream<K, W> other,
      Partitioner partitioner) {
    return new JavaPairDStream<>(
        PairDStreamFunctions.join(dstream, other.dstream, partitioner, JoinKind.RIGHT_OUTER));
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(JavaPairDStream<K, W> other) {
    return fullOuterJoin(other, defaultPartitioner());
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(JavaPairDStream<K, W> other,
      int numPartitions) {
    return fullOuterJoin(other, new HashPartitioner(numPartitions));
  }

  public <W> JavaPairDStream<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(JavaPairDStream<K, W> other,
      Partitioner partitioner) {
    return new JavaPairDStream<>(PairDStreamFunctions.join(dstream, other.dstream, partitioner, JoinKind.FULL_OUTER));
  }

  // ------------------------------------------------------------ windows

  /** The union of this stream's datasets in the last {@code windowDuration}, every batch. */
  public JavaPairDStream<K, V> window(Duration windowDuration) {
    return new JavaPairDStream<>(dstream.window(windowDuration));
  }

  /**
   * The union of this stream's datasets in the last {@code windowDuration}, every {@code
   * slideDuration}.
   *
   * @throws IllegalArgumentException if the window or slide is not a multiple of the batch interval
   */
  public JavaPairDStream<K, V> window(Duration windowDuration, Duration slideDuration) {
    return new JavaPairDStream<>(dstream.window(windowDuration, slideDuration));
  }

  /** The values of each key in the last {@code windowDuration}, every batch. */
  public JavaPairDStream<K, Iterable<V>> groupByKeyAndWindow(Duration windowDuration) {
    return groupByKeyAndWindow(windowDuration, dstream.slideDuration(), defaultPartitioner());
  }

  /** The values of each key in the last {@code windowDuration}, every {@code slideDuration}. */
  public JavaPairDStream<K, Iterable<V>> groupByKeyAndWindow(Duration windowDuration, Duration slideDuration) {
    return groupByKeyAndWindow(windowDuration, slideDuration, defaultPartitioner());
  }

  public JavaPairDStream<K, Iterable<V>> groupByKeyAndWindow(Duration windowDuration, Duration slideDuration,
      int numPartitions) {
    return groupByKeyAndWindow(windowDuration, slideDuration, new HashPartitioner(numPartitions));
  }

  public JavaPairDStream<K, Iterable<V>> groupByKeyAndWindow(Duration windowDuration, Duration slideDuration,
      Partitioner partitioner) {
    return new JavaPairDStream<>(PairDStreamFunctions.groupByKeyAndWindow(dstream, windowDuration, slideDuration,
        Objects.requireNonNull(partitioner, "partitioner")));
  }

  /** The values of each key in the last {@code windowDuration} reduced with {@code reduceFunc}, every batch. */
  public JavaPairDStream<K, V> reduceByKeyAndWindow(Function2<V, V, V> reduceFunc, Duration windowDuration) {
    return reduceByKeyAndWindow(reduceFunc, windowDuration, dstream.slideDuration(), defaultPartitioner());
  }

  public JavaPairDStream<K, V> reduceByKeyAndWindow(Function2<V, V, V> reduceFunc, Duration windowDuration,
      Duration slideDuration) {
    return reduceByKeyAndWindow(reduceFunc, windowDuration, slideDuration, defaultPartitioner());
  }

  public JavaPairDStream<K, V> reduceByKeyAndWindow(Function2<V, V, V> reduceFunc, Duration windowDuration,
      Duration slideDuration, int numPartitions) {
    return reduceByKeyAndWindow(reduceFunc, windowDuration, slideDuration, new HashPartitioner(numPartitions));
  }

  /**
   * Every {@code slideDuration}, the values of each key in the last {@code windowDuration} reduced
   * with {@code reduceFunc}: each batch is reduced by key, the window's reduced batches are reduced
   * again. Keys without values in the window are absent.
   *
   * @throws IllegalArgumentException if the window or slide is not a multiple of the batch interval
   */
  public JavaPairDStream<K, V> reduceByKeyAndWindow(Function2<V, V, V> reduceFunc, Duration windowDuration,
      Duration slideDuration, Partitioner partitioner) {
    return new JavaPairDStream<>(PairDStreamFunctions.reduceByKeyAndWindow(dstream, reduceFunc, windowDuration,
        slideDuration, Objects.requireNonNull(partitioner, "partitioner")));
  }

  /**
   * The incremental form: every {@code slideDuration}, each key's previous window value with {@code
   * invReduceFunc} of the values that left the window and {@code reduceFunc} of those that entered.
   * A key stays once it appeared, also when its value returns to the "zero" (e.g. count 0); use the
   * overload with a filter function to drop such keys. Needs a checkpoint directory.
   */
  public JavaPairDStream<K, V> reduceByKeyAndWindow(Function2<V, V, V> reduceFunc, Function2<V, V, V> invReduceFunc,
      Duration windowDuration, Duration slideDuration) {
    return reduceByKeyAndWindow(reduceFunc, invReduceFunc, windowDuration, slideDuration, defaultPartitioner(),
        null);
  }

  /** The incremental form over {@code numPartitions} partitions; {@code filterFunc} (may be null) keeps keys. */
  public JavaPairDStream<K, V> reduceByKeyAndWindow(Function2<V, V, V> reduceFunc, Function2<V, V, V> invReduceFunc,
      Duration windowDuration, Duration slideDuration, int numPartitions, Function<Tuple2<K, V>, Boolean> filterFunc) {
    return reduceByKeyAndWindow(reduceFunc, invReduceFunc, windowDuration, slideDuration,
        new HashPartitioner(numPartitions), filterFunc);
  }

  /**
   * The incremental form partitioned by {@code partitioner}; after each window, only the pairs
   * {@code filterFunc} accepts are kept (all when it is null).
   *
   * @throws IllegalArgumentException if the window or slide is not a multiple of the batch interval
   */
  public JavaPairDStream<K, V> reduceByKeyAndWindow(Function2<V, V, V> reduceFunc, Function2<V, V, V> invReduceFunc,
      Duration windowDuration, Duration slideDuration, Partitioner partitioner,
      Function<Tuple2<K, V>, Boolean> filterFunc) {
    return new JavaPairDStream<>(PairDStreamFunctions.reduceByKeyAndWindow(dstream,
        Objects.requireNonNull(reduceFunc, "reduceFunc"), Objects.requireNonNull(invReduceFunc, "invReduceFunc"),
        windowDuration, slideDuration, Objects.requireNonNull(partitioner, "partitioner"), filterFunc));
  }

  // ------------------------------------------------------------ state

  /**
   * A state per key, updated every batch: {@code updateFunc(values of the batch, previous state)} is
   * called for every key that has a state or values (so for every key, every batch, as in Spark);
   * an empty result removes the key. Needs a checkpoint directory.
   *
   * <pre>{@code
   * JavaPairDStream<String, Integer> totals = counts.updateStateByKey(
   *     (values, state) -> Optional.of(state.orElse(0) + values.stream().mapToInt(Integer::intValue).sum()));
   * }</pre>
   */
  public <S> JavaPairDStream<K, S> updateStateByKey(Function2<List<V>, Optional<S>, Optional<S>> updateFunc) {
    return updateStateByKey(updateFunc, defaultPartitioner());
  }

  public <S> JavaPairDStream<K, S> updateStateByKey(Function2<List<V>, Optional<S>, Optional<S>> updateFunc,
      int numPartitions) {
    return updateStateByKey(updateFunc, new HashPartitioner(numPartitions));
  }

  public <S> JavaPairDStream<K, S> updateStateByKey(Function2<List<V>, Optional<S>, Optional<S>> updateFunc,
      Partitioner partitioner) {
    Objects.requireNonNull(updateFunc, "updateFunc");
    return new JavaPairDStream<>(PairDStreamFunctions.<K, V, S>updateStateByKey(dstream,
        (time, key, values, state) -> updateFunc.call(values, state), partitioner, true, null));
  }

  /** As {@link #updateStateByKey(Function2, Partitioner)}, starting from the states in {@code initialRDD}. */
  public <S> JavaPairDStream<K, S> updateStateByKey(Function2<List<V>, Optional<S>, Optional<S>> updateFunc,
      Partitioner partitioner, JavaPairRDD<K, S> initialRDD) {
    Objects.requireNonNull(updateFunc, "updateFunc");
    return new JavaPairDStream<>(PairDStreamFunctions.<K, V, S>updateStateByKey(dstream,
        (time, key, values, state) -> updateFunc.call(values, state), partitioner, true,
        Objects.requireNonNull(initialRDD, "initialRDD").rdd()));
  }

  /**
   * The time-aware form of Spark's Scala API: {@code updateFunc(batch time, key, values, state)}.
   * {@code rememberPartitioner} keeps the state partitioned by {@code partitioner} between batches.
   */
  public <S> JavaPairDStream<K, S> updateStateByKey(
      Function4<Time, K, List<V>, Optional<S>, Optional<S>> updateFunc, Partitioner partitioner,
      boolean rememberPartitioner) {
    return new JavaPairDStream<>(PairDStreamFunctions.updateStateByKey(dstream, updateFunc,
        Objects.requireNonNull(partitioner, "partitioner"), rememberPartitioner, null));
  }

  /** The time-aware form, starting from the states in {@code initialRDD}. */
  public <S> JavaPairDStream<K, S> updateStateByKey(
      Function4<Time, K, List<V>, Optional<S>, Optional<S>> updateFunc, Partitioner partitioner,
      boolean rememberPartitioner, JavaPairRDD<K, S> initialRDD) {
    return new JavaPairDStream<>(PairDStreamFunctions.updateStateByKey(dstream, updateFunc,
        Objects.requireNonNull(partitioner, "partitioner"), rememberPartitioner,
        Objects.requireNonNull(initialRDD, "initialRDD").rdd()));
  }

  /**
   * Per key state kept with {@code spec}'s function, which is called only for keys with records in
   * the batch and for keys timing out. Needs a checkpoint directory.
   *
   * @see StateSpec
   */
  public <S, E> JavaMapWithStateDStream<K, V, S, E> mapWithState(StateSpec<K, V, S, E> spec) {
    return new JavaMapWithStateDStream<>(PairDStreamFunctions.mapWithState(dstream,
        Objects.requireNonNull(spec, "spec")));
  }

  @Override
  public String toString() {
    return dstream.toString();
  }
}
