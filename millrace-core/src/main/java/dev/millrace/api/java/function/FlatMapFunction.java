package dev.millrace.api.java.function;

import java.io.Serializable;

/**
 * A function producing zero or more results for one input, used by {@code flatMap}; returns an {@link java.util.Iterator}, as in Spark 2 and later.
 *
 * <p>Same shape as Spark's {@code org.apache.spark.api.java.function.FlatMapFunction}; a lambda or method
 * reference fits. Must be serializable so that a plan can run on another runtime; the local runtime
 * calls it on its worker threads, possibly concurrently for different partitions.
 */
@FunctionalInterface
public interface FlatMapFunction<T, R> extends Serializable {
  java.util.Iterator<R> call(T t) throws Exception;
}
