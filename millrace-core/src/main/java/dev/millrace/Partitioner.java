package dev.millrace;

import java.io.Serializable;

/**
 * Decides which partition of a key/value dataset a key belongs to.
 *
 * <p>Two datasets partitioned by equal partitioners place every key in the same partition, which
 * lets joins and co-groups skip a shuffle. Implementations must be deterministic, serializable and
 * implement {@link #equals(Object)} so that equal partitioners are recognised.
 */
public abstract class Partitioner implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The number of partitions this partitioner distributes keys over; at least 1. */
  public abstract int numPartitions();

  /** The partition, in {@code [0, numPartitions())}, of {@code key} (which may be null). */
  public abstract int getPartition(Object key);
}
