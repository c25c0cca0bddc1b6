package dev.millrace.streaming.internal.dstream;

import dev.millrace.Tuple2;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import java.util.ArrayList;
import java.util.List;

/**
 * The records returned by a {@code mapWithState} function, batch by batch (Spark's {@code
 * MapWithStateDStreamImpl}); {@link #stateSnapshots()} gives every key's state after each batch.
 * Setting its checkpoint interval sets the state's.
 */
final class MappedWithStateDStream<K, V, S, E> extends DStream<E> {
  private static final long serialVersionUID = 1L;
  private final MapWithStateDStream<K, V, S, E> internal;

  MappedWithStateDStream(MapWithStateDStream<K, V, S, E> internal) {
    super(internal.context(), "mapWithState");
    this.internal = internal;
  }

  @Override
  public Duration slideDuration() {
    return internal.slideDuration();
  }

  @Override
  public List<DStream<?>> dependencies() {
    return List.of(internal);
  }

  @Override
  protected RDD<E> compute(Time validTime) {
    RDD<MapWithStateRDD.Record<K, S, E>> rdd = internal.getOrCompute(validTime);
    return rdd == null ? null : rdd.flatMap(r -> r.mapped.iterator());
  }

  @Override
  public DStream<E> checkpoint(Duration interval) {
    internal.checkpoint(interval);
    return this;
  }

  /** Names the state stream too, so the name identifies the state in checkpoints. */
  @Override
  public DStream<E> setName(String name) {
    internal.setName(name);
    return super.setName(name);
  }

  /** Every key and its state after each batch. */
  DStream<Tuple2<K, S>> stateSnapshots() {
    return internal.flatMap(r -> {
      List<Tuple2<K, S>> out = new ArrayList<>();
      r.states.forEach((k, s, updateTime) -> out.add(new Tuple2<>(k, s)));
      return out.iterator();
    });
  }
}
