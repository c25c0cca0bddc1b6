package dev.millrace.streaming.internal.dstream;

import dev.millrace.MillraceException;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.internal.rdd.UnionRDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import java.util.ArrayList;
import java.util.List;

/** {@code union}: each batch holds the records of every parent's batch of the same time. */
final class UnionDStream<T> extends DStream<T> {
  private static final long serialVersionUID = 1L;
  private final List<DStream<T>> parents;

  UnionDStream(List<DStream<T>> parents) {
    super(parents.get(0).context(), "union");
    if (parents.isEmpty()) {
      throw new IllegalArgumentException("Empty array of parents");
    }
    for (DStream<T> p : parents) {
      if (p.context() != parents.get(0).context()) {
        throw new IllegalArgumentException("Some of the DStreams have different contexts");
      }
      if (!p.slideDuration().equals(parents.get(0).slideDuration())) {
        throw new IllegalArgumentException("Some of the DStreams have different slide durations");
      }
    }
    this.parents = new ArrayList<>(parents);
  }

  @Override
  public Duration slideDuration() {
    return parents.get(0).slideDuration();
  }

  @Override
  public List<DStream<?>> dependencies() {
    return new ArrayList<>(parents);
  }

  @Override
  protected RDD<T> compute(Time validTime) {
    List<RDD<T>> rdds = new ArrayList<>();
    for (DStream<T> p : parents) {
      RDD<T> rdd = p.getOrCompute(validTime);
      if (rdd == null) {
        throw new MillraceException("Could not generate RDD from a parent for unifying at time " + validTime);
      }
      rdds.add(rdd);
    }
    return new UnionRDD<>(context().engine(), rdds);
  }
}
