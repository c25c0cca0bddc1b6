package dev.millrace.api.java;

import dev.millrace.HashPartitioner;
import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import dev.millrace.api.java.function.FlatMapFunction;
import dev.millrace.api.java.function.Function;
import dev.millrace.api.java.function.Function2;
import dev.millrace.internal.rdd.PairRDDFunctions;
import dev.millrace.internal.rdd.PairRDDFunctions.JoinKind;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.storage.StorageLevel;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A partitioned dataset of key/value pairs, with the key-based operations.
 *
 * <p>The port of Spark's {@code JavaPairRDD}. Operations without a partition count or partitioner
 * use Spark's default: the configured default parallelism if set, otherwise the largest parent's
 * partition count. Keys are compared with {@code equals}/{@code hashCode}.
 *
 * <pre>{@code
 * JavaPairRDD<String, Integer> counts = words.mapToPair(w -> new Tuple2<>(w, 1)).reduceByKey(Integer::sum);
 * }</pre>
 *
 * @param <K> type of the keys
 * @param <V> type of the values
 */
public final class JavaPairRDD<K, V> implements JavaRDDLike<Tuple2<K, V>, JavaPairRDD<K, V>> {
  private final RDD<Tuple2<K, V>> rdd;

  public JavaPairRDD(RDD<Tuple2<K, V>> rdd) {
    this.rdd = Objects.requireNonNull(rdd, "rdd");
  }

  /** Views a dataset of pairs as a pair dataset. */
  public static <K, V> JavaPairRDD<K, V> fromJavaRDD(JavaRDD<Tuple2<K, V>> rdd) {
    return new JavaPairRDD<>(rdd.rdd());
  }

  /** Wraps a plan. */
  public static <K, V> JavaPairRDD<K, V> fromRDD(RDD<Tuple2<K, V>> rdd) {
    return new JavaPairRDD<>(rdd);
  }

  @Override
  public RDD<Tuple2<K, V>> rdd() {
    return rdd;
  }

  @Override
  public JavaPairRDD<K, V> wrapRDD(RDD<Tuple2<K, V>> rdd) {
    return new JavaPairRDD<>(rdd);
  }

  private Partitioner defaultPartitioner(RDD<?>... others) {
    return PairRDDFunctions.defaultPartitioner(rdd, others);
  }

  /** The pairs as a plain dataset of {@link Tuple2}. */
  public JavaRDD<Tuple2<K, V>> toRDD() {
    return new JavaRDD<>(rdd);
  }

  // ------------------------------------------------------------ same-type transformations

  public JavaPairRDD<K, V> filter(Function<Tuple2<K, V>, Boolean> f) {
    return new JavaPairRDD<>(rdd.filter(Objects.requireNonNull(f, "f")));
  }

  public JavaPairRDD<K, V> distinct() {
    return distinct(Math.max(1, rdd.numPartitions()));
  }

  public JavaPairRDD<K, V> distinct(int numPartitions) {
    return new JavaPairRDD<>(rdd.distinct(numPartitions));
  }

  public JavaPairRDD<K, V> union(JavaPairRDD<K, V> other) {
    return new JavaPairRDD<>(rdd.union(other.rdd));
  }

  public JavaPairRDD<K, V> repartition(int numPartitions) {
    return new JavaPairRDD<>(rdd.repartition(numPartitions));
  }

  public JavaPairRDD<K, V> coalesce(int numPartitions) {
    return coalesce(numPartitions, false);
  }

  public JavaPairRDD<K, V> coalesce(int numPartitions, boolean shuffle) {
    return new JavaPairRDD<>(rdd.coalesce(numPartitions, shuffle));
  }

  public JavaPairRDD<K, V> cache() {
    return persist(StorageLevel.MEMORY_ONLY());
  }

  public JavaPairRDD<K, V> persist(StorageLevel level) {
    rdd.persist(level);
    return this;
  }

  public JavaPairRDD<K, V> unpersist() {
    rdd.unpersist();
    return this;
  }

  public JavaPairRDD<K, V> unpersist(boolean blocking) {
    return unpersist();
  }

  /** Redistributes the pairs by {@code partitioner}; a no-op if already partitioned by an equal one. */
  public JavaPairRDD<K, V> partitionBy(Partitioner partitioner) {
    return new JavaPairRDD<>(PairRDDFunctions.partitionBy(rdd, partitioner));
  }

  // ------------------------------------------------------------ keys and values

  public JavaRDD<K> keys() {
    return new JavaRDD<>(rdd.map(Tuple2::_1));
  }

  public JavaRDD<V> values() {
    return new JavaRDD<>(rdd.map(Tuple2::_2));
  }

  /** Applies {@code f} to each value, keeping keys and partitioning. */
  public <U> JavaPairRDD<K, U> mapValues(Function<V, U> f) {
    return new JavaPairRDD<>(PairRDDFunctions.mapValues(rdd, Objects.requireNonNull(f, "f")));
  }

  /** Replaces each value by zero or more values, keeping keys and partitioning. */
  public <U> JavaPairRDD<K, U> flatMapValues(FlatMapFunction<V, U> f) {
    return new JavaPairRDD<>(PairRDDFunctions.flatMapValues(rdd, Objects.requireNonNull(f, "f")));
  }

  // ------------------------------------------------------------ aggregation

  public <C> JavaPairRDD<K, C> combineByKey(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners, Partitioner partitioner, boolean mapSideCombine) {
    return new JavaPairRDD<>(PairRDDFunctions.combineByKey(rdd, createCombiner, mergeValue, mergeCombiners,
        partitioner, mapSideCombine, "combineByKey"));
  }

  public <C> JavaPairRDD<K, C> combineByKey(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners, Partitioner partitioner) {
    return combineByKey(createCombiner, mergeValue, mergeCombiners, partitioner, true);
  }

  public <C> JavaPairRDD<K, C> combineByKey(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners, int numPartitions) {
    return combineByKey(createCombiner, mergeValue, mergeCombiners, new HashPartitioner(numPartitions));
  }

  public <C> JavaPairRDD<K, C> combineByKey(Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners) {
    return combineByKey(createCombiner, mergeValue, mergeCombiners, defaultPartitioner());
  }

  public JavaPairRDD<K, V> reduceByKey(Partitioner partitioner, Function2<V, V, V> func) {
    return new JavaPairRDD<>(PairRDDFunctions.reduceByKey(rdd, Objects.requireNonNull(func, "func"), partitioner,
        "reduceByKey"));
  }

  public JavaPairRDD<K, V> reduceByKey(Function2<V, V, V> func, int numPartitions) {
    return reduceByKey(new HashPartitioner(numPartitions), func);
  }

  public JavaPairRDD<K, V> reduceByKey(Function2<V, V, V> func) {
    return reduceByKey(defaultPartitioner(), func);
  }

  public JavaPairRDD<K, Iterable<V>> groupByKey(Partitioner partitioner) {
    return new JavaPairRDD<>(PairRDDFunctions.groupByKey(rdd, partitioner));
  }

  public JavaPairRDD<K, Iterable<V>> groupByKey(int numPartitions) {
    return groupByKey(new HashPartitioner(numPartitions));
  }

  public JavaPairRDD<K, Iterable<V>> groupByKey() {
    return groupByKey(defaultPartitioner());
  }

  public <U> JavaPairRDD<K, U> aggregateByKey(U zeroValue, Partitioner partitioner, Function2<U, V, U> seqFunc,
      Function2<U, U, U> combFunc) {
    return new JavaPairRDD<>(PairRDDFunctions.aggregateByKey(rdd, zeroValue, seqFunc, combFunc, partitioner));
  }

  public <U> JavaPairRDD<K, U> aggregateByKey(U zeroValue, int numPartitions, Function2<U, V, U> seqFunc,
      Function2<U, U, U> combFunc) {
    return aggregateByKey(zeroValue, new HashPartitioner(numPartitions), seqFunc, combFunc);
  }

  public <U> JavaPairRDD<K, U> aggregateByKey(U zeroValue, Function2<U, V, U> seqFunc, Function2<U, U, U> combFunc) {
    return aggregateByKey(zeroValue, defaultPartitioner(), seqFunc, combFunc);
  }

  public JavaPairRDD<K, V> foldByKey(V zeroValue, Partitioner partitioner, Function2<V, V, V> func) {
    return new JavaPairRDD<>(PairRDDFunctions.foldByKey(rdd, zeroValue, func, partitioner));
  }

  public JavaPairRDD<K, V> foldByKey(V zeroValue, int numPartitions, Function2<V, V, V> func) {
    return foldByKey(zeroValue, new HashPartitioner(numPartitions), func);
  }

  public JavaPairRDD<K, V> foldByKey(V zeroValue, Function2<V, V, V> func) {
    return foldByKey(zeroValue, defaultPartitioner(), func);
  }

  /** Number of pairs per key. */
  public Map<K, Long> countByKey() {
    return PairRDDFunctions.countByKey(rdd);
  }

  /** The pairs as a map; for a key that occurs more than once, one of its values is kept. */
  public Map<K, V> collectAsMap() {
    Map<K, V> out = new HashMap<>();
    for (Tuple2<K, V> t : rdd.collect()) {
      out.put(t._1(), t._2());
    }
    return out;
  }

  /** Every value of {@code key}. */
  public List<V> lookup(K key) {
    return filter(t -> Objects.equals(t._1(), key)).values().collect();
  }

  // ------------------------------------------------------------ joins

  public <W> JavaPairRDD<K, Tuple2<V, W>> join(JavaPairRDD<K, W> other, Partitioner partitioner) {
    return new JavaPairRDD<>(PairRDDFunctions.join(rdd, other.rdd, partitioner, JoinKind.INNER));
  }

  public <W> JavaPairRDD<K, Tuple2<V, W>> join(JavaPairRDD<K, W> other, int numPartitions) {
    return join(other, new HashPartitioner(numPartitions));
  }

  public <W> JavaPairRDD<K, Tuple2<V, W>> join(JavaPairRDD<K, W> other) {
    return join(other, defaultPartitioner(other.rdd));
  }

  public <W> JavaPairRDD<K, Tuple2<V, Optional<W>>> leftOuterJoin(JavaPairRDD<K, W> other, Partitioner partitioner) {
    return new JavaPairRDD<>(PairRDDFunctions.join(rdd, other.rdd, partitioner, JoinKind.LEFT_OUTER));
  }

  public <W> JavaPairRDD<K, Tuple2<V, Optional<W>>> leftOuterJoin(JavaPairRDD<K, W> other, int numPartitions) {
    return leftOuterJoin(other, new HashPartitioner(numPartitions));
  }

  public <W> JavaPairRDD<K, Tuple2<V, Optional<W>>> leftOuterJoin(JavaPairRDD<K, W> other) {
    return leftOuterJoin(other, defaultPartitioner(other.rdd));
  }

  public <W> JavaPairRDD<K, Tuple2<Optional<V>, W>> rightOuterJoin(JavaPairRDD<K, W> other, Partitioner partitioner) {
    return new JavaPairRDD<>(PairRDDFunctions.join(rdd, other.rdd, partitioner, JoinKind.RIGHT_OUTER));
  }

  public <W> JavaPairRDD<K, Tuple2<Optional<V>, W>> rightOuterJoin(JavaPairRDD<K, W> other, int numPartitions) {
    return rightOuterJoin(other, new HashPartitioner(numPartitions));
  }

  public <W> JavaPairRDD<K, Tuple2<Optional<V>, W>> rightOuterJoin(JavaPairRDD<K, W> other) {
    return rightOuterJoin(other, defaultPartitioner(other.rdd));
  }

  public <W> JavaPairRDD<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(JavaPairRDD<K, W> other,
      Partitioner partitioner) {
    return new JavaPairRDD<>(PairRDDFunctions.join(rdd, other.rdd, partitioner, JoinKind.FULL_OUTER));
  }

  public <W> JavaPairRDD<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(JavaPairRDD<K, W> other,
      int numPartitions) {
    return fullOuterJoin(other, new HashPartitioner(numPartitions));
  }

  public <W> JavaPairRDD<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(JavaPairRDD<K, W> other) {
    return fullOuterJoin(other, defaultPartitioner(other.rdd));
  }

  public <W> JavaPairRDD<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(JavaPairRDD<K, W> other,
      Partitioner partitioner) {
    return new JavaPairRDD<>(PairRDDFunctions.cogroup(rdd, other.rdd, partitioner));
  }

  public <W> JavaPairRDD<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(JavaPairRDD<K, W> other, int numPartitions) {
    return cogroup(other, new HashPartitioner(numPartitions));
  }

  public <W> JavaPairRDD<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(JavaPairRDD<K, W> other) {
    return cogroup(other, defaultPartitioner(other.rdd));
  }

  // ------------------------------------------------------------ sorting

  public JavaPairRDD<K, V> sortByKey() {
    return sortByKey(true);
  }

  public JavaPairRDD<K, V> sortByKey(boolean ascending) {
    return sortByKey(ascending, rdd.numPartitions());
  }

  public JavaPairRDD<K, V> sortByKey(boolean ascending, int numPartitions) {
    return new JavaPairRDD<>(PairRDDFunctions.sortByKey(rdd, ascending, numPartitions, null));
  }

  public JavaPairRDD<K, V> sortByKey(Comparator<K> comp) {
    return sortByKey(comp, true);
  }

  public JavaPairRDD<K, V> sortByKey(Comparator<K> comp, boolean ascending) {
    return sortByKey(comp, ascending, rdd.numPartitions());
  }

  public JavaPairRDD<K, V> sortByKey(Comparator<K> comp, boolean ascending, int numPartitions) {
    return new JavaPairRDD<>(PairRDDFunctions.sortByKey(rdd, ascending, numPartitions, comp));
  }

  @Override
  public String toString() {
    return rdd.toString();
  }
}
