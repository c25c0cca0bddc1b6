package dev.millrace.internal.rdd;

import dev.millrace.Partitioner;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;

/**
 * A narrow transformation: each partition is a function of the same partition of the parent. Chains
 * of these fuse, because each partition's iterator wraps its parent's.
 */
final class MapPartitionsRDD<T, U> extends RDD<U> {
  private static final long serialVersionUID = 1L;

  /** Builds the output iterator of one partition from the parent's iterator. */
  @FunctionalInterface
  interface PartitionFunction<T, U> extends Serializable {
    Iterator<U> apply(int partition, Iterator<T> input, RDD<U> self);
  }

  private final transient RDD<T> parent;
  private final PartitionFunction<T, U> function;
  private final boolean preservesPartitioning;

  MapPartitionsRDD(RDD<T> parent, String operation, boolean preservesPartitioning, PartitionFunction<T, U> function) {
    super(parent.context(), operation);
    this.parent = parent;
    this.function = function;
    this.preservesPartitioning = preservesPartitioning;
  }

  @Override
  public int numPartitions() {
    return parent.numPartitions();
  }

  @Override
  protected Iterator<U> compute(int partition) {
    return function.apply(partition, parent.iterator(partition), this);
  }

  /** The parent; null on a deserialized node. */
  RDD<T> parent() {
    return parent;
  }

  /** This step's function over the given input of one partition. */
  Iterator<U> apply(int partition, Iterator<T> input) {
    return function.apply(partition, input, this);
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of(new NarrowDependency(parent));
  }

  @Override
  public Partitioner partitioner() {
    return preservesPartitioning ? parent.partitioner() : null;
  }
}
