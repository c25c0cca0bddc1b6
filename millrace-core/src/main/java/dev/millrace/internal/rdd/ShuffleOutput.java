package dev.millrace.internal.rdd;

/**
 * What the map side of a shuffle produced: for each map partition and each reduce partition, a
 * flat buffer of alternating keys and values.
 */
public final class ShuffleOutput {
  private final PairBuffer[][] buckets;

  /** @param buckets {@code buckets[mapPartition][reducePartition]}, entries may be null when empty */
  public ShuffleOutput(PairBuffer[][] buckets) {
    this.buckets = buckets;
  }

  public int numMapPartitions() {
    return buckets.length;
  }

  /** The buffer of one map partition for one reduce partition; null when empty. */
  public PairBuffer bucket(int mapPartition, int reducePartition) {
    return buckets[mapPartition][reducePartition];
  }
}
