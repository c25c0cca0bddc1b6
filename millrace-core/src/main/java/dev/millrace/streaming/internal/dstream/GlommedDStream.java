package dev.millrace.streaming.internal.dstream;

import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import java.util.List;

/** {@code glom}: each partition of each batch as one list. */
final class GlommedDStream<T> extends DStream<List<T>> {
  private static final long serialVersionUID = 1L;
  private final DStream<T> parent;

  GlommedDStream(DStream<T> parent) {
    super(parent.context(), "glom");
    this.parent = parent;
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
  protected RDD<List<T>> compute(Time validTime) {
    RDD<T> rdd = parent.getOrCompute(validTime);
    return rdd == null ? null : rdd.glom();
  }
}
