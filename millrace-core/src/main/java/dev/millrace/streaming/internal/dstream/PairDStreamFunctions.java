package dev.millrace.streaming.internal.dstream;

import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import dev.millrace.api.java.function.FlatMapFunction;
import dev.millrace.api.java.function.Function;
import dev.millrace.api.java.function.Function2;
import dev.millrace.internal.rdd.PairRDDFunctions;
import dev.millrace.internal.rdd.PairRDDFunctions.JoinKind;
import dev.millrace.internal.rdd.RDD;

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
}
