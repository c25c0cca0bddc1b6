package dev.millrace.internal.rdd;

import dev.millrace.internal.EngineContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The partitions of several datasets, one after another; no records move. */
public final class UnionRDD<T> extends RDD<T> {
  private static final long serialVersionUID = 1L;

  private final transient List<RDD<T>> parents;
  private final int[] firstPartition;
  private final int total;

  public UnionRDD(EngineContext context, List<RDD<T>> parents) {
    super(context, "union");
    this.parents = new ArrayList<>(parents);
    this.firstPartition = new int[parents.size()];
    int n = 0;
    for (int i = 0; i < parents.size(); i++) {
      firstPartition[i] = n;
      n += parents.get(i).numPartitions();
    }
    this.total = n;
  }

  @Override
  public int numPartitions() {
    return total;
  }

  @Override
  protected Iterator<T> compute(int partition) {
    for (int i = 0; i < parents.size(); i++) {
      int local = partition - firstPartition[i];
      if (local < parents.get(i).numPartitions()) {
        return parents.get(i).iterator(local);
      }
    }
    throw new IndexOutOfBoundsException("partition " + partition + " of " + total);
  }

  @Override
  public List<Dependency> dependencies() {
    List<Dependency> deps = new ArrayList<>();
    for (RDD<T> p : parents) {
      deps.add(new NarrowDependency(p));
    }
    return deps;
  }
}
