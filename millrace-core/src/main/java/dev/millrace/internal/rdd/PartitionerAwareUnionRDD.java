package dev.millrace.internal.rdd;

import dev.millrace.Partitioner;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The union of datasets that share one partitioner: partition {@code i} is partition {@code i} of
 * every parent in turn, so the result keeps the partitioner and a later key operation with the
 * same partitioner needs no shuffle (Spark's {@code PartitionerAwareUnionRDD}, which its windows
 * use).
 */
public final class PartitionerAwareUnionRDD<T> extends RDD<T> {
  private static final long serialVersionUID = 1L;

  private final transient List<RDD<T>> parents;
  private final Partitioner partitioner;

  /**
   * @throws IllegalArgumentException if the parents are empty or do not share one partitioner
   */
  public PartitionerAwareUnionRDD(List<RDD<T>> parents) {
    super(first(parents).context(), "union");
    Partitioner p = parents.get(0).partitioner();
    for (RDD<T> r : parents) {
      if (p == null || !p.equals(r.partitioner())) {
        throw new IllegalArgumentException("Parent partitioners are not the same: " + p + " and " + r.partitioner());
      }
    }
    this.parents = new ArrayList<>(parents);
    this.partitioner = p;
  }

  private static <T> RDD<T> first(List<RDD<T>> parents) {
    if (parents.isEmpty()) {
      throw new IllegalArgumentException("A union needs at least one parent");
    }
    return parents.get(0);
  }

  /** Whether {@code rdds} are non-empty and all have one (non-null) partitioner. */
  public static boolean applicable(List<? extends RDD<?>> rdds) {
    if (rdds.isEmpty() || rdds.get(0).partitioner() == null) {
      return false;
    }
    Partitioner p = rdds.get(0).partitioner();
    for (RDD<?> r : rdds) {
      if (!p.equals(r.partitioner())) {
        return false;
      }
    }
    return true;
  }

  /** The union Spark's {@code SparkContext.union} picks: partitioner-aware when it can be. */
  public static <T> RDD<T> union(dev.millrace.internal.EngineContext context, List<RDD<T>> rdds) {
    if (applicable(rdds)) {
      return new PartitionerAwareUnionRDD<>(rdds);
    }
    if (rdds.isEmpty()) {
      return new EmptyRDD<>(context);
    }
    return new UnionRDD<>(context, rdds);
  }

  @Override
  public int numPartitions() {
    return partitioner.numPartitions();
  }

  @Override
  public Partitioner partitioner() {
    return partitioner;
  }

  @Override
  protected Iterator<T> compute(int partition) {
    return new Iterator<>() {
      private int parent;
      private Iterator<T> current = parents.get(0).iterator(partition);

      @Override
      public boolean hasNext() {
        while (!current.hasNext()) {
          if (++parent >= parents.size()) {
            return false;
          }
          current = parents.get(parent).iterator(partition);
        }
        return true;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
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
