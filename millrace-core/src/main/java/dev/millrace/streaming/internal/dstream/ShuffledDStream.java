package dev.millrace.streaming.internal.dstream;

import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import dev.millrace.api.java.function.Function;
import dev.millrace.api.java.function.Function2;
import dev.millrace.internal.rdd.PairRDDFunctions;
import dev.millrace.internal.rdd.RDD;

/** {@code combineByKey} and its forms ({@code reduceByKey}, {@code countByValue}): per batch, by key. */
final class ShuffledDStream<K, V, C> extends BatchwiseDStream<Tuple2<K, V>, Tuple2<K, C>> {
  private static final long serialVersionUID = 1L;
  private final Function<V, C> createCombiner;
  private final Function2<C, V, C> mergeValue;
  private final Function2<C, C, C> mergeCombiners;
  private final Partitioner partitioner;
  private final boolean mapSideCombine;

  ShuffledDStream(DStream<Tuple2<K, V>> parent, Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners, Partitioner partitioner, boolean mapSideCombine, String operation) {
    super(parent, operation);
    this.createCombiner = java.util.Objects.requireNonNull(createCombiner, "createCombiner");
    this.mergeValue = java.util.Objects.requireNonNull(mergeValue, "mergeValue");
    this.mergeCombiners = java.util.Objects.requireNonNull(mergeCombiners, "mergeCombiners");
    this.partitioner = java.util.Objects.requireNonNull(partitioner, "partitioner");
    this.mapSideCombine = mapSideCombine;
  }

  @Override
  RDD<Tuple2<K, C>> computeFrom(RDD<Tuple2<K, V>> rdd) {
    return PairRDDFunctions.combineByKey(rdd, createCombiner, mergeValue, mergeCombiners,
        partitioner, mapSideCombine, operation());
  }
}
