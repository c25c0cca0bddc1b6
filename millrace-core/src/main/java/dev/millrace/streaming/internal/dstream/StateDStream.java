package dev.millrace.streaming.internal.dstream;

import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import dev.millrace.api.java.Optional;
import dev.millrace.internal.rdd.MaterializingRDD;
import dev.millrace.internal.rdd.PairRDDFunctions;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * {@code updateStateByKey}: a state per key, updated every batch by calling the update function
 * for every key that has a state or new values, as Spark does (so the cost of a batch grows with
 * the number of keys). An empty result removes the key.
 *
 * <p>Spark's cases, batch by batch: with a previous state and the parent's batch, the two are
 * combined by key; with no previous state (the first batch), the batch is grouped by key (and
 * combined with the initial state, when one was given); the state's partitioning is kept when
 * {@code preservePartitioning}, so the next batch needs no shuffle of the state. Each batch's
 * state is materialized, which cuts its lineage.
 */
final class StateDStream<K, V, S> extends KeyedStateDStream<K, S> {
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

  @Override
  Partitioner statePartitioner() {
    return partitioner;
  }

  @Override
  public String stateKind() {
    return "updateStateByKey";
  }


  @Override
  protected RDD<Tuple2<K, S>> compute(Time validTime) {
    RDD<Tuple2<K, S>> prevState = getOrCompute(validTime.minus(slideDuration()));
    RDD<Tuple2<K, V>> data = parent.getOrCompute(validTime);
    if (prevState == null && data == null) {
      return null;
    }
    RDD<Tuple2<K, S>> state = prevState != null ? prevState : initialRDD;
    // Both sides partitioned by the state's partitioner: no shuffle for a state that kept it.
    RDD<Tuple2<K, S>> partitionedState = state == null ? null : PairRDDFunctions.partitionBy(state, partitioner);
    RDD<Tuple2<K, Iterable<V>>> grouped = data == null ? null : PairRDDFunctions.groupByKey(data, partitioner);
    return new MaterializingRDD<>(new UpdateRDD<>(partitionedState, grouped, updateFunc, validTime, partitioner,
        preservePartitioning), "updateStateByKey");
  }

  /**
   * One batch of state: per partition, the previous states streamed in order with the batch's values
   * of their keys (from a map of the batch's keys only), then the keys new in this batch. Equivalent
   * to Spark's cogroup of the state with the batch, without building a map of every key.
   */
  private static final class UpdateRDD<K, V, S> extends RDD<Tuple2<K, S>>
      implements dev.millrace.internal.rdd.ZipsParents<Tuple2<K, S>> {
    private static final long serialVersionUID = 1L;
    private final transient RDD<Tuple2<K, S>> state;
    private final transient RDD<Tuple2<K, Iterable<V>>> grouped;
    private final boolean hasState;
    private final boolean hasGrouped;
    private final UpdateFunction<K, V, S> f;
    private final Time time;
    private final Partitioner partitioner;
    private final boolean preservePartitioning;

    UpdateRDD(RDD<Tuple2<K, S>> state, RDD<Tuple2<K, Iterable<V>>> grouped, UpdateFunction<K, V, S> f, Time time,
        Partitioner partitioner, boolean preservePartitioning) {
      super((state != null ? state : grouped).context(), "updateStateByKey");
      this.state = state;
      this.grouped = grouped;
      this.hasState = state != null;
      this.hasGrouped = grouped != null;
      this.f = f;
      this.time = time;
      this.partitioner = partitioner;
      this.preservePartitioning = preservePartitioning;
    }

    @Override
    public int numPartitions() {
      return partitioner.numPartitions();
    }

    @Override
    public Partitioner partitioner() {
      return preservePartitioning ? partitioner : null;
    }

    @Override
    public List<dev.millrace.internal.rdd.Dependency> dependencies() {
      List<dev.millrace.internal.rdd.Dependency> deps = new ArrayList<>(2);
      if (state != null) {
        deps.add(new dev.millrace.internal.rdd.NarrowDependency(state));
      }
      if (grouped != null) {
        deps.add(new dev.millrace.internal.rdd.NarrowDependency(grouped));
      }
      return deps;
    }

    @Override
    protected Iterator<Tuple2<K, S>> compute(int partition) {
      return update(state == null ? null : state.iterator(partition),
          grouped == null ? null : grouped.iterator(partition));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Iterator<Tuple2<K, S>> computeFrom(int partition, List<Iterator<?>> parents) {
      int i = 0;
      Iterator<Tuple2<K, S>> states = hasState ? (Iterator<Tuple2<K, S>>) parents.get(i++) : null;
      Iterator<Tuple2<K, Iterable<V>>> values = hasGrouped ? (Iterator<Tuple2<K, Iterable<V>>>) parents.get(i) : null;
      return update(states, values);
    }

    @SuppressWarnings("unchecked")
    private Iterator<Tuple2<K, S>> update(Iterator<Tuple2<K, S>> previous, Iterator<Tuple2<K, Iterable<V>>> in) {
      HashMap<K, List<V>> batch = new HashMap<>();
      if (in != null) {
        while (in.hasNext()) {
          Tuple2<K, Iterable<V>> t = in.next();
          batch.put(t._1(), (List<V>) t._2());
        }
      }
      Iterator<Tuple2<K, S>> states = previous == null ? Collections.emptyIterator() : previous;
      return new Updating<>(states, batch, f, time);
    }
  }

  /**
   * Calls the update function for every previous state (with the batch's values of its key, or none),
   * then for every key of the batch without a state, yielding the keys whose result is present.
   */
  private static final class Updating<K, V, S> implements Iterator<Tuple2<K, S>> {
    private final Iterator<Tuple2<K, S>> states;
    private final HashMap<K, List<V>> batch;
    private final UpdateFunction<K, V, S> f;
    private final Time time;
    private Iterator<java.util.Map.Entry<K, List<V>>> newKeys;
    private Tuple2<K, S> next;

    Updating(Iterator<Tuple2<K, S>> states, HashMap<K, List<V>> batch, UpdateFunction<K, V, S> f, Time time) {
      this.states = states;
      this.batch = batch;
      this.f = f;
      this.time = time;
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (states.hasNext()) {
          Tuple2<K, S> t = states.next();
          List<V> values = batch.remove(t._1());
          call(t._1(), values == null ? new ArrayList<>(0) : values, Optional.ofNullable(t._2()));
          if (next != null && next._2() == t._2()) {
            // The same state object: keep the previous record (immutable) rather than a new one, so
            // that unchanged keys add no garbage and old records stay where the collector put them.
            next = t;
          }
        } else {
          if (newKeys == null) {
            newKeys = batch.entrySet().iterator();
          }
          if (!newKeys.hasNext()) {
            return false;
          }
          java.util.Map.Entry<K, List<V>> e = newKeys.next();
          call(e.getKey(), e.getValue(), Optional.empty());
        }
      }
      return true;
    }

    private void call(K key, List<V> values, Optional<S> state) {
      Optional<S> result;
      try {
        result = f.update(time, key, values, state);
      } catch (dev.millrace.MillraceException e) {
        throw e;
      } catch (Exception e) {
        throw new dev.millrace.MillraceException("The update function of updateStateByKey failed for key " + key
            + " at batch " + time + ": " + e, e);
      }
      if (result != null && result.isPresent()) {
        next = new Tuple2<>(key, result.get());
      }
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
