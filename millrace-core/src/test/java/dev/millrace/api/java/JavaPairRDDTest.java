package dev.millrace.api.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.millrace.HashPartitioner;
import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The key/value operations of {@link JavaPairRDD}, with Spark's results, null keys included. */
class JavaPairRDDTest extends DatasetTestBase {

  private static <K, V> Tuple2<K, V> t(K k, V v) {
    return new Tuple2<>(k, v);
  }

  /** Partition 0: (a,1) (b,2) (a,3); partition 1: (c,4) (a,5) (null,6). */
  private JavaPairRDD<String, Integer> pairs() {
    return sc.parallelizePairs(Arrays.asList(t("a", 1), t("b", 2), t("a", 3), t("c", 4), t("a", 5), t(null, 6)), 2);
  }

  private JavaPairRDD<String, Integer> emptyPairs() {
    return sc.parallelizePairs(List.of(), 2);
  }

  @Test
  void keysAndValues() {
    assertThat(pairs().keys().collect()).containsExactly("a", "b", "a", "c", "a", null);
    assertThat(pairs().values().collect()).containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void mapValues_keepsKeysAndPartitioner() {
    JavaPairRDD<String, Integer> reduced = pairs().reduceByKey(Integer::sum, 3);
    JavaPairRDD<String, String> shown = reduced.mapValues(v -> "#" + v);
    assertThat(shown.collect()).containsExactlyInAnyOrder(t("a", "#9"), t("b", "#2"), t("c", "#4"), t(null, "#6"));
    assertThat(shown.rdd().partitioner()).isEqualTo(new HashPartitioner(3));
  }

  @Test
  void flatMapValues_emitsZeroOrMoreValuesPerPair() {
    JavaPairRDD<String, Integer> r = sc.parallelizePairs(List.of(t("x", 2), t("y", 0), t("z", 1)), 2)
        .flatMapValues(n -> {
          List<Integer> l = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            l.add(i);
          }
          return l.iterator();
        });
    assertThat(r.collect()).containsExactly(t("x", 1), t("x", 2), t("z", 1));
  }

  @Test
  void reduceByKey_sumsPerKey_nullKeyIncluded() {
    assertThat(pairs().reduceByKey(Integer::sum).collectAsMap())
        .containsOnly(entry("a", 9), entry("b", 2), entry("c", 4), entry(null, 6));
    assertThat(pairs().reduceByKey(Integer::sum, 4).getNumPartitions()).isEqualTo(4);
    assertThat(pairs().reduceByKey(new HashPartitioner(1), Integer::sum).collect()).hasSize(4);
    assertThat(emptyPairs().reduceByKey(Integer::sum).collect()).isEmpty();
  }

  @Test
  void reduceByKey_placesKeysByHashPartitioner() {
    Partitioner p = new HashPartitioner(3);
    List<List<Tuple2<String, Integer>>> parts = pairs().reduceByKey(p, Integer::sum).glom().collect();
    for (int i = 0; i < parts.size(); i++) {
      for (Tuple2<String, Integer> kv : parts.get(i)) {
        assertThat(p.getPartition(kv._1())).isEqualTo(i);
      }
    }
  }

  @Test
  void groupByKey_collectsEveryValuePerKey() {
    Map<String, List<Integer>> groups = asLists(pairs().groupByKey().collect());
    assertThat(groups).containsOnlyKeys("a", "b", "c", null);
    assertThat(groups.get("a")).containsExactlyInAnyOrder(1, 3, 5);
    assertThat(groups.get("b")).containsExactly(2);
    assertThat(groups.get(null)).containsExactly(6);
    assertThat(pairs().groupByKey(5).getNumPartitions()).isEqualTo(5);
    assertThat(emptyPairs().groupByKey().collect()).isEmpty();
  }

  @Test
  void combineByKey_buildsCombinersPerKey() {
    // Per key: (sum, count), to compute an average.
    JavaPairRDD<String, int[]> sumCount = pairs().combineByKey(
        v -> new int[] {v, 1},
        (c, v) -> new int[] {c[0] + v, c[1] + 1},
        (c1, c2) -> new int[] {c1[0] + c2[0], c1[1] + c2[1]});
    Map<String, int[]> m = sumCount.collectAsMap();
    assertThat(m.get("a")).containsExactly(9, 3);
    assertThat(m.get("b")).containsExactly(2, 1);
    assertThat(m.get(null)).containsExactly(6, 1);
    assertThat(pairs().combineByKey(v -> v, Integer::sum, Integer::sum, 3).getNumPartitions()).isEqualTo(3);
    assertThat(pairs().combineByKey(v -> v, Integer::sum, Integer::sum, new HashPartitioner(2), false)
        .collectAsMap()).containsEntry("a", 9);
  }

  @Test
  void aggregateByKey_startsFromZeroOncePerKeyPerPartition() {
    // "a" has values 1, 3 in partition 0 and 5 in partition 1: (10+1+3) + (10+5) = 29.
    assertThat(pairs().aggregateByKey(10, Integer::sum, Integer::sum).collectAsMap())
        .containsOnly(entry("a", 29), entry("b", 12), entry("c", 14), entry(null, 16));
    // A mutable zero is copied, never shared between keys.
    JavaPairRDD<String, List<Integer>> lists = pairs().aggregateByKey(new ArrayList<Integer>(), 2,
        (l, v) -> {
          l.add(v);
          return l;
        }, (l1, l2) -> {
          l1.addAll(l2);
          return l1;
        });
    assertThat(lists.collectAsMap().get("b")).containsExactly(2);
    assertThat(lists.collectAsMap().get("a")).containsExactlyInAnyOrder(1, 3, 5);
  }

  @Test
  void foldByKey_startsFromZeroOncePerKeyPerPartition() {
    assertThat(pairs().foldByKey(10, Integer::sum).collectAsMap())
        .containsOnly(entry("a", 29), entry("b", 12), entry("c", 14), entry(null, 16));
    assertThat(pairs().foldByKey(0, 1, Integer::sum).collectAsMap()).containsEntry("a", 9);
    assertThat(emptyPairs().foldByKey(0, Integer::sum).collect()).isEmpty();
  }

  @Test
  void countByKey_countsPairsPerKey() {
    assertThat(pairs().countByKey()).containsOnly(entry("a", 3L), entry("b", 1L), entry("c", 1L), entry(null, 1L));
    assertThat(emptyPairs().countByKey()).isEmpty();
  }

  @Test
  void distinct_onPairs() {
    JavaPairRDD<String, Integer> r = sc.parallelizePairs(List.of(t("a", 1), t("a", 1), t("a", 2)), 2);
    assertThat(r.distinct().collect()).containsExactlyInAnyOrder(t("a", 1), t("a", 2));
  }

  // ------------------------------------------------------------ joins

  /** (a,x) (b,y) (a,z) (d,w) (null,n). */
  private JavaPairRDD<String, String> others() {
    return sc.parallelizePairs(Arrays.asList(t("a", "x"), t("b", "y"), t("a", "z"), t("d", "w"), t(null, "n")), 3);
  }

  @Test
  void join_crossProductPerMatchingKey() {
    assertThat(pairs().join(others()).collect()).containsExactlyInAnyOrder(
        t("a", t(1, "x")), t("a", t(1, "z")), t("a", t(3, "x")), t("a", t(3, "z")), t("a", t(5, "x")),
        t("a", t(5, "z")), t("b", t(2, "y")), t(null, t(6, "n")));
    assertThat(pairs().join(others(), 4).getNumPartitions()).isEqualTo(4);
    assertThat(pairs().join(emptyPairs()).collect()).isEmpty();
  }

  @Test
  void join_defaultPartitions_areTheLargestParentsCount() {
    assertThat(pairs().join(others()).getNumPartitions()).isEqualTo(3);
  }

  @Test
  void leftOuterJoin_keepsLeftKeysWithoutMatch() {
    assertThat(pairs().leftOuterJoin(others()).collect()).containsExactlyInAnyOrder(
        t("a", t(1, Optional.of("x"))), t("a", t(1, Optional.of("z"))), t("a", t(3, Optional.of("x"))),
        t("a", t(3, Optional.of("z"))), t("a", t(5, Optional.of("x"))), t("a", t(5, Optional.of("z"))),
        t("b", t(2, Optional.of("y"))), t("c", t(4, Optional.<String>empty())), t(null, t(6, Optional.of("n"))));
    assertThat(pairs().leftOuterJoin(emptyPairs(), new HashPartitioner(2)).collect()).hasSize(6)
        .allSatisfy(kv -> assertThat(kv._2()._2().isPresent()).isFalse());
  }

  @Test
  void rightOuterJoin_keepsRightKeysWithoutMatch() {
    JavaPairRDD<String, String> small = sc.parallelizePairs(List.of(t("b", "y"), t("d", "w")), 1);
    assertThat(pairs().rightOuterJoin(small).collect()).containsExactlyInAnyOrder(
        t("b", t(Optional.of(2), "y")), t("d", t(Optional.<Integer>empty(), "w")));
    assertThat(pairs().rightOuterJoin(small, 3).getNumPartitions()).isEqualTo(3);
  }

  @Test
  void fullOuterJoin_keepsKeysOfBothSides() {
    JavaPairRDD<String, Integer> left = sc.parallelizePairs(List.of(t("a", 1), t("b", 2)), 2);
    JavaPairRDD<String, String> right = sc.parallelizePairs(List.of(t("b", "y"), t("c", "z")), 2);
    assertThat(left.fullOuterJoin(right).collect()).containsExactlyInAnyOrder(
        t("a", t(Optional.of(1), Optional.<String>empty())),
        t("b", t(Optional.of(2), Optional.of("y"))),
        t("c", t(Optional.<Integer>empty(), Optional.of("z"))));
    assertThat(left.fullOuterJoin(right, new HashPartitioner(1)).getNumPartitions()).isEqualTo(1);
  }

  @Test
  void cogroup_listsValuesOfBothSidesPerKey() {
    List<Tuple2<String, Tuple2<Iterable<Integer>, Iterable<String>>>> groups = pairs().cogroup(others()).collect();
    assertThat(groups).hasSize(5);
    for (Tuple2<String, Tuple2<Iterable<Integer>, Iterable<String>>> g : groups) {
      List<Integer> left = new ArrayList<>();
      g._2()._1().forEach(left::add);
      List<String> right = new ArrayList<>();
      g._2()._2().forEach(right::add);
      if (g._1() == null) {
        assertThat(left).containsExactly(6);
        assertThat(right).containsExactly("n");
        continue;
      }
      switch (g._1()) {
        case "a" -> {
          assertThat(left).containsExactlyInAnyOrder(1, 3, 5);
          assertThat(right).containsExactlyInAnyOrder("x", "z");
        }
        case "b" -> {
          assertThat(left).containsExactly(2);
          assertThat(right).containsExactly("y");
        }
        case "c" -> {
          assertThat(left).containsExactly(4);
          assertThat(right).isEmpty();
        }
        case "d" -> {
          assertThat(left).isEmpty();
          assertThat(right).containsExactly("w");
        }
        default -> throw new AssertionError(g);
      }
    }
    assertThat(pairs().cogroup(others(), 2).getNumPartitions()).isEqualTo(2);
    assertThat(emptyPairs().cogroup(emptyPairs()).collect()).isEmpty();
  }

  @Test
  void join_ofCoPartitionedParents_readsThemWithoutShuffle() {
    HashPartitioner p = new HashPartitioner(2);
    JavaPairRDD<String, Integer> a = pairs().reduceByKey(p, Integer::sum);
    JavaPairRDD<String, Integer> b = pairs().mapValues(v -> v * 10).reduceByKey(p, Integer::sum);
    assertThat(a.join(b).collectAsMap())
        .containsOnly(entry("a", t(9, 90)), entry("b", t(2, 20)), entry("c", t(4, 40)), entry(null, t(6, 60)));
    assertThat(a.join(b).rdd().partitioner()).isEqualTo(p);
  }

  // ------------------------------------------------------------ sorting

  @Test
  void sortByKey_ordersKeysAcrossPartitions() {
    JavaPairRDD<Integer, String> r = sc.parallelizePairs(
        List.of(t(5, "e"), t(1, "a"), t(4, "d"), t(2, "b"), t(3, "c"), t(1, "a2")), 3);
    JavaPairRDD<Integer, String> asc = r.sortByKey();
    assertThat(asc.keys().collect()).containsExactly(1, 1, 2, 3, 4, 5);
    assertThat(asc.getNumPartitions()).isLessThanOrEqualTo(3);
    assertThat(r.sortByKey(false).keys().collect()).containsExactly(5, 4, 3, 2, 1, 1);
    assertThat(r.sortByKey(true, 1).getNumPartitions()).isEqualTo(1);
    assertThat(r.sortByKey(Comparator.<Integer>reverseOrder()).keys().collect()).containsExactly(5, 4, 3, 2, 1, 1);
    assertThat(sc.<Integer, String>parallelizePairs(List.of(), 2).sortByKey().collect()).isEmpty();
  }

  @Test
  void sortByKey_withNullKeys_failsNamingTheOperation() {
    dev.millrace.MillraceException e = org.junit.jupiter.api.Assertions.assertThrows(
        dev.millrace.MillraceException.class, () -> pairs().sortByKey().collect());
    assertThat(e.getMessage()).contains("'sortByKey'");
  }

  @Test
  void sortByKey_partitionsHoldConsecutiveRanges() {
    List<Tuple2<Integer, Integer>> data = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      data.add(t((i * 37) % 100, i));
    }
    List<List<Tuple2<Integer, Integer>>> parts = sc.parallelizePairs(data, 4).sortByKey(true, 4).glom().collect();
    assertThat(parts).hasSizeGreaterThan(1);
    List<Integer> keys = new ArrayList<>();
    parts.forEach(p -> p.forEach(kv -> keys.add(kv._1())));
    assertThat(keys).isSorted().hasSize(100);
  }

  // ------------------------------------------------------------ user functions that throw

  @Test
  void throwingFunction_failsWithExceptionNamingTheOperation() {
    assertUserFailure("mapValues", () -> pairs().mapValues(v -> boom()).collect());
    assertUserFailure("flatMapValues", () -> pairs().flatMapValues(v -> boom()).collect());
    assertUserFailure("reduceByKey", () -> pairs().reduceByKey((a, b) -> boom()).collect());
    assertUserFailure("groupByKey", () -> sc.parallelizePairs(List.of(t(new BadKey(), 1)), 1)
        .groupByKey().collect());
    assertUserFailure("combineByKey", () -> pairs().combineByKey(v -> boom(), (c, v) -> c, (c1, c2) -> c1)
        .collect());
    assertUserFailure("combineByKey", () -> pairs().combineByKey(v -> v, (Integer c, Integer v) -> c,
        (c1, c2) -> boom()).collect());
    assertUserFailure("aggregateByKey", () -> pairs().aggregateByKey(0, (u, v) -> boom(), Integer::sum).collect());
    assertUserFailure("foldByKey", () -> pairs().foldByKey(0, (a, b) -> boom()).collect());
    assertUserFailure("sortByKey", () -> pairs().filter(kv -> kv._1() != null)
        .sortByKey((String a, String b) -> DatasetTestBase.<Integer>boom()).collect());
    assertUserFailure("sortByKey", () -> pairs().filter(kv -> kv._1() != null)
        .sortByKey((String a, String b) -> DatasetTestBase.<Integer>boom(), true, 1).collect());
  }

  /** A key whose hashCode throws, to make grouping fail inside the shuffle. */
  private static final class BadKey implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int hashCode() {
      throw new Boom();
    }

    @Override
    public boolean equals(Object o) {
      return o == this;
    }
  }
}
