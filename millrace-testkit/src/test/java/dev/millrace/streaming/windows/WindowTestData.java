package dev.millrace.streaming.windows;

import dev.millrace.Tuple2;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scripted inputs shared by the window tests. Batch n runs at n seconds; the script has six
 * batches (the third and sixth empty) and the tests run ten, so batches 7-10 come after the input
 * stopped.
 */
final class WindowTestData {
  private WindowTestData() {}

  /** Words: {a b}, {a}, {}, {c a}, {b b}, {}. */
  static final List<List<String>> WORDS = List.of(
      List.of("a", "b"), List.of("a"), List.of(), List.of("c", "a"), List.of("b", "b"), List.of());

  /** Numbers: {1 2}, {3}, {}, {4 5}, {6}, {}. */
  static final List<List<Integer>> NUMBERS = List.of(
      List.of(1, 2), List.of(3), List.of(), List.of(4, 5), List.of(6), List.of());

  /** Pairs: {(a,1) (b,2)}, {(a,3)}, {}, {(c,4) (a,5)}, {(b,6) (b,7)}, {}. */
  static final List<List<Tuple2<String, Integer>>> PAIRS = List.of(
      List.of(t("a", 1), t("b", 2)), List.of(t("a", 3)), List.of(),
      List.of(t("c", 4), t("a", 5)), List.of(t("b", 6), t("b", 7)), List.of());

  static <K, V> Tuple2<K, V> t(K k, V v) {
    return new Tuple2<>(k, v);
  }

  /** A batch of pairs as a map, failing on duplicate keys (a key appears once per window result). */
  static <K, V> Map<K, V> asMap(List<Tuple2<K, V>> batch) {
    Map<K, V> m = new HashMap<>();
    for (Tuple2<K, V> t : batch) {
      if (m.put(t._1(), t._2()) != null) {
        throw new AssertionError("key " + t._1() + " appears twice in " + batch);
      }
    }
    return m;
  }

  /** Every batch of string-keyed pairs as a map. */
  static <V> List<Map<String, Object>> asMaps(List<List<Tuple2<String, V>>> batches) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (List<Tuple2<String, V>> b : batches) {
      out.add(new HashMap<>(asMap(b)));
    }
    return out;
  }

  /** A map from alternating keys and values. */
  static Map<String, Object> m(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
