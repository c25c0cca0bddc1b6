package dev.millrace.bench.input;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Input of the state workload (5): records that are keys {@code k0000000 .. k<keys-1>}, each
 * counting 1 towards its key's state. {@link #fill} batches cover every key once, in order, so the
 * state holds all keys before measuring; {@link #random} batches draw keys uniformly from the whole
 * key space, reproducibly from a seed and the batch's index. Stateless; thread-safe.
 */
public final class StateKeys {
  private StateKeys() {}

  /** The key with index {@code i}: {@code k} and the index zero-padded to 7 digits. */
  public static String key(int i) {
    if (i < 0) {
      throw new IllegalArgumentException("key index must be >= 0, was " + i);
    }
    String digits = Integer.toString(i);
    return digits.length() >= 7 ? "k" + digits : "k" + "0".repeat(7 - digits.length()) + digits;
  }

  /**
   * The fill batches: keys 0 to {@code keys - 1} in order, cut into batches of {@code batchSize}
   * (the last one shorter when {@code keys} is not a multiple).
   */
  public static List<List<String>> fill(int keys, int batchSize) {
    if (keys <= 0 || batchSize <= 0) {
      throw new IllegalArgumentException("keys and batchSize must be > 0, were " + keys + ", " + batchSize);
    }
    List<List<String>> batches = new ArrayList<>();
    for (int from = 0; from < keys; from += batchSize) {
      int to = Math.min(keys, from + batchSize);
      List<String> b = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        b.add(key(i));
      }
      batches.add(b);
    }
    return batches;
  }

  /** Batch {@code index} of {@code batchSize} keys drawn uniformly from {@code [0, keys)}. */
  public static List<String> random(long seed, int keys, int batchSize, int index) {
    if (keys <= 0 || batchSize < 0) {
      throw new IllegalArgumentException("keys must be > 0 and batchSize >= 0, were " + keys + ", " + batchSize);
    }
    SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + index);
    List<String> b = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      b.add(key(rnd.nextInt(keys)));
    }
    return b;
  }
}
