package dev.millrace;

/**
 * Partitions keys by {@code key.hashCode()} modulo the number of partitions (non-negative); the
 * {@code null} key goes to partition 0. The same rule as Spark's {@code HashPartitioner}.
 *
 * <pre>{@code
 * pairs.reduceByKey(Integer::sum, new HashPartitioner(4));
 * }</pre>
 */
public final class HashPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;

  private final int partitions;

  /**
   * Creates a partitioner over {@code partitions} partitions.
   *
   * @throws IllegalArgumentException if {@code partitions} is negative
   */
  public HashPartitioner(int partitions) {
    if (partitions < 0) {
      throw new IllegalArgumentException(
          "Number of partitions (" + partitions + ") cannot be negative.");
    }
    this.partitions = partitions;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int getPartition(Object key) {
    return key == null ? 0 : nonNegativeMod(key.hashCode(), partitions);
  }

  /** {@code x mod n} in {@code [0, n)}, also for negative {@code x}. */
  public static int nonNegativeMod(int x, int n) {
    int raw = x % n;
    return raw + (raw < 0 ? n : 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HashPartitioner && ((HashPartitioner) o).partitions == partitions;
  }

  @Override
  public int hashCode() {
    return partitions;
  }

  @Override
  public String toString() {
    return "HashPartitioner(" + partitions + ")";
  }
}
