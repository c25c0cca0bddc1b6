package dev.millrace.streaming.internal.dstream;

import dev.millrace.Tuple2;
import dev.millrace.api.java.function.FlatMapFunction;
import dev.millrace.internal.rdd.PairRDDFunctions;
import dev.millrace.internal.rdd.RDD;

/** {@code flatMapValues}: each value to zero or more values under the same key. */
final class FlatMapValuedDStream<K, V, W> extends BatchwiseDStream<Tuple2<K, V>, Tuple2<K, W>> {
  private static final long serialVersionUID = 1L;
  private final FlatMapFunction<V, W> f;

  FlatMapValuedDStream(DStream<Tuple2<K, V>> parent, FlatMapFunction<V, W> f) {
    super(parent, "flatMapValues");
    this.f = java.util.Objects.requireNonNull(f, "f");
  }

  @Override
  RDD<Tuple2<K, W>> computeFrom(RDD<Tuple2<K, V>> rdd) {
    return PairRDDFunctions.flatMapValues(rdd, f);
  }
}
