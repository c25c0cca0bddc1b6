package dev.millrace.internal.rdd;

import dev.millrace.internal.EngineContext;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** A dataset with no partitions and no records. */
public final class EmptyRDD<T> extends RDD<T> {
  private static final long serialVersionUID = 1L;

  public EmptyRDD(EngineContext context) {
    super(context, "emptyRDD");
  }

  @Override
  public int numPartitions() {
    return 0;
  }

  @Override
  protected Iterator<T> compute(int partition) {
    return Collections.emptyIterator();
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of();
  }
}
