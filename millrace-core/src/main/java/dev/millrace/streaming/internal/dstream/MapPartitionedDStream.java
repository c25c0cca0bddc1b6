package dev.millrace.streaming.internal.dstream;

import dev.millrace.api.java.function.FlatMapFunction;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import java.util.Iterator;
import java.util.List;

/** {@code mapPartitions}: each partition of each batch through a function of its iterator. */
final class MapPartitionedDStream<T, U> extends DStream<U> {
  private static final long serialVersionUID = 1L;
  private final DStream<T> parent;
  private final FlatMapFunction<Iterator<T>, U> f;
  private final boolean preservePartitioning;

  MapPartitionedDStream(DStream<T> parent, FlatMapFunction<Iterator<T>, U> f, boolean preservePartitioning) {
    super(parent.context(), "mapPartitions");
    this.parent = parent;
    this.f = java.util.Objects.requireNonNull(f, "f");
    this.preservePartitioning = preservePartitioning;
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
  protected RDD<U> compute(Time validTime) {
    RDD<T> rdd = parent.getOrCompute(validTime);
    return rdd == null ? null : rdd.mapPartitions(f, preservePartitioning);
  }
}
