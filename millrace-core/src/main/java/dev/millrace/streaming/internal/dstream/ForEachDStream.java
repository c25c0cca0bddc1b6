package dev.millrace.streaming.internal.dstream;

import dev.millrace.api.java.function.VoidFunction2;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.scheduler.Job;
import java.util.List;

/**
 * An output operation: for each batch, a job that calls a function with the batch's dataset. The
 * dataset is built when the batch is generated; the function runs when the job runs.
 */
public final class ForEachDStream<T> extends DStream<Void> {
  private static final long serialVersionUID = 1L;
  private final DStream<T> parent;
  private final VoidFunction2<RDD<T>, Time> f;
  private int outputId = -1;

  ForEachDStream(DStream<T> parent, VoidFunction2<RDD<T>, Time> f, String operation) {
    super(parent.context(), operation);
    this.parent = parent;
    this.f = java.util.Objects.requireNonNull(f, "f");
  }

  void register() {
    outputId = context().graph().addOutputStream(this);
  }

  /** This output operation's id: its position among the context's outputs. */
  public int outputId() {
    return outputId;
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
  protected RDD<Void> compute(Time validTime) {
    return null;
  }

  /** The job of batch {@code time}, or null when the parent has no dataset at that time. */
  public Job generateJob(Time time) {
    RDD<T> rdd = parent.getOrCompute(time);
    if (rdd == null) {
      return null;
    }
    return new Job(time, outputId, creationSite(), creationSiteLong(), () -> f.call(rdd, time));
  }
}
