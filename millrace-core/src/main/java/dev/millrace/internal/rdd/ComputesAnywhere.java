package dev.millrace.internal.rdd;

import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Marks a dataset without parents whose serialized node can compute its partitions on any machine,
 * because each partition says where to read its records rather than holding them: a file split on
 * a file system all nodes share, a Kafka offset range. A runtime that executes plans on a cluster
 * computes such a dataset on the executors (each task reads its own partition) instead of reading
 * it on the driver and shipping the records.
 *
 * <p>An implementation is an {@link RDD}; it keeps what {@code compute} needs in non-transient,
 * serializable fields, and its {@code compute} must not use the context.
 *
 * <p>Bad input met while reading (a vanished file, malformed content) is reported on the driver by
 * objects that do not travel. A remote runtime therefore computes a partition with {@link
 * #computeRemotely}, collects what it reports, and hands the reports of every successful task back
 * to the driver's dataset with {@link #remoteReports} once the job ran.
 */
public interface ComputesAnywhere {
  /**
   * Computes one partition on a deserialized copy of this dataset, away from the driver; reports of
   * bad input go to {@code reports} (called from the task's thread). The default computes the
   * partition as {@link RDD#iterator} does and reports nothing.
   *
   * @return the partition's records (an {@code Iterator<T>} for an {@code RDD<T>})
   */
  default Iterator<?> computeRemotely(int partition, Consumer<String> reports) {
    return ((RDD<?>) this).iterator(partition);
  }

  /**
   * On the driver: what the remote computations of this dataset's partitions reported, in no
   * defined order across partitions. The default drops them.
   */
  default void remoteReports(List<String> reports) {}
}
