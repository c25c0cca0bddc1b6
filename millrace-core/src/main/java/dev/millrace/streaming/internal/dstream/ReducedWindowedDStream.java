package dev.millrace.streaming.internal.dstream;

import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import dev.millrace.api.java.function.Function;
import dev.millrace.api.java.function.Function2;
import dev.millrace.internal.rdd.EmptyRDD;
import dev.millrace.internal.rdd.MaterializingRDD;
import dev.millrace.internal.rdd.PairRDDFunctions;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code reduceByKeyAndWindow} with an inverse function: each window's value per key is computed
 * from the previous window's, as Spark does, so a batch costs work for the batches entering and
 * leaving the window (the slide), not for the whole window.
 *
 * <pre>
 *   previous window:  [ old batches | shared batches ]
 *   current window:                 [ shared batches | new batches ]
 *   value(key) = reduce(invReduce(previous(key), reduce(old values)), reduce(new values))
 * </pre>
 *
 * <p>Exactly Spark's rules: a key absent from the previous window takes the reduce of its new
 * values; a key whose value returns to the "zero" (e.g. a count of 0) stays in the result unless
 * the filter function drops it; the first windows read a previous window that is empty. Each batch
 * of the parent is reduced by key once ({@code reduceByKey} with the same partitioner, kept in
 * memory), and the previous window's dataset is materialized, so the cogroup is narrow and lineage
 * is cut every batch.
 */
final class ReducedWindowedDStream<K, V> extends KeyedStateDStream<K, V> {
  private static final long serialVersionUID = 1L;

  private final DStream<Tuple2<K, V>> reducedStream;
  private final Function2<V, V, V> reduceFunc;
  private final Function2<V, V, V> invReduceFunc;
  private final Function<Tuple2<K, V>, Boolean> filterFunc;
  private final Duration windowDuration;
  private final Duration slide;
  private final Duration parentSlide;
  private final Partitioner partitioner;

  ReducedWindowedDStream(DStream<Tuple2<K, V>> parent, Function2<V, V, V> reduceFunc,
      Function2<V, V, V> invReduceFunc, Function<Tuple2<K, V>, Boolean> filterFunc, Duration windowDuration,
      Duration slideDuration, Partitioner partitioner) {
    super(parent.context(), "reduceByKeyAndWindow");
    java.util.Objects.requireNonNull(windowDuration, "windowDuration");
    java.util.Objects.requireNonNull(slideDuration, "slideDuration");
    if (!windowDuration.isMultipleOf(parent.slideDuration())) {
      throw new IllegalArgumentException("requirement failed: The window duration of ReducedWindowedDStream ("
          + windowDuration + ") must be multiple of the slide duration of parent DStream ("
          + parent.slideDuration() + ")");
    }
    if (!slideDuration.isMultipleOf(parent.slideDuration())) {
      throw new IllegalArgumentException("requirement failed: The slide duration of ReducedWindowedDStream ("
          + slideDuration + ") must be multiple of the slide duration of parent DStream ("
          + parent.slideDuration() + ")");
    }
    this.reduceFunc = java.util.Objects.requireNonNull(reduceFunc, "reduceFunc");
    this.invReduceFunc = java.util.Objects.requireNonNull(invReduceFunc, "invReduceFunc");
    this.filterFunc = filterFunc;
    this.windowDuration = windowDuration;
    this.slide = slideDuration;
    this.parentSlide = parent.slideDuration();
    this.partitioner = java.util.Objects.requireNonNull(partitioner, "partitioner");
    this.reducedStream = PairDStreamFunctions.reduceByKey(parent, reduceFunc, partitioner, "reduceByKeyAndWindow");
    reducedStream.persist(StorageLevel.MEMORY_ONLY_SER());
    setMustCheckpoint();
  }

  @Override
  public Duration slideDuration() {
    return slide;
  }

  @Override
  public List<DStream<?>> dependencies() {
    return List.of(reducedStream);
  }

  @Override
  protected Duration parentRememberDuration() {
    return rememberDuration().plus(windowDuration);
  }

  @Override
  Partitioner statePartitioner() {
    return partitioner;
  }

  @Override
  public String stateKind() {
    return "reduceByKeyAndWindow";
  }


  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  protected RDD<Tuple2<K, V>> compute(Time validTime) {
    Time currentBegin = validTime.minus(windowDuration).plus(parentSlide);
    Time previousBegin = currentBegin.minus(slide);
    Time previousEnd = validTime.minus(slide);

    List<RDD<Tuple2<K, V>>> oldRDDs = reducedStream.slice(previousBegin, currentBegin.minus(parentSlide));
    List<RDD<Tuple2<K, V>>> newRDDs = reducedStream.slice(previousEnd.plus(parentSlide), validTime);
    RDD<Tuple2<K, V>> previousWindow = getOrCompute(previousEnd);
    if (previousWindow == null) {
      previousWindow = new EmptyRDD<>(context().engine());
    }
    List<RDD<? extends Tuple2<K, ?>>> all = new ArrayList<>();
    all.add(previousWindow);
    all.addAll(oldRDDs);
    all.addAll(newRDDs);
    RDD<Tuple2<K, List<Object>[]>> cogrouped = PairRDDFunctions.cogroup(all, partitioner, "reduceByKeyAndWindow");

    int numOld = oldRDDs.size();
    int numNew = newRDDs.size();
    Function2<V, V, V> reduce = reduceFunc;
    Function2<V, V, V> invReduce = invReduceFunc;
    RDD<Tuple2<K, V>> merged = PairRDDFunctions.mapValues(cogrouped, (List<Object>[] groups) -> {
      if (groups.length != 1 + numOld + numNew) {
        throw new IllegalStateException("Unexpected number of sequences of reduced values");
      }
      V oldValue = reduceHeads(groups, 1, numOld, reduce);
      V newValue = reduceHeads(groups, 1 + numOld, numNew, reduce);
      boolean anyOld = hasAny(groups, 1, numOld);
      boolean anyNew = hasAny(groups, 1 + numOld, numNew);
      if (groups[0].isEmpty()) {
        if (!anyNew) {
          // Thrown inside the dataset's function, so the engine adds the stream, batch and operation.
          throw new IllegalStateException("Neither previous window has value for key, nor new values found. "
              + "Are you sure your key class hashes consistently?");
        }
        return newValue;
      }
      V value = (V) groups[0].get(0);
      if (anyOld) {
        value = invReduce.call(value, oldValue);
      }
      if (anyNew) {
        value = reduce.call(value, newValue);
      }
      return value;
    });
    RDD<Tuple2<K, V>> result = filterFunc == null ? merged : merged.filter(filterFunc);
    return new MaterializingRDD<>(result, "reduceByKeyAndWindow");
  }

  private static boolean hasAny(List<Object>[] groups, int from, int count) {
    for (int i = from; i < from + count; i++) {
      if (!groups[i].isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Reduces, in batch order, the first value of each non-empty group in {@code [from, from+count)}. */
  @SuppressWarnings("unchecked")
  private static <V> V reduceHeads(List<Object>[] groups, int from, int count, Function2<V, V, V> reduce)
      throws Exception {
    V acc = null;
    boolean any = false;
    for (int i = from; i < from + count; i++) {
      if (!groups[i].isEmpty()) {
        V v = (V) groups[i].get(0);
        acc = any ? reduce.call(acc, v) : v;
        any = true;
      }
    }
    return acc;
  }
}
