package dev.millrace.streaming.internal.dstream;

import dev.millrace.internal.rdd.RDD;
import java.util.List;

/** {@code glom}: each partition of each batch as one list. */
final class GlommedDStream<T> extends BatchwiseDStream<T, List<T>> {
  private static final long serialVersionUID = 1L;
  
  GlommedDStream(DStream<T> parent) {
    super(parent, "glom");
  }

  @Override
  RDD<List<T>> computeFrom(RDD<T> rdd) {
    return rdd.glom();
  }
}
