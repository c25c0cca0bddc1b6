package dev.millrace.streaming.internal.dstream;

import dev.millrace.MillraceException;
import dev.millrace.api.java.function.Function2;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code transform}: each batch is a user function of the parents' batches of the same time and
 * the time. The function runs when the batch is generated, as in Spark.
 */
final class TransformedDStream<U> extends DStream<U> {
  private static final long serialVersionUID = 1L;
  private final List<DStream<?>> parents;
  private final Function2<List<RDD<?>>, Time, RDD<U>> f;

  TransformedDStream(List<DStream<?>> parents, String operation, Function2<List<RDD<?>>, Time, RDD<U>> f) {
    super(parents.get(0).context(), operation);
    for (DStream<?> p : parents) {
      if (p.context() != parents.get(0).context()) {
        throw new IllegalArgumentException("Some of the DStreams have different contexts");
      }
      if (!p.slideDuration().equals(parents.get(0).slideDuration())) {
        throw new IllegalArgumentException("Some of the DStreams have different slide durations");
      }
    }
    this.parents = new ArrayList<>(parents);
    this.f = java.util.Objects.requireNonNull(f, "f");
  }

  @Override
  public Duration slideDuration() {
    return parents.get(0).slideDuration();
  }

  @Override
  public List<DStream<?>> dependencies() {
    return parents;
  }

  @Override
  protected RDD<U> compute(Time validTime) {
    List<RDD<?>> rdds = new ArrayList<>();
    for (DStream<?> p : parents) {
      RDD<?> rdd = p.getOrCompute(validTime);
      if (rdd == null) {
        rdd = new dev.millrace.internal.rdd.EmptyRDD<>(context().engine());
      }
      rdds.add(rdd);
    }
    RDD<U> out;
    try {
      out = f.call(rdds, validTime);
    } catch (MillraceException e) {
      throw e;
    } catch (Exception e) {
      throw new MillraceException("User function of operation '" + operation() + "' of " + this
          + " failed at batch " + validTime + ": " + e, e);
    }
    if (out == null) {
      throw new MillraceException("Transform function of " + this + " returned null at batch " + validTime
          + "; return an empty dataset instead");
    }
    return out;
  }
}
