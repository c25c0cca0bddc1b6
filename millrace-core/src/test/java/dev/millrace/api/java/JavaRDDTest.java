package dev.millrace.api.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.MillraceException;
import dev.millrace.Tuple2;
import dev.millrace.storage.StorageLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operations of {@link JavaRDD} and the actions of {@link JavaRDDLike}, with Spark's results. */
class JavaRDDTest extends DatasetTestBase {

  private JavaRDD<Integer> oneToFive() {
    // Spark slices [1..5] into 2 partitions as [1, 2] and [3, 4, 5].
    return sc.parallelize(List.of(1, 2, 3, 4, 5), 2);
  }

  // ------------------------------------------------------------ creation

  @Test
  void parallelize_slicesLikeSpark() {
    assertThat(oneToFive().glom().collect()).containsExactly(List.of(1, 2), List.of(3, 4, 5));
    assertThat(sc.parallelize(List.of(1, 2, 3), 5).glom().collect())
        .containsExactly(List.of(), List.of(1), List.of(), List.of(2), List.of(3));
    assertThat(sc.parallelize(List.of(1, 2, 3)).getNumPartitions()).isEqualTo(2);
  }

  @Test
  void parallelize_rejectsNonPositivePartitionCount() {
    assertThrows(IllegalArgumentException.class, () -> sc.parallelize(List.of(1), 0));
  }

  @Test
  void emptyRDD_hasNoPartitionsAndNoRecords() {
    JavaRDD<String> empty = sc.emptyRDD();
    assertThat(empty.getNumPartitions()).isZero();
    assertThat(empty.collect()).isEmpty();
    assertThat(empty.count()).isZero();
    assertThat(empty.isEmpty()).isTrue();
    assertThat(empty.take(3)).isEmpty();
    assertThat(empty.countByValue()).isEmpty();
    assertThat(empty.glom().collect()).isEmpty();
    assertThat(empty.distinct().collect()).isEmpty();
  }

  @Test
  void contextUnion_concatenatesPartitionsInOrder() {
    JavaRDD<Integer> u = sc.union(sc.parallelize(List.of(1, 2), 1), sc.parallelize(List.of(3), 1),
        sc.emptyRDD());
    assertThat(u.getNumPartitions()).isEqualTo(2);
    assertThat(u.glom().collect()).containsExactly(List.of(1, 2), List.of(3));
  }

  // ------------------------------------------------------------ narrow transformations

  @Test
  void map_appliesFunctionPerRecordKeepingPartitions() {
    assertThat(oneToFive().map(x -> x * 10).glom().collect())
        .containsExactly(List.of(10, 20), List.of(30, 40, 50));
  }

  @Test
  void map_mayProduceNull() {
    assertThat(sc.parallelize(List.of(1, 2), 1).map(x -> x == 1 ? null : "two").collect())
        .containsExactly(null, "two");
  }

  @Test
  void flatMap_emitsZeroOrMoreRecordsPerInput() {
    JavaRDD<String> words = sc.parallelize(List.of("a b", "", "c"), 2)
        .flatMap(l -> l.isEmpty() ? Collections.emptyIterator() : Arrays.asList(l.split(" ")).iterator());
    assertThat(words.collect()).containsExactly("a", "b", "c");
  }

  @Test
  void filter_keepsRecordsMatchingPredicate() {
    assertThat(oneToFive().filter(x -> x % 2 == 1).collect()).containsExactly(1, 3, 5);
    assertThat(oneToFive().filter(x -> false).collect()).isEmpty();
  }

  @Test
  void mapPartitions_seesEachPartitionOnce() {
    JavaRDD<Integer> sums = oneToFive().mapPartitions(it -> {
      int s = 0;
      while (it.hasNext()) {
        s += it.next();
      }
      return List.of(s).iterator();
    });
    assertThat(sums.collect()).containsExactly(3, 12);
  }

  @Test
  void mapToPairAndFlatMapToPair_buildPairs() {
    JavaPairRDD<Integer, Integer> squares = oneToFive().mapToPair(x -> new Tuple2<>(x, x * x));
    assertThat(squares.collect()).containsExactly(new Tuple2<>(1, 1), new Tuple2<>(2, 4), new Tuple2<>(3, 9),
        new Tuple2<>(4, 16), new Tuple2<>(5, 25));
    JavaPairRDD<String, Integer> chars = sc.parallelize(List.of("ab", "c"), 1)
        .flatMapToPair(s -> {
          List<Tuple2<String, Integer>> out = new ArrayList<>();
          for (char ch : s.toCharArray()) {
            out.add(new Tuple2<>(String.valueOf(ch), s.length()));
          }
          return out.iterator();
        });
    assertThat(chars.collect()).containsExactly(new Tuple2<>("a", 2), new Tuple2<>("b", 2), new Tuple2<>("c", 1));
  }

  @Test
  void glom_givesOneListPerPartitionIncludingEmptyOnes() {
    assertThat(sc.parallelize(List.<Integer>of(), 3).glom().collect())
        .containsExactly(List.of(), List.of(), List.of());
  }

  @Test
  void distinct_removesDuplicatesIncludingNull() {
    JavaRDD<String> withDupes = sc.parallelize(Arrays.asList("a", "b", "a", null, "c", null, "b"), 3);
    assertThat(withDupes.distinct().collect()).containsExactlyInAnyOrder("a", "b", "c", null);
    assertThat(withDupes.distinct().getNumPartitions()).isEqualTo(3);
    assertThat(withDupes.distinct(1).getNumPartitions()).isEqualTo(1);
  }

  @Test
  void union_keepsDuplicatesAndPartitionOrder() {
    JavaRDD<Integer> u = oneToFive().union(sc.parallelize(List.of(5, 6), 1));
    assertThat(u.getNumPartitions()).isEqualTo(3);
    assertThat(u.collect()).containsExactly(1, 2, 3, 4, 5, 5, 6);
  }

  @Test
  void repartition_spreadsRecordsRoundRobinOverExactlyNPartitions() {
    JavaRDD<Integer> r = sc.parallelize(List.of(1, 2, 3, 4, 5, 6), 1).repartition(3);
    assertThat(r.getNumPartitions()).isEqualTo(3);
    assertThat(r.collect()).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
    // One input partition dealt round-robin: two records to each output partition.
    assertThat(r.glom().collect()).allSatisfy(p -> assertThat(p).hasSize(2));
    assertThat(oneToFive().repartition(4).getNumPartitions()).isEqualTo(4);
  }

  @Test
  void coalesce_withoutShuffle_concatenatesNeighbouringPartitions() {
    JavaRDD<Integer> four = sc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 4);
    assertThat(four.coalesce(2).glom().collect()).containsExactly(List.of(1, 2, 3, 4), List.of(5, 6, 7, 8));
    // Asking for more partitions without a shuffle keeps the current number, as in Spark.
    assertThat(four.coalesce(8).getNumPartitions()).isEqualTo(4);
    assertThat(four.coalesce(8, true).getNumPartitions()).isEqualTo(8);
    assertThat(four.coalesce(8, true).collect()).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
  }

  @Test
  void coalesce_rejectsNonPositiveCount() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> oneToFive().coalesce(0));
    assertThat(e.getMessage()).contains("0");
  }

  @Test
  void sortBy_ordersAcrossPartitions() {
    JavaRDD<String> words = sc.parallelize(List.of("pear", "fig", "banana", "kiwi", "apple", "date"), 3);
    JavaRDD<String> byLength = words.sortBy(String::length, true, 2);
    assertThat(byLength.getNumPartitions()).isLessThanOrEqualTo(2);
    assertThat(byLength.map(String::length).collect()).containsExactly(3, 4, 4, 4, 5, 6);
    assertThat(words.sortBy(w -> w, false, 3).collect())
        .containsExactly("pear", "kiwi", "fig", "date", "banana", "apple");
  }

  // ------------------------------------------------------------ actions

  @Test
  void count_collect_take_first() {
    JavaRDD<Integer> r = oneToFive();
    assertThat(r.count()).isEqualTo(5);
    assertThat(r.collect()).containsExactly(1, 2, 3, 4, 5);
    assertThat(r.take(0)).isEmpty();
    assertThat(r.take(3)).containsExactly(1, 2, 3);
    assertThat(r.take(10)).containsExactly(1, 2, 3, 4, 5);
    assertThat(r.first()).isEqualTo(1);
  }

  @Test
  void take_readsOnlyThePartitionsItNeeds() {
    AtomicInteger seen = new AtomicInteger();
    JavaRDD<Integer> r = sc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 4).map(x -> {
      seen.incrementAndGet();
      return x;
    });
    assertThat(r.take(2)).containsExactly(1, 2);
    // The first partition holds two records, so nothing else is computed.
    assertThat(seen.get()).isEqualTo(2);
  }

  @Test
  void first_onEmpty_throwsSparksEmptyCollection() {
    assertEmptyCollection(() -> sc.emptyRDD().first());
    assertEmptyCollection(() -> sc.parallelize(List.of(), 3).first());
  }

  @Test
  void isEmpty_trueOnlyWithoutRecords() {
    assertThat(sc.parallelize(List.of(), 3).isEmpty()).isTrue();
    assertThat(sc.parallelize(List.of(1), 3).isEmpty()).isFalse();
    assertThat(oneToFive().filter(x -> x > 4).isEmpty()).isFalse();
    assertThat(oneToFive().filter(x -> x > 5).isEmpty()).isTrue();
  }

  @Test
  void reduce_combinesAllRecords() {
    assertThat(oneToFive().reduce(Integer::sum)).isEqualTo(15);
    // Empty partitions are skipped, not reduced with a zero.
    assertThat(sc.parallelize(List.of(7), 4).reduce(Integer::sum)).isEqualTo(7);
  }

  @Test
  void reduce_onEmpty_throwsSparksEmptyCollection() {
    assertEmptyCollection(() -> sc.<Integer>emptyRDD().reduce(Integer::sum));
    assertEmptyCollection(() -> sc.<Integer>parallelize(List.of(), 2).reduce(Integer::sum));
  }

  @Test
  void fold_usesZeroOncePerPartitionAndOnceMore() {
    // Partitions [1,2] and [3,4,5]: (1+1+2) + (1+3+4+5) + 1 for the final merge = 4 + 13 + 1.
    assertThat(oneToFive().fold(1, Integer::sum)).isEqualTo(18);
    assertThat(sc.<Integer>emptyRDD().fold(1, Integer::sum)).isEqualTo(1);
    assertThat(sc.<Integer>parallelize(List.of(), 3).fold(0, Integer::sum)).isZero();
  }

  @Test
  void foreach_andForeachPartition_seeEveryRecord() {
    ConcurrentLinkedQueue<Integer> seen = new ConcurrentLinkedQueue<>();
    oneToFive().foreach(seen::add);
    assertThat(seen).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    ConcurrentLinkedQueue<Integer> sizes = new ConcurrentLinkedQueue<>();
    oneToFive().foreachPartition(it -> {
      int n = 0;
      while (it.hasNext()) {
        it.next();
        n++;
      }
      sizes.add(n);
    });
    assertThat(sizes).containsExactlyInAnyOrder(2, 3);
  }

  @Test
  void countByValue_countsEachDistinctRecordIncludingNull() {
    JavaRDD<String> r = sc.parallelize(Arrays.asList("a", "b", "a", null, "a", null), 3);
    assertThat(r.countByValue()).containsOnly(entry("a", 3L), entry("b", 1L), entry(null, 2L));
  }

  @Test
  void saveAsTextFile_writesOnePartFilePerPartitionAndSuccessMarker(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("out");
    sc.parallelize(List.of(new Tuple2<>("a", 1), new Tuple2<>("b", 2), new Tuple2<>("c", 3)), 2)
        .saveAsTextFile(out.toString());
    assertThat(Files.readAllLines(out.resolve("part-00000"), StandardCharsets.UTF_8)).containsExactly("(a,1)");
    assertThat(Files.readAllLines(out.resolve("part-00001"), StandardCharsets.UTF_8))
        .containsExactly("(b,2)", "(c,3)");
    assertThat(out.resolve("_SUCCESS")).exists().isEmptyFile();
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("part-00000", "part-00001", "_SUCCESS");
    }
  }

  @Test
  void saveAsTextFile_emptyPartitionGivesEmptyFile(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("empty");
    sc.parallelize(List.<String>of(), 1).saveAsTextFile(out.toString());
    assertThat(out.resolve("part-00000")).exists().isEmptyFile();
  }

  @Test
  void saveAsTextFile_refusesExistingDirectory(@TempDir Path dir) {
    MillraceException e = assertThrows(MillraceException.class, () -> oneToFive().saveAsTextFile(dir.toString()));
    assertThat(e.getMessage()).contains("already exists");
  }

  @Test
  void getNumPartitions_followsThePlan() {
    assertThat(oneToFive().getNumPartitions()).isEqualTo(2);
    assertThat(oneToFive().map(x -> x).filter(x -> true).getNumPartitions()).isEqualTo(2);
    assertThat(oneToFive().repartition(5).getNumPartitions()).isEqualTo(5);
  }

  // ------------------------------------------------------------ persistence

  @Test
  void cache_computesEachPartitionOnce_unpersistRecomputes() {
    AtomicInteger calls = new AtomicInteger();
    JavaRDD<Integer> r = oneToFive().map(x -> {
      calls.incrementAndGet();
      return x + 1;
    }).cache();
    assertThat(r.collect()).containsExactly(2, 3, 4, 5, 6);
    assertThat(r.count()).isEqualTo(5);
    assertThat(r.reduce(Integer::sum)).isEqualTo(20);
    assertThat(calls.get()).isEqualTo(5);
    r.unpersist();
    assertThat(r.count()).isEqualTo(5);
    assertThat(calls.get()).isEqualTo(10);
  }

  @Test
  void persist_keepsTheLevel_andRefusesToChangeIt() {
    JavaRDD<Integer> r = oneToFive().persist(StorageLevel.MEMORY_AND_DISK());
    assertThat(r.rdd().getStorageLevel()).isEqualTo(StorageLevel.MEMORY_AND_DISK());
    r.persist(StorageLevel.MEMORY_AND_DISK());
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> r.persist(StorageLevel.MEMORY_ONLY()));
    assertThat(e.getMessage()).isEqualTo("Cannot change storage level of an RDD after it was already assigned a level");
    r.unpersist();
    assertThat(r.rdd().getStorageLevel()).isEqualTo(StorageLevel.NONE());
    r.persist(StorageLevel.MEMORY_ONLY());
    assertThat(r.collect()).containsExactly(1, 2, 3, 4, 5);
  }

  // ------------------------------------------------------------ user functions that throw

  @Test
  void throwingFunction_failsWithExceptionNamingTheOperation() {
    JavaRDD<Integer> r = oneToFive();
    assertUserFailure("map", () -> r.map(x -> boom()).collect());
    assertUserFailure("flatMap", () -> r.flatMap(x -> boom()).count());
    assertUserFailure("filter", () -> r.filter(x -> boom()).collect());
    assertUserFailure("mapPartitions", () -> r.mapPartitions(it -> boom()).collect());
    assertUserFailure("mapToPair", () -> r.mapToPair(x -> boom()).collect());
    assertUserFailure("flatMapToPair", () -> r.flatMapToPair(x -> boom()).collect());
    assertUserFailure("sortBy", () -> r.sortBy(x -> boom(), true, 2).collect());
    assertUserFailure("reduce", () -> r.reduce((a, b) -> boom()));
    assertUserFailure("fold", () -> r.fold(0, (a, b) -> boom()));
    assertUserFailure("foreach", () -> r.foreach(x -> boom()));
    assertUserFailure("foreachPartition", () -> r.foreachPartition(it -> boom()));
  }

  @Test
  void throwingFunction_upstreamOfAnAction_isNamedNotTheAction() {
    MillraceException e = assertThrows(MillraceException.class,
        () -> oneToFive().map(x -> DatasetTestBase.<Integer>boom()).foreach(x -> { }));
    assertThat(e.getMessage()).contains("'map'").doesNotContain("'foreach'");
  }

  @Test
  void throwingFunction_inOneTask_doesNotHangOtherTasks() {
    JavaRDD<Integer> r = sc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8)
        .map(x -> x == 5 ? DatasetTestBase.<Integer>boom() : x);
    assertUserFailure("map", r::count);
    // The context still runs jobs afterwards.
    assertThat(oneToFive().count()).isEqualTo(5);
  }

  @Test
  void flatMapReturningNull_failsNamingTheOperation() {
    MillraceException e = assertThrows(MillraceException.class,
        () -> oneToFive().flatMap(x -> (Iterator<Integer>) null).collect());
    assertThat(e.getMessage()).contains("'flatMap'");
  }

  @Test
  void stoppedContext_refusesNewDatasets() {
    JavaMillraceContext other = new JavaMillraceContext("local[1]", "stopped");
    other.stop();
    assertThat(other.isStopped()).isTrue();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.parallelize(List.of(1)));
    assertThat(e.getMessage()).isEqualTo("Cannot call methods on a stopped MillraceContext.");
  }
}
