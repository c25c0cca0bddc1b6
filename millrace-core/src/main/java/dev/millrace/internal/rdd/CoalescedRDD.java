package dev.millrace.internal.rdd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** Fewer partitions without a shuffle: each output partition concatenates a run of parent partitions. */
final class CoalescedRDD<T> extends RDD<T> {
  private static final long serialVersionUID = 1L;

  private final transient RDD<T> parent;
  private final int partitions;

  CoalescedRDD(RDD<T> parent, int maxPartitions) {
    super(parent.context(), "coalesce");
    this.parent = parent;
    this.partitions = Math.min(maxPartitions, parent.numPartitions());
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  protected Iterator<T> compute(int partition) {
    long n = parent.numPartitions();
    int start = (int) (partition * n / partitions);
    int end = (int) ((partition + 1) * n / partitions);
    List<Iterator<T>> parts = new ArrayList<>();
    for (int p = start; p < end; p++) {
      parts.add(parent.iterator(p));
    }
    if (parts.isEmpty()) {
      return Collections.emptyIterator();
    }
    Iterator<Iterator<T>> outer = parts.iterator();
    return new Iterator<>() {
      private Iterator<T> cur = outer.next();

      @Override
      public boolean hasNext() {
        while (!cur.hasNext() && outer.hasNext()) {
          cur = outer.next();
        }
        return cur.hasNext();
      }

      @Override
      public T next() {
        hasNext();
        return cur.next();
      }
    };
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of(new NarrowDependency(parent));
  }
}
