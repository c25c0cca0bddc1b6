package dev.millrace.internal.rdd;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.RandomAccess;

/**
 * An unmodifiable list of the records of one held partition, stored in arrays of {@value #CHUNK}
 * references rather than one array.
 *
 * <p>Why: a partition of a large state holds a million records or more. In one array (an {@code
 * ArrayList}) that array, and every copy made while it grows, is a humongous object for G1: it is
 * allocated in the old generation, so every record stored into it runs the card-marking barrier,
 * and each young collection scans its dirty cards until a concurrent cycle frees it. Chunks of
 * {@value #CHUNK} references (64 KB) are ordinary young objects, and growing never copies records.
 *
 * <p>Built by one thread with {@link #collect}, then read-only and safe to share between threads.
 *
 * @param <T> type of the records
 */
public final class ChunkedList<T> extends AbstractList<T> implements RandomAccess {
  private static final int SHIFT = 14;
  /** References per chunk. */
  public static final int CHUNK = 1 << SHIFT;

  private final Object[][] chunks;
  private final int size;

  private ChunkedList(Object[][] chunks, int size) {
    this.chunks = chunks;
    this.size = size;
  }

  /** The remaining records of {@code records}, in order. */
  public static <T> ChunkedList<T> collect(Iterator<? extends T> records) {
    // The first chunk starts small, for small partitions, and grows (by copying) to a full chunk;
    // later chunks are allocated full.
    Object[] current = new Object[16];
    Object[][] chunks = {current};
    int n = 0;
    int at = 0;
    while (records.hasNext()) {
      if (at == current.length) {
        if (current.length < CHUNK) {
          current = chunks[0] = Arrays.copyOf(current, Math.min(CHUNK, current.length * 4));
        } else {
          int c = n >>> SHIFT;
          if (c == chunks.length) {
            chunks = Arrays.copyOf(chunks, c * 2);
          }
          current = chunks[c] = new Object[CHUNK];
          at = 0;
        }
      }
      current[at++] = records.next();
      n++;
    }
    return new ChunkedList<>(chunks, n);
  }

  @Override
  @SuppressWarnings("unchecked")
  public T get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("Index " + index + " out of bounds for length " + size);
    }
    return (T) chunks[index >>> SHIFT][index & (CHUNK - 1)];
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Iterator<T> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < size;
      }

      @Override
      @SuppressWarnings("unchecked")
      public T next() {
        if (next >= size) {
          throw new NoSuchElementException();
        }
        int i = next++;
        return (T) chunks[i >>> SHIFT][i & (CHUNK - 1)];
      }
    };
  }
}
