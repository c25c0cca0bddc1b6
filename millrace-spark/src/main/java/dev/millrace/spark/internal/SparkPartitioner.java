package dev.millrace.spark.internal;

import dev.millrace.Partitioner;

/**
 * A Spark partitioner that places each key where a Millrace {@link Partitioner} places it, so a
 * shuffle on the cluster yields the same partitions as the local runtime. Two are equal when their
 * Millrace partitioners are, which lets Spark skip a shuffle exactly when Millrace would.
 * Immutable; thread-safe.
 */
final class SparkPartitioner extends org.apache.spark.Partitioner {
  private static final long serialVersionUID = 1L;

  private final Partitioner partitioner;

  SparkPartitioner(Partitioner partitioner) {
    this.partitioner = partitioner;
  }

  @Override
  public int numPartitions() {
    return partitioner.numPartitions();
  }

  @Override
  public int getPartition(Object key) {
    return partitioner.getPartition(key);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SparkPartitioner && ((SparkPartitioner) o).partitioner.equals(partitioner);
  }

  @Override
  public int hashCode() {
    return partitioner.hashCode();
  }

  @Override
  public String toString() {
    return "SparkPartitioner(" + partitioner + ")";
  }
}
