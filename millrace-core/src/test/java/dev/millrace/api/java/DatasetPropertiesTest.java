package dev.millrace.api.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.Tuple2;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * For random inputs, partition counts 1..4 and {@code local[1..3]}, the key operations give what a
 * plain-Java computation of the same thing gives.
 */
class DatasetPropertiesTest {

  @Provide
  Arbitrary<List<Tuple2<String, Integer>>> pairs() {
    // Few distinct keys, so that keys repeat within and across partitions; null is a key too.
    Arbitrary<String> keys = Arbitraries.of("a", "b", "c", "d", "e", "f", "g").injectNull(0.1);
    Arbitrary<Integer> values = Arbitraries.integers().between(-50, 50);
    return Combinators.combine(keys, values).as(Tuple2::new).list().ofMaxSize(60);
  }

  @Provide
  Arbitrary<List<Tuple2<Integer, Integer>>> intPairs() {
    return Combinators.combine(Arbitraries.integers().between(-20, 20), Arbitraries.integers().between(0, 9))
        .as(Tuple2::new).list().ofMaxSize(60);
  }

  private static JavaMillraceContext context(int threads) {
    return new JavaMillraceContext("local[" + threads + "]", "properties");
  }

  @Property(tries = 60)
  void reduceByKey_groupByKey_countByValue_distinct_equalPlainJava(
      @ForAll("pairs") List<Tuple2<String, Integer>> data,
      @ForAll @IntRange(min = 1, max = 4) int partitions,
      @ForAll @IntRange(min = 1, max = 3) int threads) {
    try (JavaMillraceContext sc = context(threads)) {
      JavaPairRDD<String, Integer> rdd = sc.parallelizePairs(data, partitions);

      Map<String, Integer> sums = new HashMap<>();
      Map<String, List<Integer>> groups = new HashMap<>();
      Map<Tuple2<String, Integer>, Long> counts = new HashMap<>();
      for (Tuple2<String, Integer> kv : data) {
        sums.merge(kv._1(), kv._2(), Integer::sum);
        groups.computeIfAbsent(kv._1(), k -> new ArrayList<>()).add(kv._2());
        counts.merge(kv, 1L, Long::sum);
      }

      List<Tuple2<String, Integer>> reduced = rdd.reduceByKey(Integer::sum).collect();
      assertThat(reduced).hasSize(sums.size());
      for (Tuple2<String, Integer> kv : reduced) {
        assertThat(kv._2()).isEqualTo(sums.get(kv._1()));
      }

      Map<String, List<Integer>> grouped = DatasetTestBase.asLists(rdd.groupByKey().collect());
      assertThat(grouped.keySet()).isEqualTo(groups.keySet());
      grouped.forEach((k, vs) -> assertThat(vs).containsExactlyInAnyOrderElementsOf(groups.get(k)));

      assertThat(rdd.countByValue()).isEqualTo(counts);
      assertThat(rdd.distinct().collect()).containsExactlyInAnyOrderElementsOf(counts.keySet());
      assertThat(rdd.count()).isEqualTo(data.size());
    }
  }

  @Property(tries = 60)
  void joins_equalPlainJava(
      @ForAll("pairs") List<Tuple2<String, Integer>> left,
      @ForAll("pairs") List<Tuple2<String, Integer>> right,
      @ForAll @IntRange(min = 1, max = 4) int partitions,
      @ForAll @IntRange(min = 1, max = 3) int threads) {
    try (JavaMillraceContext sc = context(threads)) {
      JavaPairRDD<String, Integer> a = sc.parallelizePairs(left, partitions);
      JavaPairRDD<String, Integer> b = sc.parallelizePairs(right, Math.max(1, 5 - partitions));

      List<Tuple2<String, Tuple2<Integer, Integer>>> inner = new ArrayList<>();
      List<Tuple2<String, Tuple2<Integer, Optional<Integer>>>> leftOuter = new ArrayList<>();
      List<Tuple2<String, Tuple2<Optional<Integer>, Optional<Integer>>>> fullOuter = new ArrayList<>();
      HashSet<String> rightKeys = new HashSet<>();
      HashSet<String> leftKeys = new HashSet<>();
      right.forEach(kv -> rightKeys.add(kv._1()));
      left.forEach(kv -> leftKeys.add(kv._1()));
      for (Tuple2<String, Integer> l : left) {
        boolean matched = false;
        for (Tuple2<String, Integer> r : right) {
          if (Objects.equals(l._1(), r._1())) {
            matched = true;
            inner.add(new Tuple2<>(l._1(), new Tuple2<>(l._2(), r._2())));
            leftOuter.add(new Tuple2<>(l._1(), new Tuple2<>(l._2(), Optional.of(r._2()))));
            fullOuter.add(new Tuple2<>(l._1(), new Tuple2<>(Optional.of(l._2()), Optional.of(r._2()))));
          }
        }
        if (!matched) {
          leftOuter.add(new Tuple2<>(l._1(), new Tuple2<>(l._2(), Optional.empty())));
          fullOuter.add(new Tuple2<>(l._1(), new Tuple2<>(Optional.of(l._2()), Optional.empty())));
        }
      }
      for (Tuple2<String, Integer> r : right) {
        if (!leftKeys.contains(r._1())) {
          fullOuter.add(new Tuple2<>(r._1(), new Tuple2<>(Optional.empty(), Optional.of(r._2()))));
        }
      }

      assertThat(a.join(b).collect()).containsExactlyInAnyOrderElementsOf(inner);
      assertThat(a.leftOuterJoin(b).collect()).containsExactlyInAnyOrderElementsOf(leftOuter);
      assertThat(a.fullOuterJoin(b).collect()).containsExactlyInAnyOrderElementsOf(fullOuter);
      assertThat(b.rightOuterJoin(a).collect()).hasSameSizeAs(leftOuter);
      assertThat(a.cogroup(b).keys().collect()).containsExactlyInAnyOrderElementsOf(union(leftKeys, rightKeys));
    }
  }

  private static <T> HashSet<T> union(HashSet<T> a, HashSet<T> b) {
    HashSet<T> u = new HashSet<>(a);
    u.addAll(b);
    return u;
  }

  @Property(tries = 60)
  void sortByKey_equalsPlainJavaSort(
      @ForAll("intPairs") List<Tuple2<Integer, Integer>> data,
      @ForAll @IntRange(min = 1, max = 4) int partitions,
      @ForAll @IntRange(min = 1, max = 3) int threads,
      @ForAll boolean ascending) {
    try (JavaMillraceContext sc = context(threads)) {
      List<Integer> expectedKeys = new ArrayList<>();
      data.forEach(kv -> expectedKeys.add(kv._1()));
      expectedKeys.sort(ascending ? Integer::compare : (x, y) -> Integer.compare(y, x));

      JavaPairRDD<Integer, Integer> sorted = sc.parallelizePairs(data, partitions).sortByKey(ascending, partitions);
      List<Tuple2<Integer, Integer>> out = sorted.collect();
      List<Integer> keys = new ArrayList<>();
      out.forEach(kv -> keys.add(kv._1()));
      assertThat(keys).isEqualTo(expectedKeys);
      assertThat(out).containsExactlyInAnyOrderElementsOf(data);
      assertThat(sorted.getNumPartitions()).isBetween(1, partitions);
    }
  }
}
