package dev.millrace.streaming.internal.dstream;

import dev.millrace.api.java.function.FlatMapFunction;
import dev.millrace.internal.rdd.RDD;

/** {@code flatMap}: each record of each batch to zero or more records. */
final class FlatMappedDStream<T, U> extends BatchwiseDStream<T, U> {
  private static final long serialVersionUID = 1L;
  private final FlatMapFunction<T, U> f;

  FlatMappedDStream(DStream<T> parent, FlatMapFunction<T, U> f) {
    super(parent, "flatMap");
    this.f = java.util.Objects.requireNonNull(f, "f");
  }

  @Override
  RDD<U> computeFrom(RDD<T> rdd) {
    return rdd.flatMap(f);
  }
}
