package dev.millrace.streaming.internal.dstream;

import dev.millrace.api.java.function.Function;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import java.util.List;

/** {@code map}: each batch's records through a function. */
final class MappedDStream<T, U> extends DStream<U> {
  private static final long serialVersionUID = 1L;
  private final DStream<T> parent;
  private final Function<T, U> f;

  MappedDStream(DStream<T> parent, Function<T, U> f) {
    super(parent.context(), "map");
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
    return rdd == null ? null : rdd.map(f);
  }
}
