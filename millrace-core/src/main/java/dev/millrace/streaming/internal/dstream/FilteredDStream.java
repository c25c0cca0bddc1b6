package dev.millrace.streaming.internal.dstream;

import dev.millrace.api.java.function.Function;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import java.util.List;

/** {@code filter}: the records of each batch that satisfy a predicate. */
final class FilteredDStream<T> extends DStream<T> {
  private static final long serialVersionUID = 1L;
  private final DStream<T> parent;
  private final Function<T, Boolean> f;

  FilteredDStream(DStream<T> parent, Function<T, Boolean> f) {
    super(parent.context(), "filter");
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
  protected RDD<T> compute(Time validTime) {
    RDD<T> rdd = parent.getOrCompute(validTime);
    return rdd == null ? null : rdd.filter(f);
  }
}
