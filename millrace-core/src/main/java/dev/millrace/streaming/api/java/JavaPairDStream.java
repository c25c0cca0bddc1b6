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
import dev.millrace.streaming.Time;
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

  @Override
  public String toString() {
    return dstream.toString();
  }
}
