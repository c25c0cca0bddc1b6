package dev.millrace.api.java.function;

import java.io.Serializable;

/**
 * A function of no arguments, e.g. the factory of {@code getOrCreate}.
 *
 * <p>Same shape as Spark's {@code org.apache.spark.api.java.function.Function0}; a lambda or method
 * reference fits. Must be serializable so that a plan can run on another runtime; the local runtime
 * calls it on its worker threads, possibly concurrently for different partitions.
 */
@FunctionalInterface
public interface Function0<R> extends Serializable {
  R call() throws Exception;
}
