package dev.millrace.api.java.function;

import java.io.Serializable;

/**
 * A function with no result, used by {@code foreach} and {@code foreachRDD}.
 *
 * <p>Same shape as Spark's {@code org.apache.spark.api.java.function.VoidFunction}; a lambda or method
 * reference fits. Must be serializable so that a plan can run on another runtime; the local runtime
 * calls it on its worker threads, possibly concurrently for different partitions.
 */
@FunctionalInterface
public interface VoidFunction<T> extends Serializable {
  void call(T t) throws Exception;
}
