package dev.millrace.api.java.function;

import java.io.Serializable;

/**
 * A function of two arguments producing zero or more results.
 *
 * <p>Same shape as Spark's {@code org.apache.spark.api.java.function.FlatMapFunction2}; a lambda or method
 * reference fits. Must be serializable so that a plan can run on another runtime; the local runtime
 * calls it on its worker threads, possibly concurrently for different partitions.
 */
@FunctionalInterface
public interface FlatMapFunction2<T1, T2, R> extends Serializable {
  java.util.Iterator<R> call(T1 t1, T2 t2) throws Exception;
}
