package dev.millrace.api.java;

import dev.millrace.api.java.function.Function;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.storage.StorageLevel;
import java.util.Objects;

/**
 * A partitioned dataset of records: what a stream holds for one batch.
 *
 * <p>The port of Spark's {@code JavaRDD}. It is a lazy plan; see {@link JavaRDDLike} for the
 * operations it shares with {@link JavaPairRDD}.
 *
 * <pre>{@code
 * JavaRDD<String> words = lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator());
 * long n = words.filter(w -> !w.isEmpty()).count();
 * }</pre>
 *
 * @param <T> type of the records
 */
public final class JavaRDD<T> implements JavaRDDLike<T, JavaRDD<T>> {
  private final RDD<T> rdd;

  public JavaRDD(RDD<T> rdd) {
    this.rdd = Objects.requireNonNull(rdd, "rdd");
  }

  /** Wraps a plan. */
  public static <T> JavaRDD<T> fromRDD(RDD<T> rdd) {
    return new JavaRDD<>(rdd);
  }

  @Override
  public RDD<T> rdd() {
    return rdd;
  }

  @Override
  public JavaRDD<T> wrapRDD(RDD<T> rdd) {
    return new JavaRDD<>(rdd);
  }

  public JavaRDD<T> filter(Function<T, Boolean> f) {
    return new JavaRDD<>(rdd.filter(Objects.requireNonNull(f, "f")));
  }

  public JavaRDD<T> distinct() {
    return distinct(rdd.numPartitions() == 0 ? 1 : rdd.numPartitions());
  }

  public JavaRDD<T> distinct(int numPartitions) {
    return new JavaRDD<>(rdd.distinct(numPartitions));
  }

  /** The records of both datasets; duplicates are kept. */
  public JavaRDD<T> union(JavaRDD<T> other) {
    return new JavaRDD<>(rdd.union(other.rdd));
  }

  public JavaRDD<T> repartition(int numPartitions) {
    return new JavaRDD<>(rdd.repartition(numPartitions));
  }

  public JavaRDD<T> coalesce(int numPartitions) {
    return coalesce(numPartitions, false);
  }

  public JavaRDD<T> coalesce(int numPartitions, boolean shuffle) {
    return new JavaRDD<>(rdd.coalesce(numPartitions, shuffle));
  }

  /** The records sorted by the key {@code f} gives them, over {@code numPartitions} partitions. */
  public <S> JavaRDD<T> sortBy(Function<T, S> f, boolean ascending, int numPartitions) {
    return new JavaRDD<>(rdd.sortBy(Objects.requireNonNull(f, "f"), ascending, numPartitions));
  }

  /** Keeps computed partitions in memory for reuse; same as {@code persist(MEMORY_ONLY())}. */
  public JavaRDD<T> cache() {
    return persist(StorageLevel.MEMORY_ONLY());
  }

  public JavaRDD<T> persist(StorageLevel level) {
    rdd.persist(level);
    return this;
  }

  public JavaRDD<T> unpersist() {
    rdd.unpersist();
    return this;
  }

  public JavaRDD<T> unpersist(boolean blocking) {
    return unpersist();
  }

  @Override
  public String toString() {
    return rdd.toString();
  }
}
