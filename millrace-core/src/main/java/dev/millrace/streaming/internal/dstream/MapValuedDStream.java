package dev.millrace.streaming.internal.dstream;

import dev.millrace.Tuple2;
import dev.millrace.api.java.function.Function;
import dev.millrace.internal.rdd.PairRDDFunctions;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import java.util.List;

/** {@code mapValues}: each value through a function; keys and partitioning stay. */
final class MapValuedDStream<K, V, W> extends DStream<Tuple2<K, W>> {
  private static final long serialVersionUID = 1L;
  private final DStream<Tuple2<K, V>> parent;
  private final Function<V, W> f;

  MapValuedDStream(DStream<Tuple2<K, V>> parent, Function<V, W> f) {
    super(parent.context(), "mapValues");
    this.parent = parent;
    this.f = java.util.Objects.requireNonNull(f, "f");
  }

  @Override
  public Duration slideDuration() {
    return parent.slideDuration();
  }

  @Override
  public List<DStream<?>> dependencies() {
    return List.of(parent);
  }

  @Override
  protected RDD<Tuple2<K, W>> compute(Time validTime) {
    RDD<Tuple2<K, V>> rdd = parent.getOrCompute(validTime);
    return rdd == null ? null : PairRDDFunctions.mapValues(rdd, f);
  }
}
