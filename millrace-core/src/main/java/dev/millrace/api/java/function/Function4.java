package dev.millrace.api.java.function;

import java.io.Serializable;

/**
 * A function of four arguments, e.g. the time-aware {@code mapWithState} mapping function.
 *
 * <p>Same shape as Spark's {@code org.apache.spark.api.java.function.Function4}; a lambda or method
 * reference fits. Must be serializable so that a plan can run on another runtime; the local runtime
 * calls it on its worker threads, possibly concurrently for different partitions.
 */
@FunctionalInterface
public interface Function4<T1, T2, T3, T4, R> extends Serializable {
  R call(T1 v1, T2 v2, T3 v3, T4 v4) throws Exception;
}
