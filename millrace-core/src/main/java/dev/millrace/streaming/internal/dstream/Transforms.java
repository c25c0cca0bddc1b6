package dev.millrace.streaming.internal.dstream;

import dev.millrace.api.java.function.Function2;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Time;
import java.util.List;

/** Builds {@code transform} streams over several parents, for {@code JavaStreamingContext.transform}. */
public final class Transforms {
  private Transforms() {}

  public static <T> DStream<T> of(List<DStream<?>> parents, String operation,
      Function2<List<RDD<?>>, Time, RDD<T>> f) {
    return new TransformedDStream<>(parents, operation, f);
  }
}
