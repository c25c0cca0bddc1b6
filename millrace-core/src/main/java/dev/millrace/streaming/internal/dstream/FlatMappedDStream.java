package dev.millrace.streaming.internal.dstream;

import dev.millrace.api.java.function.FlatMapFunction;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import java.util.List;

/** {@code flatMap}: each record of each batch to zero or more records. */
final class FlatMappedDStream<T, U> extends DStream<U> {
  private static final long serialVersionUID = 1L;
  private final DStream<T> parent;
  private final FlatMapFunction<T, U> f;

  FlatMappedDStream(DStream<T> parent, FlatMapFunction<T, U> f) {
    super(parent.context(), "flatMap");
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
  protected RDD<U> compute(Time validTime) {
    RDD<T> rdd = parent.getOrCompute(validTime);
    return rdd == null ? null : rdd.flatMap(f);
  }
}
