package dev.millrace.streaming.internal.dstream;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The states of one partition of a {@code mapWithState} stream, versioned by batch.
 *
 * <p>Each batch needs its own version of the states: the previous batch's version must keep
 * reading as it was (a snapshot stream, a window over it or a checkpoint may still read it), yet
 * copying every state each batch costs time proportional to the number of keys, and a batch
 * touches only the keys it has records for. Spark layers a delta map per batch over the previous
 * version and folds the chain every 20 versions, so its reads walk the chain and every 20th batch
 * copies everything.
 *
 * <p>Here the versions of one partition share one flat open-addressing table (linear probing,
 * backward-shift deletion; keys in one array, each slot's hash, writing generation and update time
 * side by side in a primitive one, states in chunks; a lookup touches few cache lines and an entry
 * costs no object of its own). The table holds the newest version, the <em>head</em>, which
 * reads and writes it directly. {@link #copy()} is O(1): it makes a new head and freezes the old
 * one, which from then on keeps an <em>undo log</em> of the entries the newer version overwrites
 * or removes (each key's first change only; each slot remembers the generation that last wrote
 * it, so that check costs nothing). A frozen version reads its undo log first and then the next
 * newer version's, up to the table: reads of the newest version cost one lookup, and older
 * versions, read rarely, pay for the versions written since. A batch therefore costs time
 * proportional to the keys it touches, and nothing is copied per batch.
 *
 * <p>Why the states live in chunks of {@value #CHUNK} slots, each copied by the first write of
 * a generation: the table is large, so it would live in the old generation, and with G1 every
 * reference stored into an old-generation array runs a write barrier that dirties and enqueues a
 * card (and fences), which for the random keys of a batch costs hundreds of nanoseconds per record,
 * several times the lookup. A chunk copied by the current generation is young, so storing into it
 * costs no barrier work; copying the chunks a batch writes costs a few milliseconds per million
 * slots. Keys, which change only when a key is added or removed, stay in one array, and the
 * metadata is primitive.
 *
 * <p>Only the head may be written, and only by one thread at a time (the task computing its
 * batch's partition); writing to a frozen version fails. Copying a frozen version (a batch
 * recomputed from an older state) gives an independent map holding a full copy of it. Threading:
 * every operation holds the lock of the shared table, so any version may be read from any thread
 * while the head is being written; a batch's writer takes the lock once for all its writes
 * ({@link #updater()}). A visitor passed to {@link #forEach} runs under the lock and must not
 * block.
 *
 * <p>Serializable (so that a cluster runtime can ship it) as the plain entries of its version; a
 * deserialized map is the head of a table of its own.
 */
final class StateMap<K, S> implements java.io.Serializable {
  private static final long serialVersionUID = 2L;

  /** A key's state and the batch time (ms) it was last updated at. Immutable. */
  static final class Entry<S> {
    final S state;
    final long updateTime;

    Entry(S state, long updateTime) {
      this.state = state;
      this.updateTime = updateTime;
    }
  }

  /** Receives entries. */
  @FunctionalInterface
  interface Visitor<K, S> {
    void visit(K key, S state, long updateTime);
  }

  /** Stands for the null key in tables and undo logs (a null slot is an empty one). */
  private static final Object NULL_KEY = new Object();
  /** An undo log's state for a key the version did not have. */
  private static final Object ABSENT = new Object();
  private static final int MIN_CAPACITY = 16;
  /** States are held in chunks of this many slots: young when copied, and never humongous. */
  private static final int CHUNK_BITS = 16;
  private static final int CHUNK = 1 << CHUNK_BITS;

  /**
   * The slots shared by the versions of one lineage, guarded by {@link #lock}.
   *
   * <p>Per slot {@code i}: {@code keys[i]} the key (null when empty, {@link #NULL_KEY} for the null
   * key); {@code meta[2i]} the generation that last wrote the slot (high 32 bits) and the key's
   * hash (low 32 bits), {@code meta[2i+1]} the update time; the state in chunk {@code i >>> CHUNK_BITS}
   * of {@code states}. A chunk is replaced by a fresh copy the first time a generation writes to
   * it (see the class comment), never written in place by two generations.
   */
  private static final class Table {
    final ReentrantLock lock = new ReentrantLock();
    Object[] keys;
    long[] meta;
    Object[][] states;
    /** The generation that copied each chunk of {@link #states}. */
    int[] chunkGeneration;
    int mask;
    int size;
    int resizeAt;
    /** The version the table holds. */
    StateMap<?, ?> head;
    int generation;

    Table(int expectedSize) {
      int capacity = MIN_CAPACITY;
      while (capacity * 3L / 4 < expectedSize) {
        capacity <<= 1;
      }
      allocate(capacity);
    }

    private void allocate(int capacity) {
      keys = new Object[capacity];
      meta = new long[2 * capacity];
      int chunk = Math.min(capacity, CHUNK);
      states = new Object[capacity / chunk][];
      for (int c = 0; c < states.length; c++) {
        states[c] = new Object[chunk];
      }
      chunkGeneration = new int[states.length];
      Arrays.fill(chunkGeneration, -1);
      mask = capacity - 1;
      resizeAt = (int) (capacity * 3L / 4);
    }

    /** The slot of {@code k} (already masked), or -1. */
    int find(Object k, int h) {
      Object[] keys = this.keys;
      long[] meta = this.meta;
      int mask = this.mask;
      int i = h & mask;
      while (true) {
        Object key = keys[i];
        if (key == null) {
          return -1;
        }
        if ((int) meta[2 * i] == h && (key == k || key.equals(k))) {
          return i;
        }
        i = (i + 1) & mask;
      }
    }

    static int generationOf(long meta0) {
      return (int) (meta0 >>> 32);
    }

    Object stateAt(int i) {
      return states[i >>> CHUNK_BITS][i & (CHUNK - 1)];
    }

    long timeAt(int i) {
      return meta[2 * i + 1];
    }

    /** Sets the state of slot {@code i}, copying its chunk first if {@code generation} has not yet. */
    void setState(int i, Object state, int generation) {
      int c = i >>> CHUNK_BITS;
      Object[] chunk = states[c];
      if (chunkGeneration[c] != generation) {
        chunk = states[c] = chunk.clone();
        chunkGeneration[c] = generation;
      }
      chunk[i & (CHUNK - 1)] = state;
    }

    /** Puts a key known to be absent. */
    void insert(Object k, int h, Object state, long time, int generation) {
      if (size >= resizeAt) {
        grow(generation);
      }
      int i = h & mask;
      while (keys[i] != null) {
        i = (i + 1) & mask;
      }
      keys[i] = k;
      setState(i, state, generation);
      meta[2 * i] = ((long) generation << 32) | (h & 0xFFFFFFFFL);
      meta[2 * i + 1] = time;
      size++;
    }

    private void grow(int generation) {
      Object[] oldKeys = keys;
      long[] oldMeta = meta;
      Object[][] oldStates = states;
      allocate((mask + 1) * 2);
      Arrays.fill(chunkGeneration, generation);
      int oldChunk = oldStates[0].length;
      for (int j = 0; j < oldKeys.length; j++) {
        Object k = oldKeys[j];
        if (k != null) {
          int i = (int) oldMeta[2 * j] & mask;
          while (keys[i] != null) {
            i = (i + 1) & mask;
          }
          keys[i] = k;
          states[i >>> CHUNK_BITS][i & (CHUNK - 1)] = oldStates[j / oldChunk][j % oldChunk];
          meta[2 * i] = oldMeta[2 * j];
          meta[2 * i + 1] = oldMeta[2 * j + 1];
        }
      }
    }

    /** Empties slot {@code i}, moving later entries of its probe run back (no tombstones). */
    void delete(int i, int generation) {
      int mask = this.mask;
      int j = i;
      while (true) {
        j = (j + 1) & mask;
        if (keys[j] == null) {
          break;
        }
        int home = (int) meta[2 * j] & mask;
        // The entry at j may fill the hole at i unless its home lies cyclically in (i, j].
        boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
          keys[i] = keys[j];
          setState(i, stateAt(j), generation);
          meta[2 * i] = meta[2 * j];
          meta[2 * i + 1] = meta[2 * j + 1];
          i = j;
        }
      }
      keys[i] = null;
      setState(i, null, generation);
      meta[2 * i] = 0;
      meta[2 * i + 1] = 0;
      size--;
    }
  }

  /**
   * The entries a frozen version had for keys that newer versions changed, in the order they were
   * changed; a key may repeat, and its first record is the version's entry. Indexed on first read.
   */
  private static final class UndoLog {
    Object[] keys = new Object[64];
    Object[] states = new Object[64];
    long[] times = new long[64];
    int count;
    HashMap<Object, Integer> index;
    int indexed;

    void add(Object k, Object state, long time) {
      if (count == keys.length) {
        int n = count * 2;
        keys = Arrays.copyOf(keys, n);
        states = Arrays.copyOf(states, n);
        times = Arrays.copyOf(times, n);
      }
      keys[count] = k;
      states[count] = state;
      times[count] = time;
      count++;
    }

    /** The first record of {@code k} (masked), or -1. */
    int find(Object k) {
      if (index == null) {
        index = new HashMap<>();
      }
      for (int i = indexed; i < count; i++) {
        index.putIfAbsent(keys[i], i);
      }
      indexed = count;
      Integer at = index.get(k);
      return at == null ? -1 : at;
    }
  }

  private transient Table table;
  private transient int generation;
  /** The version copied from this one; null while this is the head. */
  private transient StateMap<K, S> newer;
  /** While this is the head: the version it was copied from, whose undo log it fills. */
  private transient StateMap<K, S> older;
  /** Set when frozen. */
  private transient UndoLog undo;
  /** The number of entries once frozen (read without the lock, e.g. by a metrics thread); -1 before. */
  private transient volatile int frozenSize = -1;

  /** An empty map. */
  StateMap() {
    this(0);
  }

  /** An empty map with room for {@code expectedSize} keys. */
  StateMap(int expectedSize) {
    this.table = new Table(expectedSize);
    this.table.head = this;
  }

  private StateMap(Table table, int generation, StateMap<K, S> older) {
    this.table = table;
    this.generation = generation;
    this.older = older;
  }

  private static Object mask(Object key) {
    return key == null ? NULL_KEY : key;
  }

  @SuppressWarnings("unchecked")
  private static <K> K unmask(Object key) {
    return key == NULL_KEY ? null : (K) key;
  }

  private static int hash(Object k) {
    int h = k.hashCode() * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private void requireHead() {
    if (table.head != this) {
      throw new IllegalStateException("This state version is frozen: a newer version was copied from it");
    }
  }

  /** Locks the shared table. */
  private Table locked() {
    Table t = table;
    t.lock.lock();
    return t;
  }

  /** The entry of {@code key} in this version, or null if it has no state. */
  @SuppressWarnings("unchecked")
  Entry<S> get(K key) {
    Object k = mask(key);
    Table t = locked();
    try {
      for (StateMap<K, S> v = this; v != t.head; v = v.newer) {
        int u = v.undo.find(k);
        if (u >= 0) {
          Object s = v.undo.states[u];
          return s == ABSENT ? null : new Entry<>((S) s, v.undo.times[u]);
        }
      }
      int i = t.find(k, hash(k));
      return i < 0 ? null : new Entry<>((S) t.stateAt(i), t.timeAt(i));
    } finally {
      t.lock.unlock();
    }
  }

  /**
   * Sets the state of {@code key}.
   *
   * @throws IllegalStateException if this version is frozen
   */
  void put(K key, S state, long updateTime) {
    Table t = locked();
    try {
      requireHead();
      Object k = mask(key);
      int h = hash(k);
      int i = t.find(k, h);
      if (i < 0) {
        insert(k, h, state, updateTime);
      } else {
        overwrite(i, state, updateTime);
      }
    } finally {
      t.lock.unlock();
    }
  }

  /**
   * Removes the state of {@code key}, if any.
   *
   * @throws IllegalStateException if this version is frozen
   */
  void remove(K key) {
    Table t = locked();
    try {
      requireHead();
      removeUnlocked(key);
    } finally {
      t.lock.unlock();
    }
  }

  private void insert(Object k, int h, Object state, long updateTime) {
    if (older != null) {
      older.undo.add(k, ABSENT, 0);
    }
    table.insert(k, h, state, updateTime, generation);
  }

  /**
   * Before the first write of this version to occupied slot {@code i}: saves the old
   * entry for the version this one was copied from, and marks the slot written by this version.
   */
  private void saveForFrozen(int i) {
    Table t = table;
    long m = t.meta[2 * i];
    if (Table.generationOf(m) != generation) {
      if (older != null) {
        older.undo.add(t.keys[i], t.stateAt(i), t.timeAt(i));
      }
      t.meta[2 * i] = ((long) generation << 32) | (m & 0xFFFFFFFFL);
    }
  }

  /** Sets the state of occupied slot {@code i}, first saving the old entry for the frozen version. */
  private void overwrite(int i, Object state, long updateTime) {
    saveForFrozen(i);
    table.setState(i, state, generation);
    table.meta[2 * i + 1] = updateTime;
  }

  private void removeUnlocked(K key) {
    Object k = mask(key);
    Table t = table;
    int i = t.find(k, hash(k));
    if (i < 0) {
      return;
    }
    if (Table.generationOf(t.meta[2 * i]) != generation && older != null) {
      older.undo.add(k, t.stateAt(i), t.timeAt(i));
    }
    t.delete(i, generation);
  }

  /**
   * Starts writing the head from the calling thread, holding the table's lock until {@link
   * Updater#close()}.
   *
   * @throws IllegalStateException if this version is frozen
   */
  Updater updater() {
    Table t = locked();
    try {
      requireHead();
    } catch (RuntimeException e) {
      t.lock.unlock();
      throw e;
    }
    return new Updater();
  }

  /**
   * Writes the head while holding the table's lock, so that a batch's writes cost no locking
   * each; one thread, closed once. The map's own methods may be called meanwhile from the same thread.
   */
  final class Updater implements AutoCloseable {
    private boolean closed;

    /** The slot holding {@code key}, or -1; valid until the next write. */
    int slot(K key) {
      Object k = mask(key);
      return table.find(k, hash(k));
    }

    /** The state in a slot from {@link #slot}. */
    @SuppressWarnings("unchecked")
    S stateAt(int slot) {
      return (S) table.stateAt(slot);
    }

    /** Sets the state of a key. */
    void put(K key, S state, long updateTime) {
      Object k = mask(key);
      int h = hash(k);
      int i = table.find(k, h);
      if (i < 0) {
        insert(k, h, state, updateTime);
      } else {
        overwrite(i, state, updateTime);
      }
    }

    /** Sets the state in a slot from {@link #slot} (not -1), with no write since. */
    void putAt(int slot, S state, long updateTime) {
      overwrite(slot, state, updateTime);
    }

    /** Removes the state of a key, if any. */
    void remove(K key) {
      removeUnlocked(key);
    }

    /** Releases the lock. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        table.lock.unlock();
      }
    }
  }

  /**
   * A new version, initially equal to this one; this version is frozen from then on. O(1) when
   * this is the head; otherwise the new version is an independent full copy.
   */
  StateMap<K, S> copy() {
    Table t = locked();
    try {
      if (t.head != this) {
        StateMap<K, S> copy = new StateMap<>(size());
        forEach(copy::put);
        return copy;
      }
      StateMap<K, S> next = new StateMap<>(t, ++t.generation, this);
      frozenSize = t.size;
      undo = new UndoLog();
      older = null;
      newer = next;
      t.head = next;
      return next;
    } finally {
      t.lock.unlock();
    }
  }

  /** Visits every entry of this version once, in no particular order, holding the table's lock. */
  void forEach(Visitor<K, S> visitor) {
    Table t = locked();
    try {
      if (t.head == this) {
        visitTable(t, null, visitor);
        return;
      }
      // This version's entry for a key changed since is the first record of it from here on.
      Map<Object, Long> overlay = new HashMap<>();
      List<UndoLog> logs = new ArrayList<>();
      for (StateMap<K, S> v = this; v != t.head; v = v.newer) {
        UndoLog log = v.undo;
        long li = logs.size();
        logs.add(log);
        for (int i = 0; i < log.count; i++) {
          overlay.putIfAbsent(log.keys[i], (li << 32) | i);
        }
      }
      visitTable(t, overlay, visitor);
      for (long at : overlay.values()) {
        visitRecord(logs.get((int) (at >>> 32)), (int) at, visitor);
      }
    } finally {
      t.lock.unlock();
    }
  }

  @SuppressWarnings("unchecked")
  private void visitRecord(UndoLog log, int i, Visitor<K, S> visitor) {
    Object s = log.states[i];
    if (s != ABSENT) {
      visitor.visit(unmask(log.keys[i]), (S) s, log.times[i]);
    }
  }

  @SuppressWarnings("unchecked")
  private void visitTable(Table t, Map<Object, Long> overlay, Visitor<K, S> visitor) {
    Object[] keys = t.keys;
    long[] meta = t.meta;
    for (int j = 0; j < keys.length; j++) {
      Object k = keys[j];
      if (k != null && (overlay == null || !overlay.containsKey(k))) {
        visitor.visit(unmask(k), (S) t.stateAt(j), meta[2 * j + 1]);
      }
    }
  }

  /** Number of entries. */
  int size() {
    int frozen = frozenSize;
    if (frozen >= 0) {
      return frozen;
    }
    Table t = table;
    t.lock.lock();
    try {
      return t.head == this ? t.size : frozenSize;
    } finally {
      t.lock.unlock();
    }
  }

  /** The keys whose state was last updated before {@code threshold} (ms), with their entries. */
  List<Map.Entry<K, Entry<S>>> updatedBefore(long threshold) {
    List<Map.Entry<K, Entry<S>>> out = new ArrayList<>();
    forEach((k, s, time) -> {
      if (time < threshold) {
        out.add(new AbstractMap.SimpleImmutableEntry<>(k, new Entry<>(s, time)));
      }
    });
    return out;
  }

  /** Ships the version's entries. */
  private Object writeReplace() {
    List<Object> keys = new ArrayList<>();
    List<Object> states = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    forEach((k, s, time) -> {
      keys.add(k);
      states.add(s);
      times.add(time);
    });
    long[] t = new long[times.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = times.get(i);
    }
    return new Shipped(keys.toArray(), states.toArray(), t);
  }

  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("StateMap is serialized as its entries");
  }

  /** The serialized form: a version's entries. */
  private static final class Shipped implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final Object[] keys;
    private final Object[] states;
    private final long[] times;

    Shipped(Object[] keys, Object[] states, long[] times) {
      this.keys = keys;
      this.states = states;
      this.times = times;
    }

    private Object readResolve() {
      StateMap<Object, Object> map = new StateMap<>(keys.length);
      for (int i = 0; i < keys.length; i++) {
        map.put(keys[i], states[i], times[i]);
      }
      return map;
    }
  }
}
