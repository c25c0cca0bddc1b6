package dev.millrace.streaming.internal.dstream;

import dev.millrace.api.java.function.FlatMapFunction;
import dev.millrace.internal.rdd.RDD;
import java.util.Iterator;

/** {@code mapPartitions}: each partition of each batch through a function of its iterator. */
final class MapPartitionedDStream<T, U> extends BatchwiseDStream<T, U> {
  private static final long serialVersionUID = 1L;
  private final FlatMapFunction<Iterator<T>, U> f;
  private final boolean preservePartitioning;

  MapPartitionedDStream(DStream<T> parent, FlatMapFunction<Iterator<T>, U> f, boolean preservePartitioning) {
    super(parent, "mapPartitions");
    this.f = java.util.Objects.requireNonNull(f, "f");
    this.preservePartitioning = preservePartitioning;
  }

  @Override
  RDD<U> computeFrom(RDD<T> rdd) {
    return rdd.mapPartitions(f, preservePartitioning);
  }
}
