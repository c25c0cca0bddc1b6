package dev.millrace.api.java;

import dev.millrace.Tuple2;
import dev.millrace.api.java.function.FlatMapFunction;
import dev.millrace.api.java.function.Function;
import dev.millrace.api.java.function.Function2;
import dev.millrace.api.java.function.PairFlatMapFunction;
import dev.millrace.api.java.function.PairFunction;
import dev.millrace.api.java.function.VoidFunction;
import dev.millrace.internal.rdd.PairRDDFunctions;
import dev.millrace.internal.rdd.RDD;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The operations shared by {@link JavaRDD} and {@link JavaPairRDD}, as in Spark's interface of the
 * same name: transformations that change the record type, and the actions.
 *
 * <p>Transformations are lazy and return a new dataset; actions run the plan on the context's
 * runtime and block until it finishes. A user function that throws fails the action with a
 * {@link dev.millrace.MillraceException} naming the operation.
 *
 * @param <T> type of the records
 * @param <This> the concrete wrapper type
 */
public interface JavaRDDLike<T, This extends JavaRDDLike<T, This>> {

  /** The underlying plan. */
  RDD<T> rdd();

  /** Wraps a plan of the same record type in this wrapper type. */
  This wrapRDD(RDD<T> rdd);

  /** The dataset's id, unique within its context. */
  default int id() {
    return rdd().id();
  }

  default int getNumPartitions() {
    return rdd().numPartitions();
  }

  default <R> JavaRDD<R> map(Function<T, R> f) {
    return new JavaRDD<>(rdd().map(Objects.requireNonNull(f, "f")));
  }

  default <U> JavaRDD<U> flatMap(FlatMapFunction<T, U> f) {
    return new JavaRDD<>(rdd().flatMap(Objects.requireNonNull(f, "f")));
  }

  default <K2, V2> JavaPairRDD<K2, V2> mapToPair(PairFunction<T, K2, V2> f) {
    Objects.requireNonNull(f, "f");
    return new JavaPairRDD<>(rdd().map(f::call, "mapToPair"));
  }

  default <K2, V2> JavaPairRDD<K2, V2> flatMapToPair(PairFlatMapFunction<T, K2, V2> f) {
    Objects.requireNonNull(f, "f");
    return new JavaPairRDD<>(rdd().flatMap(f::call, "flatMapToPair"));
  }

  default <U> JavaRDD<U> mapPartitions(FlatMapFunction<Iterator<T>, U> f) {
    return new JavaRDD<>(rdd().mapPartitions(Objects.requireNonNull(f, "f"), false));
  }

  default <U> JavaRDD<U> mapPartitions(FlatMapFunction<Iterator<T>, U> f, boolean preservesPartitioning) {
    return new JavaRDD<>(rdd().mapPartitions(Objects.requireNonNull(f, "f"), preservesPartitioning));
  }

  default <K2, V2> JavaPairRDD<K2, V2> mapPartitionsToPair(PairFlatMapFunction<Iterator<T>, K2, V2> f) {
    Objects.requireNonNull(f, "f");
    return new JavaPairRDD<>(rdd().mapPartitions(f::call, false, "mapPartitionsToPair"));
  }

  default <R> JavaRDD<R> mapPartitionsWithIndex(
      Function2<Integer, Iterator<T>, Iterator<R>> f, boolean preservesPartitioning) {
    return new JavaRDD<>(rdd().mapPartitionsWithIndex(Objects.requireNonNull(f, "f"), preservesPartitioning));
  }

  /** One record per partition: the list of the partition's records. */
  default JavaRDD<List<T>> glom() {
    return new JavaRDD<>(rdd().glom());
  }

  /** Pairs each record with the key {@code f} gives it. */
  default <U> JavaPairRDD<U, T> keyBy(Function<T, U> f) {
    Objects.requireNonNull(f, "f");
    return new JavaPairRDD<>(rdd().map(x -> new Tuple2<>(f.call(x), x), "keyBy"));
  }

  /** Groups the records by the key {@code f} gives them. */
  default <U> JavaPairRDD<U, Iterable<T>> groupBy(Function<T, U> f) {
    RDD<Tuple2<U, T>> keyed = keyBy(f).rdd();
    return new JavaPairRDD<>(PairRDDFunctions.groupByKey(keyed, PairRDDFunctions.defaultPartitioner(keyed)));
  }

  /** Groups the records by the key {@code f} gives them, over {@code numPartitions} partitions. */
  default <U> JavaPairRDD<U, Iterable<T>> groupBy(Function<T, U> f, int numPartitions) {
    return new JavaPairRDD<>(
        PairRDDFunctions.groupByKey(keyBy(f).rdd(), new dev.millrace.HashPartitioner(numPartitions)));
  }

  default void foreach(VoidFunction<T> f) {
    rdd().foreach(Objects.requireNonNull(f, "f"));
  }

  default void foreachPartition(VoidFunction<Iterator<T>> f) {
    rdd().foreachPartition(Objects.requireNonNull(f, "f"));
  }

  /** Every record, in partition order. */
  default List<T> collect() {
    return rdd().collect();
  }

  /** The records of the given partitions, one list per partition. */
  default List<T>[] collectPartitions(int[] partitionIds) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<T>[] out = new List[partitionIds.length];
    List<List<T>> parts = rdd().context().runtime().runJob(rdd(), (p, in) -> {
      List<T> l = new ArrayList<>();
      in.forEachRemaining(l::add);
      return l;
    }, partitionIds);
    return parts.toArray(out);
  }

  default long count() {
    return rdd().count();
  }

  /** The first {@code num} records, computing as few partitions as needed. */
  default List<T> take(int num) {
    return rdd().take(num);
  }

  /**
   * The first record.
   *
   * @throws UnsupportedOperationException if the dataset is empty, with Spark's message
   */
  default T first() {
    List<T> one = take(1);
    if (one.isEmpty()) {
      throw new UnsupportedOperationException("empty collection");
    }
    return one.get(0);
  }

  default boolean isEmpty() {
    return rdd().isEmpty();
  }

  /**
   * Reduces all records with {@code f}, which must be associative and commutative.
   *
   * @throws UnsupportedOperationException if the dataset is empty ("empty collection")
   */
  default T reduce(Function2<T, T, T> f) {
    return rdd().reduce(Objects.requireNonNull(f, "f"));
  }

  default T fold(T zeroValue, Function2<T, T, T> f) {
    return rdd().fold(zeroValue, Objects.requireNonNull(f, "f"));
  }

  default <U> U aggregate(U zeroValue, Function2<U, T, U> seqOp, Function2<U, U, U> combOp) {
    return rdd().aggregate(zeroValue, seqOp, combOp);
  }

  /** How many times each distinct record occurs. */
  default Map<T, Long> countByValue() {
    return rdd().countByValue();
  }

  /** The {@code num} largest records by {@code comp}, largest first. */
  default List<T> top(int num, Comparator<T> comp) {
    return rdd().top(num, comp);
  }

  /** The {@code num} smallest records by {@code comp}, smallest first. */
  default List<T> takeOrdered(int num, Comparator<T> comp) {
    return rdd().top(num, comp.reversed());
  }

  /** Writes one text file per partition into directory {@code path}; see {@link RDD#saveAsTextFile}. */
  default void saveAsTextFile(String path) {
    rdd().saveAsTextFile(path);
  }

  default void saveAsObjectFile(String path) {
    rdd().saveAsObjectFile(path);
  }

  /** A description of the plan, one dataset per line, parents indented. */
  default String toDebugString() {
    StringBuilder sb = new StringBuilder();
    describe(rdd(), 0, sb);
    return sb.toString();
  }

  private static void describe(RDD<?> rdd, int depth, StringBuilder sb) {
    sb.append("  ".repeat(depth)).append('(').append(rdd.numPartitions()).append(") ").append(rdd).append('\n');
    for (dev.millrace.internal.rdd.Dependency d : rdd.dependencies()) {
      describe(d.rdd(), depth + 1, sb);
    }
  }
}
