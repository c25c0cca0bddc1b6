package dev.millrace.streaming.internal.dstream;

import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import dev.millrace.api.java.Optional;
import dev.millrace.internal.rdd.MaterializingRDD;
import dev.millrace.internal.rdd.PairRDDFunctions;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.checkpoint.StateEntry;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * {@code updateStateByKey}: a state per key, updated every batch by calling the update function
 * for every key that has a state or new values, as Spark does (so the cost of a batch grows with
 * the number of keys). An empty result removes the key.
 *
 * <p>Spark's cases, batch by batch: with a previous state and the parent's batch, the two are
 * cogrouped by key; with no previous state (the first batch), the batch is grouped by key (or
 * cogrouped with the initial state, when one was given); the state's partitioning is kept when
 * {@code preservePartitioning}, so the next cogroup needs no shuffle of the state. Each batch's
 * state is materialized, which cuts its lineage.
 */
final class StateDStream<K, V, S> extends DStream<Tuple2<K, S>> {
  private static final long serialVersionUID = 1L;

  /** The per-key update function, time-aware. */
  @FunctionalInterface
  interface UpdateFunction<K, V, S> extends Serializable {
    Optional<S> update(Time time, K key, List<V> values, Optional<S> state) throws Exception;
  }

  private final DStream<Tuple2<K, V>> parent;
  private final UpdateFunction<K, V, S> updateFunc;
  private final Partitioner partitioner;
  private final boolean preservePartitioning;
  private final transient RDD<Tuple2<K, S>> initialRDD;

  StateDStream(DStream<Tuple2<K, V>> parent, UpdateFunction<K, V, S> updateFunc, Partitioner partitioner,
      boolean preservePartitioning, RDD<Tuple2<K, S>> initialRDD) {
    super(parent.context(), "updateStateByKey");
    this.parent = parent;
    this.updateFunc = java.util.Objects.requireNonNull(updateFunc, "updateFunc");
    this.partitioner = java.util.Objects.requireNonNull(partitioner, "partitioner");
    this.preservePartitioning = preservePartitioning;
    this.initialRDD = initialRDD;
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

  /** The state is written synchronously at each checkpoint, so only the previous state is needed. */
  @Override
  protected Duration minRememberDuration() {
    return slideDuration();
  }

  @Override
  public String stateKind() {
    return "updateStateByKey";
  }

  @Override
  public RDD<StateEntry> stateForCheckpoint(Time time) {
    RDD<Tuple2<K, S>> rdd = getOrCompute(time);
    return rdd == null ? null : rdd.map(t -> new StateEntry(t._1(), t._2(), StateEntry.NO_TIME));
  }

  @Override
  @SuppressWarnings("unchecked")
  public void restoreState(Time time, dev.millrace.streaming.internal.checkpoint.StateCheckpoint checkpoint) {
    setNoDatasetsUpTo(time);
    if (checkpoint == null) {
      return;
    }
    List<Tuple2<K, S>> entries = new ArrayList<>();
    for (Tuple2<Object, StateEntry> e : entriesOf(checkpoint)) {
      entries.add(new Tuple2<>((K) e._1(), (S) e._2().state()));
    }
    RDD<Tuple2<K, S>> restored = new dev.millrace.internal.rdd.ParallelCollectionRDD<>(context().engine(), entries,
        partitioner.numPartitions());
    rememberRDD(time, new MaterializingRDD<>(PairRDDFunctions.partitionBy(restored, partitioner), "updateStateByKey"));
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  protected RDD<Tuple2<K, S>> compute(Time validTime) {
    RDD<Tuple2<K, S>> prevState = getOrCompute(validTime.minus(slideDuration()));
    RDD<Tuple2<K, V>> data = parent.getOrCompute(validTime);
    UpdateFunction<K, V, S> f = updateFunc;
    RDD<Tuple2<K, S>> next;
    if (prevState == null && data == null) {
      return null;
    }
    if (prevState == null && initialRDD == null) {
      // First batch: the batch's values grouped by key, no states yet.
      RDD<Tuple2<K, List<Object>[]>> grouped = PairRDDFunctions.cogroup(List.of(data), partitioner,
          "updateStateByKey");
      next = grouped.mapPartitions(in -> new Updating<>(in, f, validTime, false), preservePartitioning);
    } else if (data == null) {
      // No batch: the update function sees every key with no new values.
      next = prevState.mapPartitions(in -> new Updating<>(new Iterator<Tuple2<K, List<Object>[]>>() {
        @Override
        public boolean hasNext() {
          return in.hasNext();
        }

        @Override
        public Tuple2<K, List<Object>[]> next() {
          Tuple2<K, S> t = in.next();
          return new Tuple2<>(t._1(), new List[] {Collections.emptyList(), Collections.singletonList(t._2())});
        }
      }, f, validTime, true), preservePartitioning);
    } else {
      RDD<Tuple2<K, S>> state = prevState != null ? prevState : initialRDD;
      RDD<Tuple2<K, List<Object>[]>> cogrouped = PairRDDFunctions.cogroup(List.of(data, state), partitioner,
          "updateStateByKey");
      next = cogrouped.mapPartitions(in -> new Updating<>(in, f, validTime, true), preservePartitioning);
    }
    return new MaterializingRDD<>(next, "updateStateByKey");
  }

  /** Calls the update function per key and yields the keys whose result is present. */
  private static final class Updating<K, V, S> implements Iterator<Tuple2<K, S>> {
    private final Iterator<Tuple2<K, List<Object>[]>> in;
    private final UpdateFunction<K, V, S> f;
    private final Time time;
    private final boolean withState;
    private Tuple2<K, S> next;

    Updating(Iterator<Tuple2<K, List<Object>[]>> in, UpdateFunction<K, V, S> f, Time time, boolean withState) {
      this.in = in;
      this.f = f;
      this.time = time;
      this.withState = withState;
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean hasNext() {
      while (next == null && in.hasNext()) {
        Tuple2<K, List<Object>[]> t = in.next();
        List<V> values = (List<V>) (List<?>) t._2()[0];
        Optional<S> state = withState && !t._2()[1].isEmpty()
            ? Optional.ofNullable((S) t._2()[1].get(0)) : Optional.empty();
        Optional<S> result;
        try {
          result = f.update(time, t._1(), values instanceof ArrayList ? values : new ArrayList<>(values), state);
        } catch (dev.millrace.MillraceException e) {
          throw e;
        } catch (Exception e) {
          throw new dev.millrace.MillraceException("The update function of updateStateByKey failed for key "
              + t._1() + " at batch " + time + ": " + e, e);
        }
        if (result != null && result.isPresent()) {
          next = new Tuple2<>(t._1(), result.get());
        }
      }
      return next != null;
    }

    @Override
    public Tuple2<K, S> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Tuple2<K, S> out = next;
      next = null;
      return out;
    }
  }
}
