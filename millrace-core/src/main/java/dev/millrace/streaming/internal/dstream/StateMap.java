package dev.millrace.streaming.internal.dstream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The states of one partition of a {@code mapWithState} stream, versioned by batch.
 *
 * <p>Each batch needs its own version of the states (the previous batch's version must stay as it
 * was, since other readers may still use it), but copying every state each batch would cost time
 * proportional to the number of keys. So, as Spark's {@code OpenHashMapBasedStateMap} does, {@link
 * #copy()} returns a new layer that records only the keys changed in its batch (puts and removal
 * markers) over the unchanged previous version. Reads look through the layers, newest first. When
 * the chain of layers reaches {@link #DELTA_CHAIN_THRESHOLD}, {@code copy()} folds it into one flat
 * layer (as Spark's map does every 20 versions), so a read never looks through more than that many
 * layers and old layers are released: the cost per batch grows with the keys touched, plus one
 * fold every {@code DELTA_CHAIN_THRESHOLD} batches.
 *
 * <p>A version is written by one task (the one computing its batch's partition) and only read
 * afterwards.
 */
final class StateMap<K, S> {
  /**
   * Longest chain of layers. A read looks through up to this many maps, and a fold copies every
   * state once per this many versions; with R records and N keys a batch costs about R * D / 2
   * lookups plus N / D copies, which is least near D = 6..8 for the usual R/N of 1/10 (Spark uses 20).
   */
  static final int DELTA_CHAIN_THRESHOLD = 8;

  /** A key's state and the batch time (ms) it was last updated at; a null state object marks removal. */
  static final class Entry<S> {
    final S state;
    final long updateTime;
    final boolean deleted;

    Entry(S state, long updateTime, boolean deleted) {
      this.state = state;
      this.updateTime = updateTime;
      this.deleted = deleted;
    }
  }

  private static final Entry<Object> DELETED = new Entry<>(null, Long.MIN_VALUE, true);

  private final StateMap<K, S> parent;
  private final int depth;
  private final HashMap<K, Entry<S>> delta;

  /** An empty map. */
  StateMap() {
    this(null, new HashMap<>());
  }

  private StateMap(StateMap<K, S> parent, HashMap<K, Entry<S>> delta) {
    this.parent = parent;
    this.depth = parent == null ? 0 : parent.depth + 1;
    this.delta = delta;
  }

  /** The entry of {@code key}, or null if it has no state. */
  Entry<S> get(K key) {
    for (StateMap<K, S> m = this; m != null; m = m.parent) {
      Entry<S> e = m.delta.get(key);
      if (e != null) {
        return e.deleted ? null : e;
      }
    }
    return null;
  }

  void put(K key, S state, long updateTime) {
    delta.put(key, new Entry<>(state, updateTime, false));
  }

  @SuppressWarnings("unchecked")
  void remove(K key) {
    if (parent != null && parent.get(key) != null) {
      delta.put(key, (Entry<S>) DELETED);
    } else {
      delta.remove(key);
    }
  }

  /** A new version over this one (or a flat copy every {@link #DELTA_CHAIN_THRESHOLD} versions). */
  StateMap<K, S> copy() {
    if (depth + 1 >= DELTA_CHAIN_THRESHOLD) {
      return new StateMap<>(null, flatten());
    }
    return new StateMap<>(this, new HashMap<>());
  }

  /**
   * The live entries of this version as one map: the oldest layer copied, then each newer layer's
   * changes applied in order (no per-key bookkeeping of which layer shadows which).
   */
  private HashMap<K, Entry<S>> flatten() {
    // The oldest layer never holds removal markers (remove() there deletes the entry itself).
    if (parent == null) {
      return new HashMap<>(delta);
    }
    @SuppressWarnings("unchecked")
    StateMap<K, S>[] chain = new StateMap[depth + 1];
    int i = depth;
    for (StateMap<K, S> m = this; m != null; m = m.parent) {
      chain[i--] = m;
    }
    HashMap<K, Entry<S>> flat = new HashMap<>(chain[0].delta);
    for (int j = 1; j < chain.length; j++) {
      for (Map.Entry<K, Entry<S>> e : chain[j].delta.entrySet()) {
        if (e.getValue().deleted) {
          flat.remove(e.getKey());
        } else {
          flat.put(e.getKey(), e.getValue());
        }
      }
    }
    return flat;
  }

  /** Receives entries. */
  @FunctionalInterface
  interface Visitor<K, S> {
    void visit(K key, Entry<S> entry);
  }

  /** Visits every live entry once, newest version of each key. */
  void forEach(Visitor<K, S> visitor) {
    Map<K, Entry<S>> all = parent == null ? delta : flatten();
    for (Map.Entry<K, Entry<S>> e : all.entrySet()) {
      if (!e.getValue().deleted) {
        visitor.visit(e.getKey(), e.getValue());
      }
    }
  }

  /** Number of live entries (a full scan for a layered map). */
  int size() {
    int[] n = new int[1];
    forEach((k, e) -> n[0]++);
    return n[0];
  }

  /** The keys whose state was last updated before {@code threshold} (ms), with their entries. */
  List<Map.Entry<K, Entry<S>>> updatedBefore(long threshold) {
    List<Map.Entry<K, Entry<S>>> out = new ArrayList<>();
    forEach((k, e) -> {
      if (e.updateTime < threshold) {
        out.add(new java.util.AbstractMap.SimpleImmutableEntry<>(k, e));
      }
    });
    return out;
  }
}
