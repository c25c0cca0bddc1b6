package dev.millrace.streaming.windows;

import static dev.millrace.streaming.windows.WindowTestData.NUMBERS;
import static dev.millrace.streaming.windows.WindowTestData.PAIRS;
import static dev.millrace.streaming.windows.WindowTestData.WORDS;
import static dev.millrace.streaming.windows.WindowTestData.asMaps;
import static dev.millrace.streaming.windows.WindowTestData.m;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.HashPartitioner;
import dev.millrace.Tuple2;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every window operation over ten batches of the scripted inputs in {@link WindowTestData}, with
 * the expected output of every batch worked out by hand (see docs/windows-and-state.md).
 */
class WindowOperationsTest {
  @TempDir
  Path checkpointDir;

  private StreamingTestHarness harness() {
    StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1));
    h.context().checkpoint(checkpointDir.toString());
    return h;
  }

  private static <T extends Comparable<T>> List<List<T>> sorted(List<List<T>> batches) {
    List<List<T>> out = new ArrayList<>();
    for (List<T> b : batches) {
      List<T> s = new ArrayList<>(b);
      Collections.sort(s);
      out.add(s);
    }
    return out;
  }

  @Test
  void window_holdsTheBatchesOfTheLastWindow_fewerAtTheStart_noneAfterInputStops() {
    try (StreamingTestHarness h = harness()) {
      JavaDStream<String> words = h.input(WORDS);
      BatchCollector<String> out = h.collect(words.window(Durations.seconds(3)));
      h.runBatches(10);
      assertThat(sorted(out.batches())).containsExactly(
          List.of("a", "b"), List.of("a", "a", "b"), List.of("a", "a", "b"), List.of("a", "a", "c"),
          List.of("a", "b", "b", "c"), List.of("a", "b", "b", "c"), List.of("b", "b"), List.of(), List.of(),
          List.of());
    }
  }

  @Test
  void window_withSlide_emitsEverySlideOnly() {
    try (StreamingTestHarness h = harness()) {
      BatchCollector<String> out = h.collect(h.input(WORDS).window(Durations.seconds(4), Durations.seconds(2)));
      h.runBatches(10);
      assertThat(out.times()).containsExactly(new Time(2000), new Time(4000), new Time(6000), new Time(8000),
          new Time(10000));
      assertThat(sorted(out.batches())).containsExactly(
          List.of("a", "a", "b"), List.of("a", "a", "a", "b", "c"), List.of("a", "b", "b", "c"), List.of("b", "b"),
          List.of());
    }
  }

  @Test
  void pairWindow_keepsPairs() {
    try (StreamingTestHarness h = harness()) {
      JavaPairDStream<String, Integer> pairs = h.pairInput(PAIRS);
      BatchCollector<Tuple2<String, Integer>> out = h.collect(pairs.window(Durations.seconds(2)));
      h.runBatches(8);
      assertThat(out.batch(1)).containsExactlyInAnyOrder(new Tuple2<>("a", 1), new Tuple2<>("b", 2));
      assertThat(out.batch(2)).containsExactlyInAnyOrder(new Tuple2<>("a", 1), new Tuple2<>("b", 2),
          new Tuple2<>("a", 3));
      assertThat(out.batch(3)).containsExactlyInAnyOrder(new Tuple2<>("a", 3));
      assertThat(out.batch(4)).containsExactlyInAnyOrder(new Tuple2<>("c", 4), new Tuple2<>("a", 5));
      assertThat(out.batch(5)).containsExactlyInAnyOrder(new Tuple2<>("c", 4), new Tuple2<>("a", 5),
          new Tuple2<>("b", 6), new Tuple2<>("b", 7));
      assertThat(out.batch(6)).containsExactlyInAnyOrder(new Tuple2<>("b", 6), new Tuple2<>("b", 7));
      assertThat(out.batch(7)).isEmpty();
      assertThat(out.batch(8)).isEmpty();
    }
  }

  @Test
  void countByWindow_isIncremental_andKeepsCountingZeroAfterInputStops() {
    try (StreamingTestHarness h = harness()) {
      BatchCollector<Long> out = h.collect(h.input(WORDS).countByWindow(Durations.seconds(3), Durations.seconds(1)));
      h.runBatches(10);
      assertThat(out.batches()).containsExactly(List.of(2L), List.of(3L), List.of(3L), List.of(3L), List.of(4L),
          List.of(4L), List.of(2L), List.of(0L), List.of(0L), List.of(0L));
    }
  }

  @Test
  void countByWindow_givesNothingUntilTheFirstRecord_asSparkDoes() {
    try (StreamingTestHarness h = harness()) {
      JavaDStream<String> words = h.input(List.of(List.of(), List.of(), List.of("x"), List.of()));
      BatchCollector<Long> out = h.collect(words.countByWindow(Durations.seconds(2), Durations.seconds(1)));
      h.runBatches(8);
      assertThat(out.batches()).containsExactly(List.of(), List.of(), List.of(1L), List.of(1L), List.of(0L),
          List.of(0L), List.of(0L), List.of(0L));
    }
  }

  @Test
  void reduceByWindow_withoutInverse_givesNothingForAnEmptyWindow() {
    try (StreamingTestHarness h = harness()) {
      BatchCollector<Integer> out = h.collect(h.input(NUMBERS).reduceByWindow(Integer::sum, Durations.seconds(3),
          Durations.seconds(1)));
      h.runBatches(10);
      assertThat(out.batches()).containsExactly(List.of(3), List.of(6), List.of(6), List.of(12), List.of(15),
          List.of(15), List.of(6), List.of(), List.of(), List.of());
    }
  }

  @Test
  void reduceByWindow_withInverse_keepsTheInverseReducedValueForAnEmptyWindow() {
    try (StreamingTestHarness h = harness()) {
      BatchCollector<Integer> out = h.collect(h.input(NUMBERS).reduceByWindow(Integer::sum, (a, b) -> a - b,
          Durations.seconds(3), Durations.seconds(1)));
      h.runBatches(10);
      assertThat(out.batches()).containsExactly(List.of(3), List.of(6), List.of(6), List.of(12), List.of(15),
          List.of(15), List.of(6), List.of(0), List.of(0), List.of(0));
    }
  }

  @Test
  void reduceByWindow_withSlide() {
    try (StreamingTestHarness h = harness()) {
      BatchCollector<Integer> out = h.collect(h.input(NUMBERS).reduceByWindow(Integer::sum, Durations.seconds(4),
          Durations.seconds(2)));
      h.runBatches(10);
      assertThat(out.batches()).containsExactly(List.of(6), List.of(15), List.of(15), List.of(6), List.of());
    }
  }

  @Test
  void countByValueAndWindow_dropsValuesWhoseCountFallsToZero() {
    try (StreamingTestHarness h = harness()) {
      BatchCollector<Tuple2<String, Long>> out = h.collect(
          h.input(WORDS).countByValueAndWindow(Durations.seconds(3), Durations.seconds(1)));
      h.runBatches(10);
      assertThat(asMaps(out.batches())).containsExactly(
          m("a", 1L, "b", 1L), m("a", 2L, "b", 1L), m("a", 2L, "b", 1L), m("a", 2L, "c", 1L),
          m("a", 1L, "b", 2L, "c", 1L), m("a", 1L, "b", 2L, "c", 1L), m("b", 2L), m(), m(), m());
    }
  }

  @Test
  void countByValueAndWindow_withPartitions_usesThem() {
    try (StreamingTestHarness h = harness()) {
      JavaPairDStream<String, Long> counts = h.input(WORDS).countByValueAndWindow(Durations.seconds(3),
          Durations.seconds(1), 3);
      BatchCollector<Integer> parts = h.collect(counts.glom().map(List::size).reduce(Integer::sum)
          .transform(rdd -> rdd));
      BatchCollector<Integer> partitionCounts = h.collect(counts.transform(rdd -> rdd.glom().map(l -> 1))
          .reduce(Integer::sum));
      h.runBatches(8);
      assertThat(parts.batch(5)).containsExactly(3);
      assertThat(partitionCounts.batches()).allSatisfy(b -> assertThat(b).containsExactly(3));
    }
  }

  // Pairs, window 3 s, slide 1 s: sums per key worked out from PAIRS.
  private static final List<Map<String, Object>> SUMS_3S = List.of(
      m("a", 1, "b", 2), m("a", 4, "b", 2), m("a", 4, "b", 2), m("a", 8, "c", 4), m("a", 5, "b", 13, "c", 4),
      m("a", 5, "b", 13, "c", 4), m("b", 13), m(), m(), m());

  @Test
  void reduceByKeyAndWindow_withoutInverse_allOverloads() {
    try (StreamingTestHarness h = harness()) {
      JavaPairDStream<String, Integer> pairs = h.pairInput(PAIRS);
      BatchCollector<Tuple2<String, Integer>> a = h.collect(pairs.reduceByKeyAndWindow(Integer::sum,
          Durations.seconds(3)));
      BatchCollector<Tuple2<String, Integer>> b = h.collect(pairs.reduceByKeyAndWindow(Integer::sum,
          Durations.seconds(3), Durations.seconds(1)));
      BatchCollector<Tuple2<String, Integer>> c = h.collect(pairs.reduceByKeyAndWindow(Integer::sum,
          Durations.seconds(3), Durations.seconds(1), 3));
      BatchCollector<Tuple2<String, Integer>> d = h.collect(pairs.reduceByKeyAndWindow(Integer::sum,
          Durations.seconds(3), Durations.seconds(1), new HashPartitioner(1)));
      h.runBatches(10);
      for (BatchCollector<Tuple2<String, Integer>> out : List.of(a, b, c, d)) {
        assertThat(asMaps(out.batches())).containsExactlyElementsOf(SUMS_3S);
      }
    }
  }

  @Test
  void reduceByKeyAndWindow_withInverse_keepsKeysWhoseValueReturnsToZero() {
    try (StreamingTestHarness h = harness()) {
      BatchCollector<Tuple2<String, Integer>> out = h.collect(h.pairInput(PAIRS).reduceByKeyAndWindow(
          Integer::sum, (x, y) -> x - y, Durations.seconds(3), Durations.seconds(1)));
      h.runBatches(10);
      assertThat(asMaps(out.batches())).containsExactly(
          m("a", 1, "b", 2), m("a", 4, "b", 2), m("a", 4, "b", 2), m("a", 8, "b", 0, "c", 4),
          m("a", 5, "b", 13, "c", 4), m("a", 5, "b", 13, "c", 4), m("a", 0, "b", 13, "c", 0),
          m("a", 0, "b", 0, "c", 0), m("a", 0, "b", 0, "c", 0), m("a", 0, "b", 0, "c", 0));
    }
  }

  @Test
  void reduceByKeyAndWindow_withInverse_dropsKeysFilteredOut_matchingTheNonInverseForm() {
    try (StreamingTestHarness h = harness()) {
      JavaPairDStream<String, Integer> pairs = h.pairInput(PAIRS);
      BatchCollector<Tuple2<String, Integer>> byCount = h.collect(pairs.reduceByKeyAndWindow(Integer::sum,
          (x, y) -> x - y, Durations.seconds(3), Durations.seconds(1), 2, t -> t._2() != 0));
      BatchCollector<Tuple2<String, Integer>> byPartitioner = h.collect(pairs.reduceByKeyAndWindow(Integer::sum,
          (x, y) -> x - y, Durations.seconds(3), Durations.seconds(1), new HashPartitioner(3), t -> t._2() != 0));
      h.runBatches(10);
      assertThat(asMaps(byCount.batches())).containsExactlyElementsOf(SUMS_3S);
      assertThat(asMaps(byPartitioner.batches())).containsExactlyElementsOf(SUMS_3S);
    }
  }

  @Test
  void reduceByKeyAndWindow_withInverse_filterDroppingALiveKey_failsLaterWithSparksMessage() {
    try (StreamingTestHarness h = harness()) {
      // (a,1) in batch 1 is filtered out of every window (1 is not > 1) but leaves the window at 4 s:
      // Spark's algorithm then finds neither a previous value nor new values for a.
      h.collect(h.pairInput(List.of(List.of(new Tuple2<>("a", 1)))).reduceByKeyAndWindow(Integer::sum,
          (x, y) -> x - y, Durations.seconds(3), Durations.seconds(1), 2, t -> t._2() > 1));
      h.runBatches(3);
      assertThatThrownBy(() -> h.runBatches(1)).isInstanceOf(dev.millrace.MillraceException.class)
          .hasMessageContaining("Neither previous window has value for key, nor new values found")
          .hasMessageContaining("reduceByKeyAndWindow")
          .hasMessageContaining("4000 ms");
    }
  }

  @Test
  void reduceByKeyAndWindow_withSlide_inverseAndNot() {
    try (StreamingTestHarness h = harness()) {
      JavaPairDStream<String, Integer> pairs = h.pairInput(PAIRS);
      BatchCollector<Tuple2<String, Integer>> plain = h.collect(pairs.reduceByKeyAndWindow(Integer::sum,
          Durations.seconds(4), Durations.seconds(2)));
      BatchCollector<Tuple2<String, Integer>> inverse = h.collect(pairs.reduceByKeyAndWindow(Integer::sum,
          (x, y) -> x - y, Durations.seconds(4), Durations.seconds(2)));
      h.runBatches(10);
      assertThat(plain.times()).containsExactly(new Time(2000), new Time(4000), new Time(6000), new Time(8000),
          new Time(10000));
      assertThat(asMaps(plain.batches())).containsExactly(
          m("a", 4, "b", 2), m("a", 9, "b", 2, "c", 4), m("a", 5, "b", 13, "c", 4), m("b", 13), m());
      assertThat(asMaps(inverse.batches())).containsExactly(
          m("a", 4, "b", 2), m("a", 9, "b", 2, "c", 4), m("a", 5, "b", 13, "c", 4), m("a", 0, "b", 13, "c", 0),
          m("a", 0, "b", 0, "c", 0));
    }
  }

  @Test
  void groupByKeyAndWindow_allOverloads() {
    try (StreamingTestHarness h = harness()) {
      JavaPairDStream<String, Integer> pairs = h.pairInput(PAIRS);
      List<BatchCollector<Tuple2<String, Iterable<Integer>>>> outs = List.of(
          h.collect(pairs.groupByKeyAndWindow(Durations.seconds(3))),
          h.collect(pairs.groupByKeyAndWindow(Durations.seconds(3), Durations.seconds(1))),
          h.collect(pairs.groupByKeyAndWindow(Durations.seconds(3), Durations.seconds(1), 3)),
          h.collect(pairs.groupByKeyAndWindow(Durations.seconds(3), Durations.seconds(1), new HashPartitioner(1))));
      BatchCollector<Tuple2<String, Iterable<Integer>>> slid = h.collect(
          pairs.groupByKeyAndWindow(Durations.seconds(4), Durations.seconds(2)));
      h.runBatches(10);
      for (BatchCollector<Tuple2<String, Iterable<Integer>>> out : outs) {
        assertThat(groups(out.batches())).containsExactly(
            m("a", List.of(1), "b", List.of(2)), m("a", List.of(1, 3), "b", List.of(2)),
            m("a", List.of(1, 3), "b", List.of(2)), m("a", List.of(3, 5), "c", List.of(4)),
            m("a", List.of(5), "b", List.of(6, 7), "c", List.of(4)),
            m("a", List.of(5), "b", List.of(6, 7), "c", List.of(4)), m("b", List.of(6, 7)), m(), m(), m());
      }
      assertThat(groups(slid.batches())).containsExactly(
          m("a", List.of(1, 3), "b", List.of(2)), m("a", List.of(1, 3, 5), "b", List.of(2), "c", List.of(4)),
          m("a", List.of(5), "b", List.of(6, 7), "c", List.of(4)), m("b", List.of(6, 7)), m());
    }
  }

  /** Groups as maps of sorted value lists (the order within a group is not specified). */
  private static List<Map<String, Object>> groups(List<List<Tuple2<String, Iterable<Integer>>>> batches) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (List<Tuple2<String, Iterable<Integer>>> b : batches) {
      Map<String, Object> m = new TreeMap<>();
      for (Tuple2<String, Iterable<Integer>> t : b) {
        List<Integer> vs = new ArrayList<>();
        t._2().forEach(vs::add);
        Collections.sort(vs);
        assertThat(m.put(t._1(), vs)).as("key %s once", t._1()).isNull();
      }
      out.add(m);
    }
    return out;
  }

  // ------------------------------------------------------------ definition-time checks

  @Test
  void window_notAMultipleOfTheBatchInterval_failsAtDefinition_withSparksMessage() {
    try (StreamingTestHarness h = harness()) {
      JavaDStream<String> words = h.input(WORDS);
      assertThatThrownBy(() -> words.window(Durations.milliseconds(1500)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("The window duration of windowed DStream (1500 ms) must be a multiple of the slide "
              + "duration of parent DStream (1000 ms)");
      assertThatThrownBy(() -> words.window(Durations.seconds(3), Durations.milliseconds(500)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("The slide duration of windowed DStream (500 ms) must be a multiple of the slide "
              + "duration of parent DStream (1000 ms)");
      assertThatThrownBy(() -> h.pairInput(PAIRS).reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b,
          Durations.milliseconds(2500), Durations.seconds(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("requirement failed: The window duration of ReducedWindowedDStream (2500 ms) must be "
              + "multiple of the slide duration of parent DStream (1000 ms)");
      assertThatThrownBy(() -> words.countByWindow(Durations.seconds(2), Durations.milliseconds(1200)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("The slide duration of ReducedWindowedDStream (1200 ms)");
    }
  }

  @Test
  void inverseWindow_withoutCheckpointDirectory_failsAtStart_withSparksMessage() {
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      h.collect(h.input(WORDS).countByWindow(Durations.seconds(2), Durations.seconds(1)));
      assertThatThrownBy(h::start).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("requirement failed: The checkpoint directory has not been set. "
              + "Please set it by StreamingContext.checkpoint().");
    }
  }

  @Test
  void windowWithoutInverse_needsNoCheckpointDirectory() {
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      BatchCollector<String> out = h.collect(h.input(WORDS).window(Durations.seconds(2)));
      h.runBatches(2);
      assertThat(out.batch(2)).containsExactlyInAnyOrder("a", "b", "a");
    }
  }
}
