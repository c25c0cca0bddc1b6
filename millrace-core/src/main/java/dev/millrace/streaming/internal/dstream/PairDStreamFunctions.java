package dev.millrace.streaming.internal.dstream;

import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import dev.millrace.api.java.function.FlatMapFunction;
import dev.millrace.api.java.function.Function;
import dev.millrace.api.java.function.Function2;
import dev.millrace.internal.rdd.PairRDDFunctions;
import dev.millrace.internal.rdd.PairRDDFunctions.JoinKind;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.api.java.Optional;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.StateSpec;
import dev.millrace.streaming.Time;

/** The key/value operations on streams of {@link Tuple2}, with Spark's semantics. */
public final class PairDStreamFunctions {
  private PairDStreamFunctions() {}

  public static <K, V, C> DStream<Tuple2<K, C>> combineByKey(DStream<Tuple2<K, V>> stream,
      Function<V, C> createCombiner, Function2<C, V, C> mergeValue, Function2<C, C, C> mergeCombiners,
      Partitioner partitioner, boolean mapSideCombine, String operation) {
    return new ShuffledDStream<>(stream, createCombiner, mergeValue, mergeCombiners, partitioner, mapSideCombine,
        operation);
  }

  public static <K, V> DStream<Tuple2<K, V>> reduceByKey(DStream<Tuple2<K, V>> stream, Function2<V, V, V> f,
      Partitioner partitioner, String operation) {
    return combineByKey(stream, v -> v, f, f, partitioner, true, operation);
  }

  public static <K, V> DStream<Tuple2<K, Iterable<V>>> groupByKey(DStream<Tuple2<K, V>> stream,
      Partitioner partitioner) {
    return stream.transform("groupByKey", (rdd, t) -> PairRDDFunctions.groupByKey(rdd, partitioner));
  }

  public static <K, V, W> DStream<Tuple2<K, W>> mapValues(DStream<Tuple2<K, V>> stream, Function<V, W> f) {
    return new MapValuedDStream<>(stream, f);
  }

  public static <K, V, W> DStream<Tuple2<K, W>> flatMapValues(DStream<Tuple2<K, V>> stream,
      FlatMapFunction<V, W> f) {
    return new FlatMapValuedDStream<>(stream, f);
  }

  public static <K, V, W, R> DStream<Tuple2<K, R>> join(DStream<Tuple2<K, V>> a, DStream<Tuple2<K, W>> b,
      Partitioner partitioner, JoinKind kind) {
    return a.transformWith(b, kind.name().toLowerCase(java.util.Locale.ROOT),
        (RDD<Tuple2<K, V>> x, RDD<Tuple2<K, W>> y, dev.millrace.streaming.Time t) ->
            PairRDDFunctions.<K, V, W, R>join(x, y, partitioner, kind));
  }

  public static <K, V, W> DStream<Tuple2<K, Tuple2<Iterable<V>, Iterable<W>>>> cogroup(DStream<Tuple2<K, V>> a,
      DStream<Tuple2<K, W>> b, Partitioner partitioner) {
    return a.transformWith(b, "cogroup", (RDD<Tuple2<K, V>> x, RDD<Tuple2<K, W>> y, dev.millrace.streaming.Time t) ->
        PairRDDFunctions.cogroup(x, y, partitioner));
  }

  // ------------------------------------------------------------ windows

  /** Spark's {@code reduceByKeyAndWindow} without inverse: per-batch reduce, window, reduce again. */
  public static <K, V> DStream<Tuple2<K, V>> reduceByKeyAndWindow(DStream<Tuple2<K, V>> stream,
      Function2<V, V, V> reduceFunc, Duration windowDuration, Duration slideDuration, Partitioner partitioner) {
    java.util.Objects.requireNonNull(reduceFunc, "reduceFunc");
    DStream<Tuple2<K, V>> windowed = reduceByKey(stream, reduceFunc, partitioner, "reduceByKeyAndWindow")
        .window(windowDuration, slideDuration);
    return reduceByKey(windowed, reduceFunc, partitioner, "reduceByKeyAndWindow");
  }

  /**
   * Spark's incremental {@code reduceByKeyAndWindow}; {@code filterFunc} (may be null) keeps the
   * keys it accepts.
   */
  public static <K, V> DStream<Tuple2<K, V>> reduceByKeyAndWindow(DStream<Tuple2<K, V>> stream,
      Function2<V, V, V> reduceFunc, Function2<V, V, V> invReduceFunc, Duration windowDuration,
      Duration slideDuration, Partitioner partitioner, Function<Tuple2<K, V>, Boolean> filterFunc) {
    return new ReducedWindowedDStream<>(stream, reduceFunc, invReduceFunc, filterFunc, windowDuration,
        slideDuration, partitioner);
  }

  /** Spark's {@code groupByKeyAndWindow}: per-batch groupByKey, window, then the groups merged by key. */
  public static <K, V> DStream<Tuple2<K, Iterable<V>>> groupByKeyAndWindow(DStream<Tuple2<K, V>> stream,
      Duration windowDuration, Duration slideDuration, Partitioner partitioner) {
    DStream<Tuple2<K, Iterable<V>>> windowed = groupByKey(stream, partitioner).window(windowDuration, slideDuration);
    DStream<Tuple2<K, java.util.ArrayList<V>>> merged = combineByKey(windowed,
        (Iterable<V> vs) -> {
          java.util.ArrayList<V> buf = new java.util.ArrayList<>();
          vs.forEach(buf::add);
          return buf;
        },
        (java.util.ArrayList<V> buf, Iterable<V> vs) -> {
          vs.forEach(buf::add);
          return buf;
        },
        (java.util.ArrayList<V> a, java.util.ArrayList<V> b) -> {
          a.addAll(b);
          return a;
        }, partitioner, true, "groupByKeyAndWindow");
    @SuppressWarnings("unchecked")
    DStream<Tuple2<K, Iterable<V>>> out = (DStream<Tuple2<K, Iterable<V>>>) (DStream<?>) merged;
    return out;
  }

  // ------------------------------------------------------------ state

  /**
   * Spark's {@code updateStateByKey} in its time-aware per-key form: {@code updateFunc(time, key,
   * values, state)} for every key with a state or values, every batch; an empty result removes the
   * key. {@code initialRDD} may be null.
   */
  public static <K, V, S> DStream<Tuple2<K, S>> updateStateByKey(DStream<Tuple2<K, V>> stream,
      dev.millrace.api.java.function.Function4<Time, K, java.util.List<V>, Optional<S>, Optional<S>> updateFunc,
      Partitioner partitioner, boolean rememberPartitioner, RDD<Tuple2<K, S>> initialRDD) {
    java.util.Objects.requireNonNull(updateFunc, "updateFunc");
    return new StateDStream<K, V, S>(stream, updateFunc::call, partitioner, rememberPartitioner, initialRDD);
  }

  /** Spark's {@code mapWithState}: the mapped records; see {@link #stateSnapshots}. */
  public static <K, V, S, E> DStream<E> mapWithState(DStream<Tuple2<K, V>> stream, StateSpec<K, V, S, E> spec) {
    return new MappedWithStateDStream<>(new MapWithStateDStream<>(stream, spec));
  }

  /**
   * The state snapshots of a stream returned by {@link #mapWithState}: every key and its state
   * after each batch.
   *
   * @throws IllegalArgumentException if {@code mapped} was not made by {@code mapWithState}
   */
  @SuppressWarnings("unchecked")
  public static <K, S> DStream<Tuple2<K, S>> stateSnapshots(DStream<?> mapped) {
    if (!(mapped instanceof MappedWithStateDStream)) {
      throw new IllegalArgumentException(mapped + " is not a mapWithState stream");
    }
    return ((MappedWithStateDStream<K, ?, S, ?>) mapped).stateSnapshots();
  }
}
