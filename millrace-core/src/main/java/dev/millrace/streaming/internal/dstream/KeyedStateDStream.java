package dev.millrace.streaming.internal.dstream;

import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import dev.millrace.internal.rdd.MaterializingRDD;
import dev.millrace.internal.rdd.PairRDDFunctions;
import dev.millrace.internal.rdd.ParallelCollectionRDD;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.checkpoint.StateCheckpoint;
import dev.millrace.streaming.internal.checkpoint.StateEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream whose dataset at each batch is its whole state, one {@code (key, state)} pair per key,
 * hash-partitioned by a fixed partitioner: {@code updateStateByKey} and the inverse form of
 * {@code reduceByKeyAndWindow}. Checkpointing, restoring and sizing that state is the same for
 * both, so it lives here.
 *
 * @param <K> type of the keys
 * @param <S> type of the per-key state
 */
abstract class KeyedStateDStream<K, S> extends DStream<Tuple2<K, S>> {
  private static final long serialVersionUID = 1L;

  KeyedStateDStream(StreamingEngine ssc, String operation) {
    super(ssc, operation);
  }

  /** How the state is partitioned. */
  abstract Partitioner statePartitioner();

  /** The state is written synchronously at each checkpoint, so only the previous state is needed. */
  @Override
  protected final Duration minRememberDuration() {
    return slideDuration();
  }

  /** Keys in the newest complete state. */
  @Override
  public final java.util.OptionalLong stateSize() {
    return newestHeldSize(t -> 1);
  }

  @Override
  public final RDD<StateEntry> stateForCheckpoint(Time time) {
    RDD<Tuple2<K, S>> rdd = getOrCompute(time);
    return rdd == null ? null : rdd.map(t -> new StateEntry(t._1(), t._2(), StateEntry.NO_TIME));
  }

  @Override
  @SuppressWarnings("unchecked")
  public final void restoreState(Time time, StateCheckpoint checkpoint) {
    setNoDatasetsUpTo(time);
    if (checkpoint == null) {
      return;
    }
    List<Tuple2<K, S>> entries = new ArrayList<>();
    for (Tuple2<Object, StateEntry> e : entriesOf(checkpoint)) {
      entries.add(new Tuple2<>((K) e._1(), (S) e._2().state()));
    }
    Partitioner partitioner = statePartitioner();
    RDD<Tuple2<K, S>> restored = new ParallelCollectionRDD<>(context().engine(), entries, partitioner.numPartitions());
    rememberRDD(time, new MaterializingRDD<>(PairRDDFunctions.partitionBy(restored, partitioner), stateKind()));
  }
}
