package dev.millrace.bench.state;

import dev.millrace.Tuple2;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Deterministic pre-generated inputs for the state and window measurements. */
public final class Workloads {
  private Workloads() {}

  /** {@code count} batches of {@code perBatch} (key, 1) pairs with keys uniform in {@code [0, keys)}. */
  public static List<List<Tuple2<Integer, Integer>>> keyedOnes(int count, int perBatch, int keys, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Integer one = 1;
    List<List<Tuple2<Integer, Integer>>> out = new ArrayList<>(count);
    for (int b = 0; b < count; b++) {
      List<Tuple2<Integer, Integer>> batch = new ArrayList<>(perBatch);
      for (int i = 0; i < perBatch; i++) {
        batch.add(new Tuple2<>(random.nextInt(keys), one));
      }
      out.add(batch);
    }
    return out;
  }

  /**
   * {@code count} batches of {@code perBatch} words drawn from a vocabulary of {@code vocabulary}
   * words with a Zipf-like (1/rank) distribution, as natural text has.
   */
  public static List<List<String>> words(int count, int perBatch, int vocabulary, long seed) {
    String[] vocab = new String[vocabulary];
    for (int i = 0; i < vocabulary; i++) {
      vocab[i] = "w" + Integer.toString(i, 36);
    }
    double[] cumulative = new double[vocabulary];
    double sum = 0;
    for (int i = 0; i < vocabulary; i++) {
      sum += 1.0 / (i + 1);
      cumulative[i] = sum;
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<List<String>> out = new ArrayList<>(count);
    for (int b = 0; b < count; b++) {
      List<String> batch = new ArrayList<>(perBatch);
      for (int i = 0; i < perBatch; i++) {
        double x = random.nextDouble() * sum;
        int idx = java.util.Arrays.binarySearch(cumulative, x);
        batch.add(vocab[idx >= 0 ? idx : Math.min(vocabulary - 1, -idx - 1)]);
      }
      out.add(batch);
    }
    return out;
  }

  /** Keys {@code 0..keys-1}, each with state {@code 0L}. */
  public static List<Tuple2<Integer, Long>> initialStates(int keys) {
    List<Tuple2<Integer, Long>> out = new ArrayList<>(keys);
    Long zero = 0L;
    for (int k = 0; k < keys; k++) {
      out.add(new Tuple2<>(k, zero));
    }
    return out;
  }
}
