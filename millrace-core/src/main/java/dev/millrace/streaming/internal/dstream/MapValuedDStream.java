package dev.millrace.streaming.internal.dstream;

import dev.millrace.Tuple2;
import dev.millrace.api.java.function.Function;
import dev.millrace.internal.rdd.PairRDDFunctions;
import dev.millrace.internal.rdd.RDD;

/** {@code mapValues}: each value through a function; keys and partitioning stay. */
final class MapValuedDStream<K, V, W> extends BatchwiseDStream<Tuple2<K, V>, Tuple2<K, W>> {
  private static final long serialVersionUID = 1L;
  private final Function<V, W> f;

  MapValuedDStream(DStream<Tuple2<K, V>> parent, Function<V, W> f) {
    super(parent, "mapValues");
    this.f = java.util.Objects.requireNonNull(f, "f");
  }

  @Override
  RDD<Tuple2<K, W>> computeFrom(RDD<Tuple2<K, V>> rdd) {
    return PairRDDFunctions.mapValues(rdd, f);
  }
}
