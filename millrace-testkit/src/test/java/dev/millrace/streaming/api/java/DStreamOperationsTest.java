package dev.millrace.streaming.api.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaPairRDD;
import dev.millrace.api.java.JavaRDD;
import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.StreamingTestBase;
import dev.millrace.streaming.Time;
import dev.millrace.testkit.BatchCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The stateless operations of {@link JavaDStream} and {@link JavaDStreamLike}, batch by batch over
 * {@link #words()}: batch 1 {@code [a] [b, a]}, batch 2 two empty partitions, batch 3 {@code [c, a]
 * [c, d]}, batch 4 past the script (no partitions).
 */
class DStreamOperationsTest extends StreamingTestBase {

  @Test
  void map() {
    assertThat(runStream(words(), s -> s.map(String::toUpperCase)))
        .containsExactly(List.of("A", "B", "A"), List.of(), List.of("C", "A", "C", "D"), List.of());
  }

  @Test
  void mapToPair() {
    assertThat(runPairs(words(), s -> s.mapToPair(w -> t(w, w + w))))
        .containsExactly(List.of(t("a", "aa"), t("b", "bb"), t("a", "aa")), List.of(),
            List.of(t("c", "cc"), t("a", "aa"), t("c", "cc"), t("d", "dd")), List.of());
  }

  @Test
  void flatMap() {
    List<List<String>> lines = List.of(List.of("a b", "c"), List.of(), List.of("", "d e f"));
    assertThat(runStream(lines, s -> s.flatMap(l -> l.isEmpty()
        ? Collections.<String>emptyIterator() : Arrays.asList(l.split(" ")).iterator())))
        .containsExactly(List.of("a", "b", "c"), List.of(), List.of("d", "e", "f"), List.of());
  }

  @Test
  void flatMapToPair() {
    assertThat(runPairs(List.of(List.of("ab"), List.of()), s -> s.flatMapToPair(w -> {
      List<Tuple2<Character, Integer>> out = new ArrayList<>();
      for (int i = 0; i < w.length(); i++) {
        out.add(t(w.charAt(i), i));
      }
      return out.iterator();
    }))).containsExactly(List.of(t('a', 0), t('b', 1)), List.of(), List.of());
  }

  @Test
  void filter() {
    assertThat(runStream(words(), s -> s.filter(w -> !w.equals("a"))))
        .containsExactly(List.of("b"), List.of(), List.of("c", "c", "d"), List.of());
  }

  private static Iterator<Integer> size(Iterator<String> it) {
    int n = 0;
    while (it.hasNext()) {
      it.next();
      n++;
    }
    return List.of(n).iterator();
  }

  @Test
  void mapPartitions_seesEachPartitionOfEachBatch() {
    assertThat(runStream(words(), s -> s.mapPartitions(DStreamOperationsTest::size)))
        .containsExactly(List.of(1, 2), List.of(0, 0), List.of(2, 2), List.of());
  }

  @Test
  void mapPartitionsToPair() {
    assertThat(runPairs(words(), s -> s.mapPartitionsToPair(it -> {
      List<Tuple2<String, Integer>> out = new ArrayList<>();
      int i = 0;
      while (it.hasNext()) {
        out.add(t(it.next(), i++));
      }
      return out.iterator();
    }))).containsExactly(List.of(t("a", 0), t("b", 0), t("a", 1)), List.of(),
        List.of(t("c", 0), t("a", 1), t("c", 0), t("d", 1)), List.of());
  }

  @Test
  void glom() {
    assertThat(runStream(words(), JavaDStream::glom)).containsExactly(
        List.of(List.of("a"), List.of("b", "a")), List.of(List.of(), List.of()),
        List.of(List.of("c", "a"), List.of("c", "d")), List.of());
  }

  @Test
  void repartition_givesEveryBatchExactlyNPartitions() {
    List<List<List<String>>> parts = runStream(words(), s -> s.repartition(3).glom());
    assertThat(parts).allSatisfy(batch -> assertThat(batch).hasSize(3));
    assertThat(parts.get(0).stream().flatMap(List::stream)).containsExactlyInAnyOrder("a", "b", "a");
    assertThat(parts.get(1).stream().flatMap(List::stream)).isEmpty();
    assertThat(parts.get(2).stream().flatMap(List::stream)).containsExactlyInAnyOrder("c", "a", "c", "d");
  }

  @Test
  void union_ofTwoStreams_keepsDuplicatesInPartitionOrder() {
    JavaDStream<String> other = h.input(List.of(List.of("x"), List.of("y"), List.of()));
    assertThat(runStream(words(), s -> s.union(other)))
        .containsExactly(List.of("a", "b", "a", "x"), List.of("y"), List.of("c", "a", "c", "d"), List.of());
  }

  @Test
  void contextUnion_ofSeveralStreams() {
    JavaDStream<String> s1 = h.input(List.of(List.of("a"), List.of()));
    JavaDStream<String> s2 = h.input(List.of(List.of("b"), List.of("c")));
    JavaDStream<String> s3 = h.input(List.of(List.of(), List.of("d")));
    BatchCollector<String> out = h.collect(jssc().union(s1, s2, s3));
    BatchCollector<Tuple2<String, Integer>> pairs = h.collect(jssc().union(
        s1.mapToPair(x -> t(x, 1)), s3.mapToPair(x -> t(x, 3))));
    h.runBatches(3);
    assertThat(out.batches()).containsExactly(List.of("a", "b"), List.of("c", "d"), List.of());
    assertThat(pairs.batches()).containsExactly(List.of(t("a", 1)), List.of(t("d", 3)), List.of());
  }

  @Test
  void count_isZeroForAnEmptyBatch() {
    assertThat(runStream(words(), JavaDStream::count))
        .containsExactly(List.of(3L), List.of(0L), List.of(4L), List.of(0L));
  }

  @Test
  void countByValue() {
    List<List<Tuple2<String, Long>>> out = runPairs(words(), JavaDStream::countByValue);
    assertThat(out.get(0)).containsExactlyInAnyOrder(t("a", 2L), t("b", 1L));
    assertThat(out.get(1)).isEmpty();
    assertThat(out.get(2)).containsExactlyInAnyOrder(t("c", 2L), t("a", 1L), t("d", 1L));
    assertThat(out.get(3)).isEmpty();
  }

  @Test
  void countByValue_withPartitionCount() {
    List<Integer> partitions = new CopyOnWriteArrayList<>();
    JavaPairDStream<String, Long> counts = h.input(words()).countByValue(3);
    counts.foreachRDD(rdd -> {
      partitions.add(rdd.getNumPartitions());
    });
    BatchCollector<Tuple2<String, Long>> out = h.collect(counts);
    h.runBatches(1);
    assertThat(partitions).containsExactly(3);
    assertThat(out.batch(1)).containsExactlyInAnyOrder(t("a", 2L), t("b", 1L));
  }

  @Test
  void reduce_givesNothingForAnEmptyBatch() {
    assertThat(runStream(words(), s -> s.map(String::length).reduce(Integer::sum)))
        .containsExactly(List.of(3), List.of(), List.of(4), List.of());
    // A batch of one record reduces to that record.
  }

  @Test
  void reduce_ofASingleRecord_isThatRecord() {
    assertThat(runStream(List.of(List.of("only")), s -> s.reduce((a, b) -> a + b)))
        .containsExactly(List.of("only"), List.of());
  }

  // ------------------------------------------------------------ transform

  @Test
  void transform_appliesADatasetFunctionToEveryBatch() {
    assertThat(runStream(words(), s -> s.transform(rdd -> rdd.distinct(1).sortBy(x -> x, true, 1))))
        .containsExactly(List.of("a", "b"), List.of(), List.of("a", "c", "d"), List.of());
  }

  @Test
  void transform_withTime_seesTheBatchTime() {
    assertThat(runStream(words(), s -> s.transform((rdd, time) -> rdd.map(x -> x + "@" + time.milliseconds()))))
        .containsExactly(List.of("a@1000", "b@1000", "a@1000"), List.of(), List.of("c@3000", "a@3000", "c@3000",
            "d@3000"), List.of());
  }

  @Test
  void transformToPair_withAndWithoutTime() {
    JavaDStream<String> in = h.input(words());
    BatchCollector<Tuple2<String, Integer>> plain = h.collect(in.transformToPair(
        rdd -> rdd.mapToPair(w -> t(w, 1)).reduceByKey(Integer::sum)));
    BatchCollector<Tuple2<Long, Long>> timed = h.collect(in.transformToPair(
        (rdd, time) -> jssc().sparkContext().parallelizePairs(List.of(t(time.milliseconds(), rdd.count())), 1)));
    h.runBatches(3);
    assertThat(plain.batch(1)).containsExactlyInAnyOrder(t("a", 2), t("b", 1));
    assertThat(plain.batch(2)).isEmpty();
    assertThat(timed.batches()).containsExactly(List.of(t(1000L, 3L)), List.of(t(2000L, 0L)), List.of(t(3000L, 4L)));
  }

  @Test
  void transformWith_combinesTwoStreamsBatchByBatch() {
    JavaDStream<String> left = h.input(words());
    JavaDStream<String> right = h.input(List.of(List.of("a"), List.of("z"), List.of("d")));
    JavaPairDStream<String, Integer> rightPairs = right.mapToPair(x -> t(x, 1));
    BatchCollector<String> common = h.collect(left.transformWith(right,
        (l, r, time) -> {
          List<String> inRight = r.collect();
          return l.filter(inRight::contains).union(r.map(x -> "r:" + x + "@" + time));
        }));
    BatchCollector<String> withPairs = h.collect(left.transformWith(rightPairs,
        (JavaRDD<String> l, JavaPairRDD<String, Integer> r, Time time) -> {
          List<String> keys = r.keys().collect();
          return l.filter(x -> !keys.contains(x));
        }));
    h.runBatches(3);
    assertThat(common.batches()).containsExactly(List.of("a", "a", "r:a@1000 ms"), List.of("r:z@2000 ms"),
        List.of("d", "r:d@3000 ms"));
    assertThat(withPairs.batches()).containsExactly(List.of("b"), List.of(), List.of("c", "a", "c"));
  }

  @Test
  void transformWithToPair_bothForms() {
    JavaDStream<String> left = h.input(words());
    JavaDStream<String> right = h.input(List.of(List.of("a"), List.of(), List.of("c")));
    JavaPairDStream<String, Integer> rightPairs = right.mapToPair(x -> t(x, 10));
    BatchCollector<Tuple2<String, Integer>> fromPlain = h.collect(left.transformWithToPair(right,
        (JavaRDD<String> l, JavaRDD<String> r, Time time) -> l.union(r).mapToPair(x -> t(x, 1)).reduceByKey(Integer::sum)));
    BatchCollector<Tuple2<String, Tuple2<Integer, Integer>>> fromPairs = h.collect(left.mapToPair(x -> t(x, 1))
        .transformWithToPair(rightPairs, (l, r, time) -> l.join(r)));
    h.runBatches(3);
    assertThat(fromPlain.batch(1)).containsExactlyInAnyOrder(t("a", 3), t("b", 1));
    assertThat(fromPlain.batch(2)).isEmpty();
    assertThat(fromPairs.batch(1)).containsExactlyInAnyOrder(t("a", t(1, 10)), t("a", t(1, 10)));
    assertThat(fromPairs.batch(2)).isEmpty();
    assertThat(fromPairs.batch(3)).containsExactlyInAnyOrder(t("c", t(1, 10)), t("c", t(1, 10)));
  }

  @Test
  void contextTransform_overAListOfStreams() {
    JavaDStream<String> s1 = h.input(List.of(List.of("a", "b"), List.of()));
    JavaDStream<String> s2 = h.input(List.of(List.of("c"), List.of("d")));
    List<JavaDStream<?>> both = List.of(s1, s2);
    BatchCollector<String> out = h.collect(jssc().transform(both, (rdds, time) -> {
      @SuppressWarnings("unchecked")
      JavaRDD<String> a = (JavaRDD<String>) rdds.get(0);
      @SuppressWarnings("unchecked")
      JavaRDD<String> b = (JavaRDD<String>) rdds.get(1);
      return a.union(b).map(x -> x + time.milliseconds() / 1000);
    }));
    BatchCollector<Tuple2<Integer, Long>> sizes = h.collect(jssc().transformToPair(both, (rdds, time) -> {
      List<Tuple2<Integer, Long>> l = new ArrayList<>();
      for (int i = 0; i < rdds.size(); i++) {
        l.add(t(i, rdds.get(i).count()));
      }
      return jssc().sparkContext().parallelizePairs(l, 1);
    }));
    h.runBatches(3);
    assertThat(out.batches()).containsExactly(List.of("a1", "b1", "c1"), List.of("d2"), List.of());
    assertThat(sizes.batches()).containsExactly(List.of(t(0, 2L), t(1, 1L)), List.of(t(0, 0L), t(1, 1L)),
        List.of(t(0, 0L), t(1, 0L)));
  }

  // ------------------------------------------------------------ slice, cache, persist

  @Test
  void slice_givesTheRememberedBatchesBetweenTwoTimes() {
    JavaDStream<String> in = h.input(words());
    h.collect(in);
    jssc().remember(Durations.seconds(10));
    h.runBatches(4);
    List<JavaRDD<String>> slice = in.slice(new Time(1000), new Time(3000));
    assertThat(slice).hasSize(3);
    assertThat(slice.get(0).collect()).containsExactly("a", "b", "a");
    assertThat(slice.get(1).collect()).isEmpty();
    assertThat(slice.get(2).collect()).containsExactly("c", "a", "c", "d");
    // Unaligned times are floored to batch times, as Spark does: 1500..2500 becomes 1000..2000.
    List<JavaRDD<String>> unaligned = in.slice(new Time(1500), new Time(2500));
    assertThat(unaligned).hasSize(2);
    assertThat(unaligned.get(0).collect()).containsExactly("a", "b", "a");
  }

  @Test
  void withoutCache_everyOutputRecomputesTheBatch() {
    AtomicInteger calls = new AtomicInteger();
    JavaDStream<String> mapped = h.input(words()).map(w -> {
      calls.incrementAndGet();
      return w;
    });
    h.collect(mapped);
    h.collect(mapped);
    h.runBatches(1);
    assertThat(calls.get()).isEqualTo(6);
  }

  @Test
  void cache_computesEachBatchOnceForAllOutputs() {
    AtomicInteger calls = new AtomicInteger();
    JavaDStream<String> mapped = h.input(words()).map(w -> {
      calls.incrementAndGet();
      return w;
    }).cache();
    assertThat(mapped.dstream().storageLevel()).isEqualTo(StorageLevel.MEMORY_ONLY_SER());
    BatchCollector<String> a = h.collect(mapped);
    BatchCollector<String> b = h.collect(mapped);
    h.runBatches(3);
    assertThat(calls.get()).isEqualTo(7);
    assertThat(a.batches()).isEqualTo(b.batches());
  }

  @Test
  void persist_withLevel_computesEachBatchOnce() {
    AtomicInteger calls = new AtomicInteger();
    JavaPairDStream<String, Integer> mapped = h.input(words()).mapToPair(w -> {
      calls.incrementAndGet();
      return t(w, 1);
    }).persist(StorageLevel.MEMORY_AND_DISK());
    assertThat(mapped.dstream().storageLevel()).isEqualTo(StorageLevel.MEMORY_AND_DISK());
    h.collect(mapped);
    h.collect(mapped.reduceByKey(Integer::sum));
    assertThat(h.input(words()).persist().dstream().storageLevel()).isEqualTo(StorageLevel.MEMORY_ONLY_SER());
    h.runBatches(1);
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void transformFunction_runsOncePerBatch_evenWithTwoOutputs() {
    List<Time> seen = new CopyOnWriteArrayList<>();
    JavaDStream<String> t = h.input(words()).transform((rdd, time) -> {
      seen.add(time);
      return rdd;
    });
    h.collect(t);
    h.collect(t.map(x -> x));
    h.runBatches(2);
    assertThat(seen).containsExactly(new Time(1000), new Time(2000));
  }
}
