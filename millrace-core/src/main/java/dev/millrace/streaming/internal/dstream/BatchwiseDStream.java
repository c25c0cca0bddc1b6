package dev.millrace.streaming.internal.dstream;

import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import java.util.List;

/**
 * A stream whose dataset at each time is a transformation of its one parent's dataset at the same
 * time ({@code map}, {@code filter}, {@code reduceByKey}, ...). It has the parent's slide, and no
 * dataset where the parent has none.
 *
 * @param <P> type of the parent's records
 * @param <T> type of this stream's records
 */
abstract class BatchwiseDStream<P, T> extends DStream<T> {
  private static final long serialVersionUID = 1L;
  private final DStream<P> parent;

  BatchwiseDStream(DStream<P> parent, String operation) {
    super(parent.context(), operation);
    this.parent = parent;
  }

  /** This stream's dataset, built from the parent's dataset of the same batch. */
  abstract RDD<T> computeFrom(RDD<P> parentRdd);

  @Override
  public final Duration slideDuration() {
    return parent.slideDuration();
  }

  @Override
  public final List<DStream<?>> dependencies() {
    return List.of(parent);
  }

  @Override
  protected final RDD<T> compute(Time validTime) {
    RDD<P> rdd = parent.getOrCompute(validTime);
    return rdd == null ? null : computeFrom(rdd);
  }
}
