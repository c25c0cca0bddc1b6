package dev.millrace.streaming.internal.dstream;

import dev.millrace.api.java.function.Function;
import dev.millrace.internal.rdd.RDD;

/** {@code filter}: the records of each batch that satisfy a predicate. */
final class FilteredDStream<T> extends BatchwiseDStream<T, T> {
  private static final long serialVersionUID = 1L;
  private final Function<T, Boolean> f;

  FilteredDStream(DStream<T> parent, Function<T, Boolean> f) {
    super(parent, "filter");
    this.f = java.util.Objects.requireNonNull(f, "f");
  }

  @Override
  RDD<T> computeFrom(RDD<T> rdd) {
    return rdd.filter(f);
  }
}
