package dev.millrace.internal.rdd;

import dev.millrace.internal.EngineContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A dataset made from an in-memory list, cut into slices of near-equal size, as Spark slices it. */
public final class ParallelCollectionRDD<T> extends RDD<T> {
  private static final long serialVersionUID = 1L;

  private final transient List<List<T>> slices;

  public ParallelCollectionRDD(EngineContext context, List<T> data, int numSlices) {
    super(context, "parallelize");
    if (numSlices < 1) {
      throw new IllegalArgumentException("Positive number of partitions required");
    }
    List<T> copy = new ArrayList<>(data);
    this.slices = new ArrayList<>(numSlices);
    long n = copy.size();
    for (int i = 0; i < numSlices; i++) {
      int start = (int) (i * n / numSlices);
      int end = (int) ((i + 1) * n / numSlices);
      slices.add(copy.subList(start, end));
    }
  }

  @Override
  public int numPartitions() {
    return slices.size();
  }

  @Override
  protected Iterator<T> compute(int partition) {
    return slices.get(partition).iterator();
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of();
  }
}
