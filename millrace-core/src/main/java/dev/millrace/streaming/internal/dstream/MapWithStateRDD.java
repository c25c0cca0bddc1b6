package dev.millrace.streaming.internal.dstream;

import dev.millrace.MillraceException;
import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import dev.millrace.api.java.Optional;
import dev.millrace.api.java.function.Function4;
import dev.millrace.internal.rdd.Dependency;
import dev.millrace.internal.rdd.NarrowDependency;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.State;
import dev.millrace.streaming.Time;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One batch of a {@code mapWithState} stream: each partition holds exactly one {@link Record},
 * the partition's new state version and the records the mapping function returned, computed from
 * the previous batch's record of the same partition and the batch's records of that partition.
 * Only keys with records are touched; keys whose state was last updated before the timeout
 * threshold are found (one scan of the partition's states) only when {@code fullScan} is set, as
 * Spark does at checkpoint batches.
 */
final class MapWithStateRDD<K, V, S, E> extends RDD<MapWithStateRDD.Record<K, S, E>>
    implements dev.millrace.internal.rdd.ZipsParents<MapWithStateRDD.Record<K, S, E>> {
  private static final long serialVersionUID = 1L;

  /** The state version and the mapped records of one partition of one batch. */
  static final class Record<K, S, E> implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final StateMap<K, S> states;
    final List<E> mapped;

    Record(StateMap<K, S> states, List<E> mapped) {
      this.states = states;
      this.mapped = mapped;
    }
  }

  /** Records looked up ahead of processing (see {@link #update}). */
  private static final int GROUP = 32;
  /** Keeps the look-ahead lookups from being optimized away; its value means nothing. */
  private transient int lookupSink;

  private final transient RDD<Record<K, S, E>> prevState;
  private final transient RDD<Tuple2<K, V>> partitionedData;
  private final Function4<Time, K, Optional<V>, State<S>, Optional<E>> mappingFunction;
  private final Time batchTime;
  private final Long timeoutThreshold;
  private final boolean fullScan;
  private final Partitioner partitioner;

  MapWithStateRDD(RDD<Record<K, S, E>> prevState, RDD<Tuple2<K, V>> partitionedData,
      Function4<Time, K, Optional<V>, State<S>, Optional<E>> mappingFunction, Time batchTime, Long timeoutThreshold,
      boolean fullScan) {
    super(prevState.context(), "mapWithState");
    if (prevState.partitioner() == null || !prevState.partitioner().equals(partitionedData.partitioner())) {
      throw new IllegalArgumentException("requirement failed: state and data must share a partitioner, got "
          + prevState.partitioner() + " and " + partitionedData.partitioner());
    }
    this.prevState = prevState;
    this.partitionedData = partitionedData;
    this.mappingFunction = mappingFunction;
    this.batchTime = batchTime;
    this.timeoutThreshold = timeoutThreshold;
    this.fullScan = fullScan;
    this.partitioner = prevState.partitioner();
  }

  @Override
  public int numPartitions() {
    return partitioner.numPartitions();
  }

  @Override
  public Partitioner partitioner() {
    return partitioner;
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of(new NarrowDependency(prevState), new NarrowDependency(partitionedData));
  }

  @Override
  protected Iterator<Record<K, S, E>> compute(int partition) {
    return update(prevState.iterator(partition), partitionedData.iterator(partition));
  }

  @Override
  @SuppressWarnings("unchecked")
  public Iterator<Record<K, S, E>> computeFrom(int partition, List<Iterator<?>> parents) {
    return update((Iterator<Record<K, S, E>>) parents.get(0), (Iterator<Tuple2<K, V>>) parents.get(1));
  }

  private Iterator<Record<K, S, E>> update(Iterator<Record<K, S, E>> prev, Iterator<Tuple2<K, V>> data) {
    Record<K, S, E> previous = prev.hasNext() ? prev.next() : null;
    StateMap<K, S> states = previous != null ? previous.states.copy() : new StateMap<>();
    // Sized like the previous batch's output: growing a list of 100,000s by copying showed in profiles.
    List<E> mapped = new ArrayList<>(previous != null ? previous.mapped.size() + previous.mapped.size() / 4 + 16 : 16);
    StateImpl<S> state = new StateImpl<>();
    long now = batchTime.milliseconds();
    K key = null;
    try (StateMap<K, S>.Updater writer = states.updater()) {
      @SuppressWarnings("unchecked")
      Tuple2<K, V>[] group = (Tuple2<K, V>[]) new Tuple2<?, ?>[GROUP];
      int n = 0;
      int next = 0;
      while (true) {
        if (next == n) {
          // Looks up a group of records before processing them in order: the lookups of different
          // records are independent, so the processor overlaps their cache misses (the record's key,
          // the table's lines, the stored key) instead of taking them one record at a time; the
          // processing then finds those lines in the cache.
          n = 0;
          next = 0;
          while (n < GROUP && data.hasNext()) {
            group[n++] = data.next();
          }
          if (n == 0) {
            break;
          }
          int warm = 0;
          for (int i = 0; i < n; i++) {
            warm += writer.slot(group[i]._1());
          }
          lookupSink += warm;
        }
        Tuple2<K, V> t = group[next];
        group[next++] = null;
        key = t._1();
        int slot = writer.slot(key);
        state.wrap(slot >= 0, slot >= 0 ? writer.stateAt(slot) : null);
        Optional<E> out = mappingFunction.call(batchTime, key, Optional.ofNullable(t._2()), state);
        if (state.isRemoved()) {
          writer.remove(key);
        } else if (state.isUpdated() || (state.exists() && timeoutThreshold != null)) {
          if (slot >= 0) {
            writer.putAt(slot, state.get(), now);
          } else {
            writer.put(key, state.get(), now);
          }
        }
        if (out != null && out.isPresent()) {
          mapped.add(out.get());
        }
      }
      if (fullScan && timeoutThreshold != null) {
        for (Map.Entry<K, StateMap.Entry<S>> e : states.updatedBefore(timeoutThreshold)) {
          key = e.getKey();
          state.wrapTimingOut(e.getValue().state);
          Optional<E> out = mappingFunction.call(batchTime, key, Optional.empty(), state);
          if (out != null && out.isPresent()) {
            mapped.add(out.get());
          }
          writer.remove(key);
        }
      }
    } catch (MillraceException e) {
      throw e;
    } catch (Exception e) {
      throw new MillraceException("The mapping function of mapWithState failed for key " + key + " at batch "
          + batchTime + " (" + this + "): " + e, e);
    }
    return Collections.singletonList(new Record<>(states, mapped)).iterator();
  }
}
