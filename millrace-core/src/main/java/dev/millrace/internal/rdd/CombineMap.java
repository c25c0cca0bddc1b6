package dev.millrace.internal.rdd;

import dev.millrace.api.java.function.Function;
import dev.millrace.api.java.function.Function2;

/**
 * An open-addressing hash map from keys to combiners, with one probe sequence per record.
 *
 * <p>{@code java.util.HashMap} needs a lookup and an insert (or a capturing lambda) per record to
 * combine; this map finds the slot once and either creates or folds the combiner there, as Spark's
 * {@code AppendOnlyMap} does. Keys use {@code equals}/{@code hashCode}; the null key is allowed.
 * Not thread-safe: one map per task.
 */
public final class CombineMap {
  private static final Object NULL_KEY = new Object();

  private Object[] keys;
  private Object[] values;
  private int mask;
  private int size;
  private int growAt;

  public CombineMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, (int) (expected / 0.6f)) - 1) << 1;
    allocate(cap);
  }

  private void allocate(int capacity) {
    keys = new Object[capacity];
    values = new Object[capacity];
    mask = capacity - 1;
    growAt = (int) (capacity * 0.65f);
  }

  private static int spread(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private int slot(Object k) {
    int i = spread(k.hashCode()) & mask;
    while (true) {
      Object cur = keys[i];
      if (cur == null || cur == k || cur.equals(k)) {
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  /** Folds {@code value} into the combiner of {@code key}, creating it if absent. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void combineValue(Object key, Object value, Function createCombiner, Function2 mergeValue)
      throws Exception {
    Object k = key == null ? NULL_KEY : key;
    int i = slot(k);
    if (keys[i] == null) {
      keys[i] = k;
      values[i] = createCombiner.call(value);
      if (++size > growAt) {
        grow();
      }
    } else {
      values[i] = mergeValue.call(values[i], value);
    }
  }

  /** Merges {@code combiner} into the combiner of {@code key}, taking it as is if absent. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void mergeCombiner(Object key, Object combiner, Function2 mergeCombiners) throws Exception {
    Object k = key == null ? NULL_KEY : key;
    int i = slot(k);
    if (keys[i] == null) {
      keys[i] = k;
      values[i] = combiner;
      if (++size > growAt) {
        grow();
      }
    } else {
      values[i] = mergeCombiners.call(values[i], combiner);
    }
  }

  private void grow() {
    Object[] oldKeys = keys;
    Object[] oldValues = values;
    allocate(oldKeys.length * 2);
    for (int j = 0; j < oldKeys.length; j++) {
      Object k = oldKeys[j];
      if (k != null) {
        int i = spread(k.hashCode()) & mask;
        while (keys[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = k;
        values[i] = oldValues[j];
      }
    }
  }

  public int size() {
    return size;
  }

  /** Visits every entry; the key is reported as null for the null key. */
  public void forEach(EntryVisitor visitor) {
    Object[] ks = keys;
    Object[] vs = values;
    for (int j = 0; j < ks.length; j++) {
      Object k = ks[j];
      if (k != null) {
        visitor.visit(k == NULL_KEY ? null : k, vs[j]);
      }
    }
  }

  /** Receives the entries of a {@link CombineMap}. */
  @FunctionalInterface
  public interface EntryVisitor {
    void visit(Object key, Object value);
  }

  /** The entries as an iterator of pairs, consuming no extra memory beyond one pair per step. */
  public java.util.Iterator<dev.millrace.Tuple2<Object, Object>> iterator() {
    return new java.util.Iterator<>() {
      private int next = advance(0);

      private int advance(int from) {
        int j = from;
        while (j < keys.length && keys[j] == null) {
          j++;
        }
        return j;
      }

      @Override
      public boolean hasNext() {
        return next < keys.length;
      }

      @Override
      public dev.millrace.Tuple2<Object, Object> next() {
        if (next >= keys.length) {
          throw new java.util.NoSuchElementException();
        }
        Object k = keys[next];
        dev.millrace.Tuple2<Object, Object> t = new dev.millrace.Tuple2<>(k == NULL_KEY ? null : k, values[next]);
        next = advance(next + 1);
        return t;
      }
    };
  }
}
