package dev.millrace.streaming.internal.dstream;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The states of one partition of a {@code mapWithState} stream, versioned by batch.
 *
 * <p>Each batch needs its own version of the states (the previous batch's version must stay as it
 * was, since other readers may still use it), but copying every state each batch would cost time
 * proportional to the number of keys. So, as Spark's {@code OpenHashMapBasedStateMap} does, {@link
 * #copy()} returns a new layer that records only the keys changed in its batch (puts and removal
 * markers) over the unchanged previous version. Reads look through the layers, newest first. When
 * the chain of layers reaches {@link #DELTA_CHAIN_THRESHOLD}, {@code copy()} folds it into one flat
 * layer, so a read never looks through more than that many layers and old layers are released:
 * the cost per batch grows with the keys touched, plus one fold every {@code DELTA_CHAIN_THRESHOLD}
 * batches.
 *
 * <p>A version is written by one task (the one computing its batch's partition) and only read
 * afterwards.
 */
final class StateMap<K, S> {
  static final int DELTA_CHAIN_THRESHOLD = 20;

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
      HashMap<K, Entry<S>> flat = new HashMap<>(Math.max(16, (int) (size() / 0.75f) + 1));
      forEach(flat::put);
      return new StateMap<>(null, flat);
    }
    return new StateMap<>(this, new HashMap<>());
  }

  /** Receives entries. */
  @FunctionalInterface
  interface Visitor<K, S> {
    void visit(K key, Entry<S> entry);
  }

  /** Visits every live entry once, newest version of each key. */
  void forEach(Visitor<K, S> visitor) {
    if (parent == null) {
      for (Map.Entry<K, Entry<S>> e : delta.entrySet()) {
        if (!e.getValue().deleted) {
          visitor.visit(e.getKey(), e.getValue());
        }
      }
      return;
    }
    Set<K> seen = new HashSet<>();
    for (StateMap<K, S> m = this; m != null; m = m.parent) {
      for (Map.Entry<K, Entry<S>> e : m.delta.entrySet()) {
        if (seen.add(e.getKey()) && !e.getValue().deleted) {
          visitor.visit(e.getKey(), e.getValue());
        }
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
