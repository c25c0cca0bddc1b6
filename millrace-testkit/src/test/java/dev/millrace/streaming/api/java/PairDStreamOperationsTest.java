package dev.millrace.streaming.api.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.HashPartitioner;
import dev.millrace.Tuple2;
import dev.millrace.api.java.Optional;
import dev.millrace.streaming.StreamingTestBase;
import dev.millrace.testkit.BatchCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The per-batch key operations of {@link JavaPairDStream}: batch 1 {@code (a,1) (b,2) (a,3)},
 * batch 2 empty, batch 3 {@code (c,4) (a,5) (c,6) (null,7)}, batch 4 past the script.
 */
class PairDStreamOperationsTest extends StreamingTestBase {

  private static List<List<Tuple2<String, Integer>>> pairs() {
    return List.of(List.of(t("a", 1), t("b", 2), t("a", 3)), List.of(),
        Arrays.asList(t("c", 4), t("a", 5), t("c", 6), t(null, 7)));
  }

  /** Batch 1 {@code (a,x) (z,y)}, batch 2 {@code (q,1)}, batch 3 {@code (c,w) (null,n)}. */
  private static List<List<Tuple2<String, String>>> others() {
    return List.of(List.of(t("a", "x"), t("z", "y")), List.of(t("q", "1")), Arrays.asList(t("c", "w"), t(null, "n")));
  }

  private static <K, V> Map<K, List<V>> grouped(List<Tuple2<K, Iterable<V>>> batch) {
    Map<K, List<V>> out = new HashMap<>();
    for (Tuple2<K, Iterable<V>> kv : batch) {
      List<V> vs = new ArrayList<>();
      kv._2().forEach(vs::add);
      assertThat(out.put(kv._1(), vs)).as("key %s once", kv._1()).isNull();
    }
    return out;
  }

  /** Runs {@code op} over {@link #pairs()} and records the partition count of each batch. */
  private <K2, V2> List<List<Tuple2<K2, V2>>> run(Function<JavaPairDStream<String, Integer>,
      JavaPairDStream<K2, V2>> op, List<Integer> partitionsOut) {
    JavaPairDStream<K2, V2> result = op.apply(h.pairInput(pairs()));
    result.foreachRDD(rdd -> {
      partitionsOut.add(rdd.getNumPartitions());
    });
    BatchCollector<Tuple2<K2, V2>> out = h.collect(result);
    h.runBatches(4);
    return out.batches();
  }

  @Test
  void reduceByKey_allOverloads() {
    List<Integer> parts = new CopyOnWriteArrayList<>();
    List<List<Tuple2<String, Integer>>> out = run(s -> s.reduceByKey(Integer::sum), parts);
    assertThat(out.get(0)).containsExactlyInAnyOrder(t("a", 4), t("b", 2));
    assertThat(out.get(1)).isEmpty();
    assertThat(out.get(2)).containsExactlyInAnyOrder(t("c", 10), t("a", 5), t(null, 7));
    assertThat(out.get(3)).isEmpty();
    // Default: the context's default parallelism (local[2]).
    assertThat(parts).containsOnly(2);
  }

  @Test
  void reduceByKey_withPartitionCount() {
    List<Integer> parts = new CopyOnWriteArrayList<>();
    List<List<Tuple2<String, Integer>>> out = run(s -> s.reduceByKey(Integer::sum, 3), parts);
    assertThat(out.get(0)).containsExactlyInAnyOrder(t("a", 4), t("b", 2));
    assertThat(parts).containsOnly(3);
  }

  @Test
  void reduceByKey_withPartitioner() {
    List<Integer> parts = new CopyOnWriteArrayList<>();
    List<List<Tuple2<String, Integer>>> out = run(s -> s.reduceByKey(Integer::sum, new HashPartitioner(5)), parts);
    assertThat(out.get(2)).containsExactlyInAnyOrder(t("c", 10), t("a", 5), t(null, 7));
    assertThat(parts).containsOnly(5);
  }

  @Test
  void groupByKey_allOverloads() {
    List<Integer> parts = new CopyOnWriteArrayList<>();
    JavaPairDStream<String, Integer> in = h.pairInput(pairs());
    BatchCollector<Tuple2<String, Iterable<Integer>>> plain = h.collect(in.groupByKey());
    BatchCollector<Tuple2<String, Iterable<Integer>>> counted = h.collect(in.groupByKey(3));
    JavaPairDStream<String, Iterable<Integer>> partitioned = in.groupByKey(new HashPartitioner(4));
    partitioned.foreachRDD(rdd -> {
      parts.add(rdd.getNumPartitions());
    });
    in.groupByKey(3).foreachRDD(rdd -> {
      parts.add(rdd.getNumPartitions());
    });
    h.runBatches(4);
    Map<String, List<Integer>> b1 = grouped(plain.batch(1));
    assertThat(b1).containsOnlyKeys("a", "b");
    assertThat(b1.get("a")).containsExactlyInAnyOrder(1, 3);
    assertThat(plain.batch(2)).isEmpty();
    Map<String, List<Integer>> b3 = grouped(counted.batch(3));
    assertThat(b3).containsOnlyKeys("c", "a", null);
    assertThat(b3.get("c")).containsExactlyInAnyOrder(4, 6);
    assertThat(b3.get(null)).containsExactly(7);
    assertThat(plain.batch(4)).isEmpty();
    assertThat(parts).containsExactly(4, 3, 4, 3, 4, 3, 4, 3);
  }

  @Test
  void combineByKey_bothOverloads() {
    JavaPairDStream<String, Integer> in = h.pairInput(pairs());
    // (sum, count) per key.
    BatchCollector<Tuple2<String, List<Integer>>> combined = h.collect(in.combineByKey(
        v -> List.of(v, 1), (c, v) -> List.of(c.get(0) + v, c.get(1) + 1),
        (c1, c2) -> List.of(c1.get(0) + c2.get(0), c1.get(1) + c2.get(1)), new HashPartitioner(2)));
    BatchCollector<Tuple2<String, List<Integer>>> noMapSide = h.collect(in.combineByKey(
        v -> List.of(v, 1), (c, v) -> List.of(c.get(0) + v, c.get(1) + 1),
        (c1, c2) -> List.of(c1.get(0) + c2.get(0), c1.get(1) + c2.get(1)), new HashPartitioner(3), false));
    h.runBatches(4);
    assertThat(combined.batch(1)).containsExactlyInAnyOrder(t("a", List.of(4, 2)), t("b", List.of(2, 1)));
    assertThat(combined.batch(2)).isEmpty();
    assertThat(noMapSide.batch(3)).containsExactlyInAnyOrder(t("c", List.of(10, 2)), t("a", List.of(5, 1)),
        t(null, List.of(7, 1)));
    assertThat(noMapSide.batch(4)).isEmpty();
  }

  @Test
  void mapValues() {
    assertThat(runPairsFromPairs(pairs(), s -> s.mapValues(v -> v * 10))).containsExactly(
        List.of(t("a", 10), t("b", 20), t("a", 30)), List.of(),
        Arrays.asList(t("c", 40), t("a", 50), t("c", 60), t(null, 70)), List.of());
  }

  @Test
  void flatMapValues() {
    assertThat(runPairsFromPairs(pairs(), s -> s.flatMapValues(v -> v % 2 == 0
        ? List.<Integer>of().iterator() : List.of(v, -v).iterator()))).containsExactly(
        List.of(t("a", 1), t("a", -1), t("a", 3), t("a", -3)), List.of(),
        Arrays.asList(t("a", 5), t("a", -5), t(null, 7), t(null, -7)), List.of());
  }

  @Test
  void join_allOverloads() {
    JavaPairDStream<String, Integer> left = h.pairInput(pairs());
    JavaPairDStream<String, String> right = h.pairInput(others());
    List<Integer> parts = new CopyOnWriteArrayList<>();
    BatchCollector<Tuple2<String, Tuple2<Integer, String>>> out = h.collect(left.join(right));
    left.join(right, 3).foreachRDD(rdd -> {
      parts.add(rdd.getNumPartitions());
    });
    left.join(right, new HashPartitioner(4)).foreachRDD(rdd -> {
      parts.add(rdd.getNumPartitions());
    });
    h.runBatches(4);
    assertThat(out.batch(1)).containsExactlyInAnyOrder(t("a", t(1, "x")), t("a", t(3, "x")));
    assertThat(out.batch(2)).isEmpty();
    assertThat(out.batch(3)).containsExactlyInAnyOrder(t("c", t(4, "w")), t("c", t(6, "w")), t(null, t(7, "n")));
    assertThat(out.batch(4)).isEmpty();
    assertThat(parts).containsExactly(3, 4, 3, 4, 3, 4, 3, 4);
  }

  @Test
  void leftOuterJoin_allOverloads() {
    JavaPairDStream<String, Integer> left = h.pairInput(pairs());
    JavaPairDStream<String, String> right = h.pairInput(others());
    BatchCollector<Tuple2<String, Tuple2<Integer, Optional<String>>>> out = h.collect(left.leftOuterJoin(right));
    BatchCollector<Tuple2<String, Tuple2<Integer, Optional<String>>>> out3 = h.collect(left.leftOuterJoin(right, 3));
    BatchCollector<Tuple2<String, Tuple2<Integer, Optional<String>>>> outP =
        h.collect(left.leftOuterJoin(right, new HashPartitioner(1)));
    h.runBatches(4);
    assertThat(out.batch(1)).containsExactlyInAnyOrder(t("a", t(1, Optional.of("x"))), t("a", t(3, Optional.of("x"))),
        t("b", t(2, Optional.<String>empty())));
    // Batch 2 has only right-side keys: nothing on the left, so nothing out.
    assertThat(out.batch(2)).isEmpty();
    assertThat(out.batch(3)).containsExactlyInAnyOrder(t("c", t(4, Optional.of("w"))), t("c", t(6, Optional.of("w"))),
        t("a", t(5, Optional.<String>empty())), t(null, t(7, Optional.of("n"))));
    assertThat(sorted(out3.batches())).isEqualTo(sorted(out.batches()));
    assertThat(sorted(outP.batches())).isEqualTo(sorted(out.batches()));
  }

  /** The batches with their records in a canonical order (by string form), for comparing overloads. */
  private static <T> List<List<T>> sorted(List<List<T>> batches) {
    List<List<T>> out = new ArrayList<>();
    for (List<T> b : batches) {
      List<T> copy = new ArrayList<>(b);
      copy.sort((x, y) -> String.valueOf(x).compareTo(String.valueOf(y)));
      out.add(copy);
    }
    return out;
  }

  @Test
  void rightOuterJoin_allOverloads() {
    JavaPairDStream<String, Integer> left = h.pairInput(pairs());
    JavaPairDStream<String, String> right = h.pairInput(others());
    BatchCollector<Tuple2<String, Tuple2<Optional<Integer>, String>>> out = h.collect(left.rightOuterJoin(right));
    List<Integer> parts = new CopyOnWriteArrayList<>();
    left.rightOuterJoin(right, 3).foreachRDD(rdd -> {
      parts.add(rdd.getNumPartitions());
    });
    left.rightOuterJoin(right, new HashPartitioner(1)).foreachRDD(rdd -> {
      parts.add(rdd.getNumPartitions());
    });
    h.runBatches(4);
    assertThat(out.batch(1)).containsExactlyInAnyOrder(t("a", t(Optional.of(1), "x")), t("a", t(Optional.of(3), "x")),
        t("z", t(Optional.<Integer>empty(), "y")));
    assertThat(out.batch(2)).containsExactly(t("q", t(Optional.<Integer>empty(), "1")));
    assertThat(out.batch(3)).containsExactlyInAnyOrder(t("c", t(Optional.of(4), "w")), t("c", t(Optional.of(6), "w")),
        t(null, t(Optional.of(7), "n")));
    assertThat(out.batch(4)).isEmpty();
    assertThat(parts).containsExactly(3, 1, 3, 1, 3, 1, 3, 1);
  }

  @Test
  void fullOuterJoin_allOverloads() {
    JavaPairDStream<String, Integer> left = h.pairInput(pairs());
    JavaPairDStream<String, String> right = h.pairInput(others());
    BatchCollector<Tuple2<String, Tuple2<Optional<Integer>, Optional<String>>>> out =
        h.collect(left.fullOuterJoin(right));
    BatchCollector<Tuple2<String, Tuple2<Optional<Integer>, Optional<String>>>> out2 =
        h.collect(left.fullOuterJoin(right, 2));
    BatchCollector<Tuple2<String, Tuple2<Optional<Integer>, Optional<String>>>> outP =
        h.collect(left.fullOuterJoin(right, new HashPartitioner(3)));
    h.runBatches(4);
    assertThat(out.batch(1)).containsExactlyInAnyOrder(
        t("a", t(Optional.of(1), Optional.of("x"))), t("a", t(Optional.of(3), Optional.of("x"))),
        t("b", t(Optional.of(2), Optional.<String>empty())), t("z", t(Optional.<Integer>empty(), Optional.of("y"))));
    assertThat(out.batch(2)).containsExactly(t("q", t(Optional.<Integer>empty(), Optional.of("1"))));
    assertThat(out.batch(3)).containsExactlyInAnyOrder(
        t("c", t(Optional.of(4), Optional.of("w"))), t("c", t(Optional.of(6), Optional.of("w"))),
        t("a", t(Optional.of(5), Optional.<String>empty())), t(null, t(Optional.of(7), Optional.of("n"))));
    assertThat(out.batch(4)).isEmpty();
    assertThat(sorted(out2.batches())).isEqualTo(sorted(out.batches()));
    assertThat(sorted(outP.batches())).isEqualTo(sorted(out.batches()));
  }

  @Test
  void cogroup_allOverloads() {
    JavaPairDStream<String, Integer> left = h.pairInput(pairs());
    JavaPairDStream<String, String> right = h.pairInput(others());
    BatchCollector<Tuple2<String, Tuple2<Iterable<Integer>, Iterable<String>>>> out = h.collect(left.cogroup(right));
    List<Integer> parts = new CopyOnWriteArrayList<>();
    left.cogroup(right, 3).foreachRDD(rdd -> {
      parts.add(rdd.getNumPartitions());
    });
    left.cogroup(right, new HashPartitioner(1)).foreachRDD(rdd -> {
      parts.add(rdd.getNumPartitions());
    });
    h.runBatches(4);
    Map<String, String> b1 = new HashMap<>();
    for (Tuple2<String, Tuple2<Iterable<Integer>, Iterable<String>>> g : out.batch(1)) {
      List<Integer> l = new ArrayList<>();
      g._2()._1().forEach(l::add);
      l.sort(Integer::compare);
      List<String> r = new ArrayList<>();
      g._2()._2().forEach(r::add);
      b1.put(g._1(), l + "|" + r);
    }
    assertThat(b1).containsOnly(Map.entry("a", "[1, 3]|[x]"), Map.entry("b", "[2]|[]"), Map.entry("z", "[]|[y]"));
    assertThat(out.batch(2)).hasSize(1);
    assertThat(out.batch(3)).hasSize(3);
    assertThat(out.batch(4)).isEmpty();
    assertThat(parts).containsExactly(3, 1, 3, 1, 3, 1, 3, 1);
  }
}
