package dev.millrace.streaming.internal.dstream;

import dev.millrace.internal.rdd.PartitionerAwareUnionRDD;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import java.util.List;

/**
 * {@code window}: at each time T (every slide), the union of the parent's datasets of the batches
 * in {@code (T - window, T]}. Until a full window has passed, the window just holds fewer batches.
 * The parent's datasets are kept in memory ({@code MEMORY_ONLY_SER}, as in Spark), since each is read
 * by several windows.
 */
final class WindowedDStream<T> extends DStream<T> {
  private static final long serialVersionUID = 1L;
  private final DStream<T> parent;
  private final Duration windowDuration;
  private final Duration slide;

  WindowedDStream(DStream<T> parent, Duration windowDuration, Duration slideDuration) {
    super(parent.context(), "window");
    java.util.Objects.requireNonNull(windowDuration, "windowDuration");
    java.util.Objects.requireNonNull(slideDuration, "slideDuration");
    if (!windowDuration.isMultipleOf(parent.slideDuration())) {
      throw new IllegalArgumentException("The window duration of windowed DStream (" + windowDuration
          + ") must be a multiple of the slide duration of parent DStream (" + parent.slideDuration() + ")");
    }
    if (!slideDuration.isMultipleOf(parent.slideDuration())) {
      throw new IllegalArgumentException("The slide duration of windowed DStream (" + slideDuration
          + ") must be a multiple of the slide duration of parent DStream (" + parent.slideDuration() + ")");
    }
    this.parent = parent;
    this.windowDuration = windowDuration;
    this.slide = slideDuration;
    parent.persist(StorageLevel.MEMORY_ONLY_SER());
  }

  Duration windowDuration() {
    return windowDuration;
  }

  @Override
  public Duration slideDuration() {
    return slide;
  }

  @Override
  public List<DStream<?>> dependencies() {
    return List.of(parent);
  }

  @Override
  protected Duration parentRememberDuration() {
    return rememberDuration().plus(windowDuration);
  }

  @Override
  protected RDD<T> compute(Time validTime) {
    List<RDD<T>> inWindow = parent.slice(validTime.minus(windowDuration).plus(parent.slideDuration()), validTime);
    return PartitionerAwareUnionRDD.union(context().engine(), inWindow);
  }
}
