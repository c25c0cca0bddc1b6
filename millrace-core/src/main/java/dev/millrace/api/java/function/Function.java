package dev.millrace.api.java.function;

import java.io.Serializable;

/**
 * A function of one argument, used by {@code map}, {@code filter} and most operations.
 *
 * <p>Same shape as Spark's {@code org.apache.spark.api.java.function.Function}; a lambda or method
 * reference fits. Must be serializable so that a plan can run on another runtime; the local runtime
 * calls it on its worker threads, possibly concurrently for different partitions.
 */
@FunctionalInterface
public interface Function<T1, R> extends Serializable {
  R call(T1 v1) throws Exception;
}
