package dev.millrace.streaming.internal.dstream;

import dev.millrace.HashPartitioner;
import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import dev.millrace.internal.rdd.EmptyRDD;
import dev.millrace.internal.rdd.MaterializingRDD;
import dev.millrace.internal.rdd.PairRDDFunctions;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.StateSpec;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.checkpoint.StateEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The state stream behind {@code mapWithState} (Spark's {@code InternalMapWithStateDStream}): per
 * batch, one {@link MapWithStateRDD.Record} per state partition. The mapped records and the state
 * snapshots are views of it ({@link MappedWithStateDStream}).
 *
 * <p>The first batch starts from the spec's initial state (each key's idle time counting from that
 * batch) or from no state. The state is checkpointed every 10 slides unless set otherwise (Spark's
 * default for this operation), and timeouts are found at those batches, as in Spark.
 */
final class MapWithStateDStream<K, V, S, E> extends DStream<MapWithStateRDD.Record<K, S, E>> {
  private static final long serialVersionUID = 1L;
  private static final int DEFAULT_CHECKPOINT_MULTIPLIER = 10;

  private final DStream<Tuple2<K, V>> parent;
  private final StateSpec<K, V, S, E> spec;
  private final Partitioner partitioner;

  MapWithStateDStream(DStream<Tuple2<K, V>> parent, StateSpec<K, V, S, E> spec) {
    super(parent.context(), "mapWithState");
    this.parent = parent;
    this.spec = java.util.Objects.requireNonNull(spec, "spec");
    this.partitioner = spec.getPartitioner() != null ? spec.getPartitioner()
        : new HashPartitioner(parent.context().engine().defaultParallelism());
    setMustCheckpoint();
  }

  @Override
  public Duration slideDuration() {
    return parent.slideDuration();
  }

  @Override
  public List<DStream<?>> dependencies() {
    return List.of(parent);
  }

  @Override
  protected Duration defaultCheckpointDuration() {
    return slideDuration().times(DEFAULT_CHECKPOINT_MULTIPLIER);
  }

  /** The state is written synchronously at each checkpoint, so only the previous version is needed. */
  @Override
  protected Duration minRememberDuration() {
    return slideDuration();
  }

  @Override
  public String stateKind() {
    return "mapWithState";
  }

  /** Keys in the newest complete state. */
  @Override
  public java.util.OptionalLong stateSize() {
    return newestHeldSize(r -> r.states.size());
  }

  @Override
  public RDD<StateEntry> stateForCheckpoint(Time time) {
    RDD<MapWithStateRDD.Record<K, S, E>> rdd = getOrCompute(time);
    return rdd == null ? null : rdd.flatMap(r -> {
      List<StateEntry> out = new ArrayList<>();
      r.states.forEach((k, s, updateTime) -> out.add(new StateEntry(k, s, updateTime)));
      return out.iterator();
    });
  }

  @Override
  @SuppressWarnings("unchecked")
  public void restoreState(Time time, dev.millrace.streaming.internal.checkpoint.StateCheckpoint checkpoint) {
    setNoDatasetsUpTo(time);
    if (checkpoint == null) {
      return;
    }
    List<Tuple2<K, StateEntry>> entries = new ArrayList<>();
    for (Tuple2<Object, StateEntry> e : entriesOf(checkpoint)) {
      entries.add(new Tuple2<>((K) e._1(), e._2()));
    }
    RDD<Tuple2<K, StateEntry>> restored = new dev.millrace.internal.rdd.ParallelCollectionRDD<>(context().engine(),
        entries, partitioner.numPartitions());
    rememberRDD(time, new MaterializingRDD<>(PairRDDFunctions.partitionBy(restored, partitioner).mapPartitions(
        (Iterator<Tuple2<K, StateEntry>> in) -> {
          StateMap<K, S> states = new StateMap<>();
          while (in.hasNext()) {
            Tuple2<K, StateEntry> t = in.next();
            states.put(t._1(), (S) t._2().state(), t._2().updateTime());
          }
          return Collections.singletonList(new MapWithStateRDD.Record<K, S, E>(states, List.of())).iterator();
        }, true), "mapWithState"));
  }

  @Override
  protected RDD<MapWithStateRDD.Record<K, S, E>> compute(Time validTime) {
    RDD<MapWithStateRDD.Record<K, S, E>> prev = getOrCompute(validTime.minus(slideDuration()));
    if (prev == null) {
      RDD<Tuple2<K, S>> initial = spec.getInitialStateRDD() != null ? spec.getInitialStateRDD()
          : new EmptyRDD<>(context().engine());
      long createdAt = validTime.milliseconds();
      prev = PairRDDFunctions.partitionBy(initial, partitioner).mapPartitions(
          (Iterator<Tuple2<K, S>> in) -> {
            StateMap<K, S> states = new StateMap<>();
            while (in.hasNext()) {
              Tuple2<K, S> t = in.next();
              states.put(t._1(), t._2(), createdAt);
            }
            return Collections.singletonList(new MapWithStateRDD.Record<K, S, E>(states, List.of())).iterator();
          }, true);
    }
    RDD<Tuple2<K, V>> data = parent.getOrCompute(validTime);
    if (data == null) {
      data = new EmptyRDD<>(context().engine());
    }
    RDD<Tuple2<K, V>> partitioned = PairRDDFunctions.partitionBy(data, partitioner);
    Duration timeout = spec.getTimeoutInterval();
    Long threshold = timeout == null ? null : validTime.minus(timeout).milliseconds();
    return new MaterializingRDD<>(new MapWithStateRDD<>(prev, partitioned, spec.getFunction(), validTime, threshold,
        isCheckpointTime(validTime)), "mapWithState");
  }
}
