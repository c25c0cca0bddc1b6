package dev.millrace.streaming;

import dev.millrace.HashPartitioner;
import dev.millrace.Partitioner;
import dev.millrace.api.java.JavaPairRDD;
import dev.millrace.api.java.Optional;
import dev.millrace.api.java.function.Function3;
import dev.millrace.api.java.function.Function4;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.Tuple2;
import java.io.Serializable;
import java.util.Objects;

/**
 * Everything {@code mapWithState} needs: the mapping function, and optionally the initial states,
 * the partitioning of the state and an idle timeout.
 *
 * <p>The port of Spark's {@code StateSpec}. Build one with {@link #function(Function3)} or {@link
 * #function(Function4)}, then chain the setters, which change and return this spec.
 *
 * <pre>{@code
 * StateSpec<String, Integer, Integer, Tuple2<String, Integer>> spec =
 *     StateSpec.function(count).numPartitions(4).timeout(Durations.seconds(30));
 * JavaMapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> counts =
 *     pairs.mapWithState(spec);
 * }</pre>
 *
 * <p>Semantics, as in Spark: the function is called once per record of a batch (in the batch's
 * order within a partition) and once for each key whose state times out. A state times out when
 * its key has had no record for longer than the timeout; timed-out keys are found in the batches
 * at which the state is checkpointed (every 10 batches by default), as in Spark. Not thread-safe;
 * configure it before passing it to {@code mapWithState}.
 *
 * @param <K> type of the keys
 * @param <V> type of the values
 * @param <S> type of the state
 * @param <E> type of the mapped records
 */
public final class StateSpec<K, V, S, E> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Function4<Time, K, Optional<V>, State<S>, Optional<E>> function;
  private transient RDD<Tuple2<K, S>> initialState;
  private Partitioner partitioner;
  private Duration timeout;

  private StateSpec(Function4<Time, K, Optional<V>, State<S>, Optional<E>> function) {
    this.function = function;
  }

  /**
   * A spec with a time-aware mapping function: called with the batch time, the key, the value (empty
   * when the key is timing out) and the state; an empty result maps to no record.
   *
   * @throws NullPointerException if {@code mappingFunction} is null
   */
  public static <K, V, S, E> StateSpec<K, V, S, E> function(
      Function4<Time, K, Optional<V>, State<S>, Optional<E>> mappingFunction) {
    return new StateSpec<>(Objects.requireNonNull(mappingFunction, "mappingFunction"));
  }

  /**
   * A spec with a mapping function of the key, the value (empty when the key is timing out) and the
   * state; a null result maps to no record, as in Spark.
   *
   * @throws NullPointerException if {@code mappingFunction} is null
   */
  public static <K, V, S, E> StateSpec<K, V, S, E> function(
      Function3<K, Optional<V>, State<S>, E> mappingFunction) {
    Objects.requireNonNull(mappingFunction, "mappingFunction");
    return new StateSpec<>((time, key, value, state) -> Optional.ofNullable(mappingFunction.call(key, value, state)));
  }

  /** The states the keys start with; their idle time counts from the first batch. */
  public StateSpec<K, V, S, E> initialState(JavaPairRDD<K, S> rdd) {
    this.initialState = Objects.requireNonNull(rdd, "rdd").rdd();
    return this;
  }

  /** The state is hash-partitioned over {@code numPartitions} partitions. */
  public StateSpec<K, V, S, E> numPartitions(int numPartitions) {
    return partitioner(new HashPartitioner(numPartitions));
  }

  /** The state is partitioned by {@code partitioner}. */
  public StateSpec<K, V, S, E> partitioner(Partitioner partitioner) {
    this.partitioner = Objects.requireNonNull(partitioner, "partitioner");
    return this;
  }

  /**
   * Removes the state of keys that had no record for longer than {@code idleDuration}, calling the
   * function one last time with {@link State#isTimingOut()} true.
   */
  public StateSpec<K, V, S, E> timeout(Duration idleDuration) {
    this.timeout = Objects.requireNonNull(idleDuration, "idleDuration");
    return this;
  }

  /** Internal: the mapping function in its time-aware form. */
  public Function4<Time, K, Optional<V>, State<S>, Optional<E>> getFunction() {
    return function;
  }

  /** Internal: the initial states, or null. */
  public RDD<Tuple2<K, S>> getInitialStateRDD() {
    return initialState;
  }

  /** Internal: the partitioner, or null for the default. */
  public Partitioner getPartitioner() {
    return partitioner;
  }

  /** Internal: the idle timeout, or null. */
  public Duration getTimeoutInterval() {
    return timeout;
  }
}
