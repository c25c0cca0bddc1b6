package dev.millrace.api.java.function;

import java.io.Serializable;

/**
 * A function producing zero or more key/value pairs, used by {@code flatMapToPair}.
 *
 * <p>Same shape as Spark's {@code org.apache.spark.api.java.function.PairFlatMapFunction}; a lambda or method
 * reference fits. Must be serializable so that a plan can run on another runtime; the local runtime
 * calls it on its worker threads, possibly concurrently for different partitions.
 */
@FunctionalInterface
public interface PairFlatMapFunction<T, K, V> extends Serializable {
  java.util.Iterator<dev.millrace.Tuple2<K, V>> call(T t) throws Exception;
}
