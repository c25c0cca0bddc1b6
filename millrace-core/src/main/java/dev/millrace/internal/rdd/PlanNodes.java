package dev.millrace.internal.rdd;

import java.util.Iterator;

/**
 * The view of a plan that a runtime executing it elsewhere (on an Apache Spark cluster, say)
 * needs: which nodes are narrow per-partition steps, and how to run a step's function on input
 * that the runtime provides.
 *
 * <p>A remote runtime walks a plan on the driver, fuses runs of steps into one partition function,
 * serializes the step nodes (which carry only their functions and names, see {@link RDD}) and, on
 * the executor, calls {@link #applyStep} with the iterator of the run's input. Stateless;
 * thread-safe.
 */
public final class PlanNodes {
  private PlanNodes() {}

  /**
   * Whether {@code rdd} is a narrow step ({@code map}, {@code filter}, {@code flatMap}, {@code
   * mapPartitions}, ...): partition {@code i} is a function of partition {@code i} of one parent.
   */
  public static boolean isStep(RDD<?> rdd) {
    return rdd instanceof MapPartitionsRDD;
  }

  /**
   * The parent of a step; only on the driver (the parent does not travel with the node).
   *
   * @throws IllegalArgumentException if {@code step} is not a step
   */
  public static RDD<?> stepParent(RDD<?> step) {
    return asStep(step).parent();
  }

  /**
   * Runs the function of {@code step} for one partition over {@code input}, the records of the
   * same partition of its parent. Works on a deserialized node.
   *
   * @throws IllegalArgumentException if {@code step} is not a step
   */
  @SuppressWarnings("unchecked")
  public static <T, U> Iterator<U> applyStep(RDD<U> step, int partition, Iterator<T> input) {
    return ((MapPartitionsRDD<T, U>) asStep(step)).apply(partition, input);
  }

  /**
   * Whether {@code rdd} has no parents and its serialized node computes its partitions anywhere
   * ({@link ComputesAnywhere}): a cluster runtime then ships the node and calls {@link RDD#iterator}
   * on the executors.
   */
  public static boolean computesAnywhere(RDD<?> rdd) {
    return rdd instanceof ComputesAnywhere && rdd.dependencies().isEmpty();
  }

  private static MapPartitionsRDD<?, ?> asStep(RDD<?> rdd) {
    if (!(rdd instanceof MapPartitionsRDD)) {
      throw new IllegalArgumentException(rdd + " is not a narrow step");
    }
    return (MapPartitionsRDD<?, ?>) rdd;
  }
}
