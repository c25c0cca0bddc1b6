package dev.millrace.internal.runtime;

import dev.millrace.internal.rdd.RDD;
import java.util.List;

/**
 * Executes dataset plans: runs the shuffles a dataset needs, then one task per requested
 * partition, and returns the tasks' results in partition order.
 *
 * <p>The local runtime runs tasks on a fixed pool of worker threads in this JVM; other runtimes
 * may run the same plans elsewhere. Thread-safe: jobs may be submitted concurrently.
 */
public interface BatchRuntime {

  /** Partitions of {@code parallelize} and of shuffles when the caller gives no number. */
  int defaultParallelism();

  /**
   * Runs {@code task} over the given partitions of {@code rdd}.
   *
   * @return one result per requested partition, in the order requested
   * @throws dev.millrace.MillraceException if a task fails; its message names the operation
   */
  <T, U> List<U> runJob(RDD<T> rdd, PartitionTask<T, U> task, int[] partitions);

  /**
   * {@code rdd} was unpersisted: a runtime that caches its partitions elsewhere (see {@link
   * RDD#runtimeHandle()}) drops them. The local runtime caches in the dataset itself: nothing to do.
   */
  default void unpersist(RDD<?> rdd) {}

  /**
   * The id the cluster manager gave this application (Spark's {@code spark.app.id}, e.g. {@code
   * app-20261125012345-0007} on a standalone master), or null when the runtime has none: the local
   * runtime, whose application the context names {@code local-<start ms>} as Spark does.
   */
  default String applicationId() {
    return null;
  }

  /** Stops the runtime's threads; jobs submitted afterwards fail. */
  void stop();
}
