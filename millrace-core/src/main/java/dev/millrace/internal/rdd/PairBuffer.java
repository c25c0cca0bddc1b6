package dev.millrace.internal.rdd;

import java.util.Arrays;

/** A growable flat array of alternating keys and values: no object per pair. */
public final class PairBuffer {
  private Object[] data;
  private int size;

  public PairBuffer(int initialPairs) {
    data = new Object[Math.max(2, initialPairs * 2)];
  }

  public void add(Object key, Object value) {
    if (size + 2 > data.length) {
      data = Arrays.copyOf(data, data.length * 2);
    }
    data[size] = key;
    data[size + 1] = value;
    size += 2;
  }

  /** Number of pairs. */
  public int pairs() {
    return size >> 1;
  }

  public Object key(int i) {
    return data[i << 1];
  }

  public Object value(int i) {
    return data[(i << 1) + 1];
  }
}
