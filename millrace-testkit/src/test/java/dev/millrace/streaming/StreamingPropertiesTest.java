package dev.millrace.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.Tuple2;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * For random batches, partition counts and worker counts, every batch's result of the seed
 * pipeline and of the per-batch key operations equals a plain-Java computation of that batch.
 */
class StreamingPropertiesTest {

  @Provide
  Arbitrary<List<List<String>>> lineBatches() {
    Arbitrary<String> word = Arbitraries.of("to", "be", "or", "not", "that", "is", "the", "question");
    Arbitrary<String> gap = Arbitraries.of(" ", "  ", "\t", " \t ");
    Arbitrary<String> line = Combinators.combine(word.list().ofMaxSize(8), gap.list().ofMinSize(9).ofMaxSize(9),
        Arbitraries.of("", " ")).as((ws, gs, lead) -> {
          StringBuilder sb = new StringBuilder(lead);
          for (int i = 0; i < ws.size(); i++) {
            sb.append(ws.get(i)).append(gs.get(i));
          }
          return sb.toString();
        });
    return line.list().ofMaxSize(12).list().ofMinSize(1).ofMaxSize(5);
  }

  @Provide
  Arbitrary<List<List<Tuple2<String, Integer>>>> pairBatches() {
    Arbitrary<Tuple2<String, Integer>> pair = Combinators.combine(
        Arbitraries.of("a", "b", "c", "d").injectNull(0.1), Arbitraries.integers().between(-9, 9)).as(Tuple2::new);
    return pair.list().ofMaxSize(20).list().ofMinSize(1).ofMaxSize(5);
  }

  private static StreamingTestHarness harness(int partitions, int threads) {
    return StreamingTestHarness.builder(Durations.seconds(1)).master("local[" + threads + "]")
        .inputPartitions(partitions).build();
  }

  private static List<String> split(String line) {
    return Arrays.asList(line.split("\\s+"));
  }

  @Property(tries = 25)
  void seedPipeline_countsEqualPlainJavaPerBatch(
      @ForAll("lineBatches") List<List<String>> batches,
      @ForAll @IntRange(min = 1, max = 4) int partitions,
      @ForAll @IntRange(min = 1, max = 3) int threads) {
    try (StreamingTestHarness h = harness(partitions, threads)) {
      JavaDStream<String> lines = h.input(batches);
      BatchCollector<Tuple2<String, Long>> out = h.collect(
          lines.flatMap(l -> split(l).iterator()).countByValue());
      h.runBatches(batches.size());
      for (int i = 0; i < batches.size(); i++) {
        Map<String, Long> expected = new HashMap<>();
        for (String line : batches.get(i)) {
          for (String w : split(line)) {
            expected.merge(w, 1L, Long::sum);
          }
        }
        Map<String, Long> actual = new HashMap<>();
        for (Tuple2<String, Long> kv : out.batch(i + 1)) {
          assertThat(actual.put(kv._1(), kv._2())).as("word %s once", kv._1()).isNull();
        }
        assertThat(actual).as("batch %d", i + 1).isEqualTo(expected);
      }
    }
  }

  @Property(tries = 25)
  void perBatchKeyOperations_equalPlainJava(
      @ForAll("pairBatches") List<List<Tuple2<String, Integer>>> batches,
      @ForAll @IntRange(min = 1, max = 4) int partitions,
      @ForAll @IntRange(min = 1, max = 3) int threads) {
    try (StreamingTestHarness h = harness(partitions, threads)) {
      JavaPairDStream<String, Integer> in = h.pairInput(batches);
      BatchCollector<Tuple2<String, Integer>> sums = h.collect(in.reduceByKey(Integer::sum));
      BatchCollector<Tuple2<String, Iterable<Integer>>> groups = h.collect(in.groupByKey(partitions));
      BatchCollector<Long> counts = h.collect(in.count());
      h.runBatches(batches.size());
      for (int i = 0; i < batches.size(); i++) {
        Map<String, Integer> expectedSums = new HashMap<>();
        Map<String, List<Integer>> expectedGroups = new HashMap<>();
        for (Tuple2<String, Integer> kv : batches.get(i)) {
          expectedSums.merge(kv._1(), kv._2(), Integer::sum);
          expectedGroups.computeIfAbsent(kv._1(), k -> new ArrayList<>()).add(kv._2());
        }
        Map<String, Integer> actualSums = new HashMap<>();
        sums.batch(i + 1).forEach(kv -> actualSums.put(kv._1(), kv._2()));
        assertThat(sums.batch(i + 1)).hasSize(expectedSums.size());
        assertThat(actualSums).isEqualTo(expectedSums);
        Map<String, List<Integer>> actualGroups = new HashMap<>();
        for (Tuple2<String, Iterable<Integer>> g : groups.batch(i + 1)) {
          List<Integer> vs = new ArrayList<>();
          g._2().forEach(vs::add);
          actualGroups.put(g._1(), vs);
        }
        assertThat(actualGroups.keySet()).isEqualTo(expectedGroups.keySet());
        actualGroups.forEach((k, vs) -> assertThat(vs).containsExactlyInAnyOrderElementsOf(expectedGroups.get(k)));
        assertThat(counts.batch(i + 1)).containsExactly((long) batches.get(i).size());
      }
    }
  }
}
