package dev.millrace.api.java;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.internal.EngineContext;
import dev.millrace.internal.rdd.EmptyRDD;
import dev.millrace.internal.rdd.ParallelCollectionRDD;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.internal.rdd.UnionRDD;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The entry point for batch datasets: makes datasets from collections and runs them on the local
 * runtime.
 *
 * <p>The port of Spark's {@code JavaSparkContext}. {@code local[N]} runs tasks on N worker threads
 * in this JVM; {@link #stop()} ends them. Thread-safe.
 *
 * <pre>{@code
 * try (JavaMillraceContext sc = new JavaMillraceContext("local[2]", "app")) {
 *   long evens = sc.parallelize(List.of(1, 2, 3, 4)).filter(x -> x % 2 == 0).count();
 * }
 * }</pre>
 */
public final class JavaMillraceContext implements Closeable {
  private final EngineContext engine;

  /**
   * Creates a context from a configuration that names a master and an application.
   *
   * @throws IllegalArgumentException if the master or the application name is missing or invalid
   */
  public JavaMillraceContext(MillraceConf conf) {
    this.engine = new EngineContext(Objects.requireNonNull(conf, "conf"));
  }

  public JavaMillraceContext(String master, String appName) {
    this(new MillraceConf().setMaster(master).setAppName(appName));
  }

  public JavaMillraceContext(String master, String appName, MillraceConf conf) {
    this(conf.clone().setMaster(master).setAppName(appName));
  }

  /** Internal: the engine behind this context. */
  public EngineContext engine() {
    return engine;
  }

  /**
   * Sets the directory for dataset checkpoints (Spark's {@code setCheckpointDir}): stateful streams
   * write their state there. Unlike {@code JavaStreamingContext.checkpoint}, it does not enable
   * metadata checkpoints, so a program using it cannot be recovered with {@code getOrCreate}, but
   * it works with queue streams, which cannot be checkpointed.
   *
   * @throws IllegalArgumentException if the directory cannot be created
   */
  public void setCheckpointDir(String directory) {
    try {
      java.nio.file.Files.createDirectories(java.nio.file.Paths.get(java.util.Objects.requireNonNull(directory,
          "directory")));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("Cannot create checkpoint directory " + directory, e);
    }
    engine.setCheckpointDir(directory);
  }

  /** The directory set with {@link #setCheckpointDir}, if any. */
  public java.util.Optional<String> getCheckpointDir() {
    return java.util.Optional.ofNullable(engine.checkpointDir());
  }

  /** A copy of the configuration. */
  public MillraceConf getConf() {
    return engine.conf().clone();
  }

  public String master() {
    return engine.master();
  }

  public String appName() {
    return engine.appName();
  }

  /** Partitions of {@link #parallelize(List)} and of shuffles when none are given. */
  public int defaultParallelism() {
    return engine.defaultParallelism();
  }

  /** Cuts {@code list} into {@link #defaultParallelism()} partitions. */
  public <T> JavaRDD<T> parallelize(List<T> list) {
    return parallelize(list, defaultParallelism());
  }

  /** Cuts {@code list} into {@code numSlices} partitions of near-equal size. */
  public <T> JavaRDD<T> parallelize(List<T> list, int numSlices) {
    engine.assertNotStopped();
    return new JavaRDD<>(new ParallelCollectionRDD<>(engine, Objects.requireNonNull(list, "list"), numSlices));
  }

  public <K, V> JavaPairRDD<K, V> parallelizePairs(List<Tuple2<K, V>> list) {
    return parallelizePairs(list, defaultParallelism());
  }

  public <K, V> JavaPairRDD<K, V> parallelizePairs(List<Tuple2<K, V>> list, int numSlices) {
    engine.assertNotStopped();
    return new JavaPairRDD<>(new ParallelCollectionRDD<>(engine, Objects.requireNonNull(list, "list"), numSlices));
  }

  /** A dataset with no partitions. */
  public <T> JavaRDD<T> emptyRDD() {
    return new JavaRDD<>(new EmptyRDD<>(engine));
  }

  /** The partitions of all the given datasets, one after another. */
  @SafeVarargs
  public final <T> JavaRDD<T> union(JavaRDD<T>... rdds) {
    List<RDD<T>> parts = new ArrayList<>();
    for (JavaRDD<T> r : rdds) {
      parts.add(r.rdd());
    }
    return new JavaRDD<>(new UnionRDD<>(engine, parts));
  }

  @SafeVarargs
  public final <K, V> JavaPairRDD<K, V> union(JavaPairRDD<K, V>... rdds) {
    List<RDD<Tuple2<K, V>>> parts = new ArrayList<>();
    for (JavaPairRDD<K, V> r : rdds) {
      parts.add(r.rdd());
    }
    return new JavaPairRDD<>(new UnionRDD<>(engine, parts));
  }

  public boolean isStopped() {
    return engine.isStopped();
  }

  /** Stops the worker threads; idempotent. */
  public void stop() {
    engine.stop();
  }

  @Override
  public void close() {
    stop();
  }
}
