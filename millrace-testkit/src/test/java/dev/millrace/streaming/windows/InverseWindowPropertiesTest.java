package dev.millrace.streaming.windows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.Tuple2;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * For random batches and window/slide choices, the incremental (inverse) window forms equal the
 * recomputed forms after the filter function, and both equal a plain-Java sum over each window.
 * Slides longer than the window are excluded: Spark's inverse form is not defined for them.
 */
class InverseWindowPropertiesTest {

  @Provide
  Arbitrary<List<List<Tuple2<Integer, Integer>>>> batches() {
    Arbitrary<Tuple2<Integer, Integer>> pair = Combinators.combine(
        Arbitraries.integers().between(0, 5), Arbitraries.integers().between(1, 9)).as(Tuple2::new);
    return pair.list().ofMaxSize(6).list().ofMinSize(1).ofMaxSize(9);
  }

  @Property(tries = 40)
  void inverseReduceByKeyAndWindow_equalsTheRecomputedWindow(
      @ForAll("batches") List<List<Tuple2<Integer, Integer>>> input,
      @ForAll @IntRange(min = 1, max = 4) int windowBatches,
      @ForAll @IntRange(min = 1, max = 4) int slideBatches,
      @ForAll @IntRange(min = 1, max = 3) int partitions) {
    Assume.that(slideBatches <= windowBatches);
    Duration window = Durations.seconds(windowBatches);
    Duration slide = Durations.seconds(slideBatches);
    int runs = input.size() + windowBatches + slideBatches + 1;
    Path dir = tempDir();
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      h.context().checkpoint(dir.toString());
      JavaPairDStream<Integer, Integer> pairs = h.pairInput(input);
      BatchCollector<Tuple2<Integer, Integer>> recomputed = h.collect(
          pairs.reduceByKeyAndWindow(Integer::sum, window, slide, partitions));
      BatchCollector<Tuple2<Integer, Integer>> incremental = h.collect(pairs.reduceByKeyAndWindow(Integer::sum,
          (a, b) -> a - b, window, slide, partitions, t -> t._2() != 0));
      BatchCollector<Tuple2<Integer, Long>> counted = h.collect(
          pairs.map(Tuple2::_1).countByValueAndWindow(window, slide, partitions));
      h.runBatches(runs);

      List<Map<Integer, Integer>> expectedSums = new ArrayList<>();
      List<Map<Integer, Long>> expectedCounts = new ArrayList<>();
      for (int t = slideBatches; t <= runs; t += slideBatches) {
        Map<Integer, Integer> sums = new HashMap<>();
        Map<Integer, Long> counts = new HashMap<>();
        for (int b = Math.max(1, t - windowBatches + 1); b <= t; b++) {
          if (b <= input.size()) {
            for (Tuple2<Integer, Integer> p : input.get(b - 1)) {
              sums.merge(p._1(), p._2(), Integer::sum);
              counts.merge(p._1(), 1L, Long::sum);
            }
          }
        }
        expectedSums.add(sums);
        expectedCounts.add(counts);
      }
      assertThat(maps(recomputed.batches())).isEqualTo(expectedSums);
      assertThat(maps(incremental.batches())).isEqualTo(expectedSums);
      assertThat(maps(counted.batches())).isEqualTo(expectedCounts);
    } finally {
      deleteRecursively(dir);
    }
  }

  @Property(tries = 25)
  void inverseReduceByWindow_equalsTheRecomputedWindow_onceItHasAValue(
      @ForAll("batches") List<List<Tuple2<Integer, Integer>>> input,
      @ForAll @IntRange(min = 1, max = 4) int windowBatches,
      @ForAll @IntRange(min = 1, max = 4) int slideBatches) {
    Assume.that(slideBatches <= windowBatches);
    Duration window = Durations.seconds(windowBatches);
    Duration slide = Durations.seconds(slideBatches);
    int runs = input.size() + windowBatches + 1;
    Path dir = tempDir();
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      h.context().checkpoint(dir.toString());
      var values = h.pairInput(input).map(Tuple2::_2);
      BatchCollector<Integer> recomputed = h.collect(values.reduceByWindow(Integer::sum, window, slide));
      BatchCollector<Integer> incremental = h.collect(values.reduceByWindow(Integer::sum, (a, b) -> a - b, window,
          slide));
      BatchCollector<Long> counts = h.collect(values.countByWindow(window, slide));
      h.runBatches(runs);
      boolean started = false;
      int i = 0;
      for (int t = slideBatches; t <= runs; t += slideBatches, i++) {
        long records = 0;
        for (int b = Math.max(1, t - windowBatches + 1); b <= Math.min(t, input.size()); b++) {
          records += input.get(b - 1).size();
        }
        List<Integer> r = recomputed.batches().get(i);
        assertThat(r.isEmpty()).isEqualTo(records == 0);
        started |= records > 0;
        // The recomputed form gives nothing for an empty window; the incremental one gives nothing
        // until its first value and 0 for empty windows afterwards.
        List<Integer> expected = !r.isEmpty() ? r : started ? List.of(0) : List.of();
        assertThat(incremental.batches().get(i)).as("window at %d s", t).isEqualTo(expected);
        assertThat(counts.batches().get(i)).as("count at %d s", t)
            .isEqualTo(started ? List.of(records) : List.of());
      }
      assertThat(recomputed.batches()).hasSize(i);
    } finally {
      deleteRecursively(dir);
    }
  }

  private static <K, V> List<Map<K, V>> maps(List<List<Tuple2<K, V>>> batches) {
    List<Map<K, V>> out = new ArrayList<>();
    for (List<Tuple2<K, V>> b : batches) {
      out.add(WindowTestData.asMap(b));
    }
    return out;
  }

  static Path tempDir() {
    try {
      return Files.createTempDirectory("millrace-prop");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path dir) {
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
