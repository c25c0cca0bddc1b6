package dev.millrace.streaming.api.java;

import dev.millrace.streaming.internal.dstream.DStream;
import dev.millrace.streaming.internal.dstream.PairDStreamFunctions;

/**
 * The stream returned by {@link JavaPairDStream#mapWithState}: the records the mapping function
 * returned, batch by batch, plus {@link #stateSnapshots()}.
 *
 * <p>The port of Spark's {@code JavaMapWithStateDStream}. {@code checkpoint(interval)} sets how
 * often the state is checkpointed (default: every 10 batches).
 *
 * <pre>{@code
 * JavaMapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> counts = pairs.mapWithState(spec);
 * counts.stateSnapshots().print();
 * }</pre>
 *
 * @param <K> type of the keys
 * @param <V> type of the values
 * @param <S> type of the state
 * @param <E> type of the mapped records
 */
public class JavaMapWithStateDStream<K, V, S, E> extends JavaDStream<E> {

  JavaMapWithStateDStream(DStream<E> dstream) {
    super(dstream);
  }

  /** Every key and its state after each batch (all keys, also those without records in the batch). */
  public JavaPairDStream<K, S> stateSnapshots() {
    return new JavaPairDStream<>(PairDStreamFunctions.<K, S>stateSnapshots(dstream()));
  }
}
