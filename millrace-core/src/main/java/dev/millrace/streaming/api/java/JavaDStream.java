package dev.millrace.streaming.api.java;

import dev.millrace.api.java.JavaRDD;
import dev.millrace.api.java.function.Function;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.dstream.DStream;
import java.util.Objects;

/**
 * A stream of records cut into batches: a sequence of {@link JavaRDD}s, one per batch interval.
 *
 * <p>The port of Spark's {@code JavaDStream}. Define transformations and at least one output
 * operation, then start the context.
 *
 * <pre>{@code
 * JavaDStream<String> words = lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator());
 * words.countByValue().print();
 * }</pre>
 *
 * @param <T> type of the records
 */
public class JavaDStream<T> implements JavaDStreamLike<T, JavaDStream<T>, JavaRDD<T>> {
  private final DStream<T> dstream;

  public JavaDStream(DStream<T> dstream) {
    this.dstream = Objects.requireNonNull(dstream, "dstream");
  }

  /** Wraps a stream. */
  public static <T> JavaDStream<T> fromDStream(DStream<T> dstream) {
    return new JavaDStream<>(dstream);
  }

  @Override
  public DStream<T> dstream() {
    return dstream;
  }

  @Override
  public JavaRDD<T> wrapRDD(RDD<T> rdd) {
    return new JavaRDD<>(rdd);
  }

  public JavaDStream<T> filter(Function<T, Boolean> f) {
    return new JavaDStream<>(dstream.filter(Objects.requireNonNull(f, "f")));
  }

  /** Keeps each batch's dataset in memory once computed ({@code MEMORY_ONLY_SER}, as Spark). */
  /**
   * Names this stream (Spark's {@code DStream.setName}). The name shows in messages and the UI and,
   * for a stateful or input stream, is its stable id in checkpoints: a named operator keeps its
   * state and progress across any change to the rest of the program. Call before start.
   *
   * @throws NullPointerException if {@code name} is null
   */
  public JavaDStream<T> name(String name) {
    dstream.setName(java.util.Objects.requireNonNull(name, "name"));
    return this;
  }

  public JavaDStream<T> cache() {
    dstream.cache();
    return this;
  }

  public JavaDStream<T> persist() {
    dstream.persist();
    return this;
  }

  public JavaDStream<T> persist(StorageLevel storageLevel) {
    dstream.persist(storageLevel);
    return this;
  }

  /** Each batch redistributed over {@code numPartitions} partitions. */
  public JavaDStream<T> repartition(int numPartitions) {
    return new JavaDStream<>(dstream.repartition(numPartitions));
  }

  /** The records of both streams, batch by batch. */
  public JavaDStream<T> union(JavaDStream<T> that) {
    return new JavaDStream<>(dstream.union(that.dstream));
  }

  /**
   * A stream whose dataset every batch is the union of this stream's datasets in the last {@code
   * windowDuration} (batches in {@code (T - windowDuration, T]}).
   *
   * @throws IllegalArgumentException if the window is not a multiple of the batch interval
   */
  public JavaDStream<T> window(Duration windowDuration) {
    return new JavaDStream<>(dstream.window(windowDuration));
  }

  /**
   * A stream whose dataset every {@code slideDuration} is the union of this stream's datasets in the
   * last {@code windowDuration}; the first windows hold the batches there are so far.
   *
   * @throws IllegalArgumentException if the window or slide is not a multiple of the batch interval
   */
  public JavaDStream<T> window(Duration windowDuration, Duration slideDuration) {
    return new JavaDStream<>(dstream.window(windowDuration, slideDuration));
  }

  /** The dataset of batch {@code validTime}, computing it if needed; null when there is none. */
  public JavaRDD<T> compute(Time validTime) {
    RDD<T> rdd = dstream.getOrCompute(validTime);
    return rdd == null ? null : new JavaRDD<>(rdd);
  }

  @Override
  public String toString() {
    return dstream.toString();
  }
}
