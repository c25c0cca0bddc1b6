package dev.millrace.api.java.function;

import java.io.Serializable;

/**
 * A function of two arguments with no result, e.g. {@code foreachRDD((rdd, time) -> ...)}.
 *
 * <p>Same shape as Spark's {@code org.apache.spark.api.java.function.VoidFunction2}; a lambda or method
 * reference fits. Must be serializable so that a plan can run on another runtime; the local runtime
 * calls it on its worker threads, possibly concurrently for different partitions.
 */
@FunctionalInterface
public interface VoidFunction2<T1, T2> extends Serializable {
  void call(T1 v1, T2 v2) throws Exception;
}
