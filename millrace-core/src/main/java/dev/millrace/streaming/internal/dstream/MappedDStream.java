package dev.millrace.streaming.internal.dstream;

import dev.millrace.api.java.function.Function;
import dev.millrace.internal.rdd.RDD;

/** {@code map}: each batch's records through a function. */
final class MappedDStream<T, U> extends BatchwiseDStream<T, U> {
  private static final long serialVersionUID = 1L;
  private final Function<T, U> f;

  MappedDStream(DStream<T> parent, Function<T, U> f) {
    super(parent, "map");
    this.f = java.util.Objects.requireNonNull(f, "f");
  }

  @Override
  RDD<U> computeFrom(RDD<T> rdd) {
    return rdd.map(f);
  }
}
