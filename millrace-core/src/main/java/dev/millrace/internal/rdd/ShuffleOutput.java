package dev.millrace.internal.rdd;

import java.util.List;
import java.util.function.Supplier;

/**
 * What the map side of a shuffle produced: for each map partition and each reduce partition, a
 * flat buffer of alternating keys and values.
 *
 * <p>When the reduce side merges combiners, it may mutate them (a {@code combineByKey} whose merge
 * function adds to a list, say). So a reduce partition is merged {@linkplain #reduceOnce once}; the
 * merged records are kept here and its buffers dropped, and every later reader (a second output
 * operation of the batch, a window reading an old batch) gets the same merged records instead of
 * merging already-mutated combiners again. Thread-safe.
 */
public final class ShuffleOutput {
  private final PairBuffer[][] buckets;
  private final Object[] reduced;
  private final Object[] locks;

  /** @param buckets {@code buckets[mapPartition][reducePartition]}, entries may be null when empty */
  public ShuffleOutput(PairBuffer[][] buckets, int numReducePartitions) {
    this.buckets = buckets;
    this.reduced = new Object[numReducePartitions];
    this.locks = new Object[numReducePartitions];
    for (int i = 0; i < numReducePartitions; i++) {
      locks[i] = new Object();
    }
  }

  public int numMapPartitions() {
    return buckets.length;
  }

  /** The buffer of one map partition for one reduce partition; null when empty or released. */
  public PairBuffer bucket(int mapPartition, int reducePartition) {
    return buckets[mapPartition][reducePartition];
  }

  /**
   * The merged records of reduce partition {@code r}: made by {@code merge} on the first call (the
   * partition's buffers are then dropped), the same list on every later call. If {@code merge}
   * throws, nothing is kept and the exception propagates.
   */
  @SuppressWarnings("unchecked")
  <T> List<T> reduceOnce(int r, Supplier<List<T>> merge) {
    synchronized (locks[r]) {
      if (reduced[r] == null) {
        List<T> records = merge.get();
        reduced[r] = records;
        synchronized (buckets) {
          for (PairBuffer[] perMap : buckets) {
            perMap[r] = null;
          }
        }
      }
      return (List<T>) reduced[r];
    }
  }
}
