package dev.millrace.api.java.function;

import java.io.Serializable;

/**
 * A function producing a key/value pair, used by {@code mapToPair}.
 *
 * <p>Same shape as Spark's {@code org.apache.spark.api.java.function.PairFunction}; a lambda or method
 * reference fits. Must be serializable so that a plan can run on another runtime; the local runtime
 * calls it on its worker threads, possibly concurrently for different partitions.
 */
@FunctionalInterface
public interface PairFunction<T, K, V> extends Serializable {
  dev.millrace.Tuple2<K, V> call(T t) throws Exception;
}
