package dev.millrace.streaming.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.HashPartitioner;
import dev.millrace.MillraceException;
import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaPairRDD;
import dev.millrace.api.java.Optional;
import dev.millrace.api.java.function.Function2;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code updateStateByKey} over ten batches (six scripted, the third and sixth empty, then four
 * after the input stopped), expected states worked out by hand.
 */
class UpdateStateByKeyTest {
  /** (a,1)(b,1) | (a,1) | - | (c,1)(a,1)(b,0) | (b,1) | - ; a 0 value resets (removes) the key. */
  static final List<List<Tuple2<String, Integer>>> INPUT = List.of(
      List.of(t("a", 1), t("b", 1)), List.of(t("a", 1)), List.of(),
      List.of(t("c", 1), t("a", 1), t("b", 0)), List.of(t("b", 1)), List.of());

  /** Running sum; a value of 0 removes the key. */
  static final Function2<List<Integer>, Optional<Integer>, Optional<Integer>> SUM_OR_RESET = (values, state) -> {
    if (values.contains(0)) {
      return Optional.empty();
    }
    int sum = state.orElse(0);
    for (int v : values) {
      sum += v;
    }
    return Optional.of(sum);
  };

  @TempDir
  Path checkpointDir;

  static <K, V> Tuple2<K, V> t(K k, V v) {
    return new Tuple2<>(k, v);
  }

  static <K, V> Map<K, V> map(List<Tuple2<K, V>> batch) {
    Map<K, V> m = new HashMap<>();
    for (Tuple2<K, V> t : batch) {
      assertThat(m.put(t._1(), t._2())).as("key %s once", t._1()).isNull();
    }
    return m;
  }

  private StreamingTestHarness harness() {
    StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1));
    h.context().checkpoint(checkpointDir.toString());
    return h;
  }

  @Test
  void updateStateByKey_keepsRunningSums_removesKeysOnEmptyResult_andKeepsStateAfterInputStops() {
    try (StreamingTestHarness h = harness()) {
      JavaPairDStream<String, Integer> pairs = h.pairInput(INPUT);
      BatchCollector<Tuple2<String, Integer>> out = h.collect(pairs.updateStateByKey(SUM_OR_RESET));
      h.runBatches(10);
      List<Map<String, Integer>> expected = List.of(
          Map.of("a", 1, "b", 1), Map.of("a", 2, "b", 1), Map.of("a", 2, "b", 1), Map.of("a", 3, "c", 1),
          Map.of("a", 3, "b", 1, "c", 1), Map.of("a", 3, "b", 1, "c", 1), Map.of("a", 3, "b", 1, "c", 1),
          Map.of("a", 3, "b", 1, "c", 1), Map.of("a", 3, "b", 1, "c", 1), Map.of("a", 3, "b", 1, "c", 1));
      for (int i = 0; i < 10; i++) {
        assertThat(map(out.batch(i + 1))).as("batch %d", i + 1).isEqualTo(expected.get(i));
      }
    }
  }

  @Test
  void updateStateByKey_callsTheFunctionForEveryKeyEveryBatch_withTheBatchTime() {
    try (StreamingTestHarness h = harness()) {
      JavaPairDStream<String, Integer> pairs = h.pairInput(INPUT);
      // State: (number of calls, time of the last call).
      BatchCollector<Tuple2<String, Tuple2<Integer, Long>>> out = h.collect(pairs.<Tuple2<Integer, Long>>updateStateByKey(
          (time, key, values, state) -> Optional.of(new Tuple2<>(state.isPresent() ? state.get()._1() + 1 : 1,
              time.milliseconds())),
          new HashPartitioner(2), true));
      h.runBatches(9);
      // a and b first seen in batch 1, c in batch 4; none is ever removed here.
      assertThat(map(out.batch(3))).isEqualTo(Map.of("a", t(3, 3000L), "b", t(3, 3000L)));
      assertThat(map(out.batch(9))).isEqualTo(Map.of("a", t(9, 9000L), "b", t(9, 9000L), "c", t(6, 9000L)));
    }
  }

  @Test
  void updateStateByKey_withInitialRDD_startsFromIt_andCallsUntouchedInitialKeysToo() {
    try (StreamingTestHarness h = harness()) {
      JavaPairRDD<String, Integer> initial = h.context().sparkContext().parallelizePairs(
          List.of(t("a", 100), t("z", 10)), 2);
      JavaPairDStream<String, Integer> pairs = h.pairInput(INPUT);
      BatchCollector<Tuple2<String, Integer>> out = h.collect(
          pairs.updateStateByKey(SUM_OR_RESET, new HashPartitioner(3), initial));
      h.runBatches(8);
      assertThat(map(out.batch(1))).isEqualTo(Map.of("a", 101, "b", 1, "z", 10));
      assertThat(map(out.batch(2))).isEqualTo(Map.of("a", 102, "b", 1, "z", 10));
      assertThat(map(out.batch(3))).isEqualTo(Map.of("a", 102, "b", 1, "z", 10));
      assertThat(map(out.batch(4))).isEqualTo(Map.of("a", 103, "c", 1, "z", 10));
      assertThat(map(out.batch(5))).isEqualTo(Map.of("a", 103, "b", 1, "c", 1, "z", 10));
      assertThat(map(out.batch(8))).isEqualTo(Map.of("a", 103, "b", 1, "c", 1, "z", 10));
    }
  }

  @Test
  void updateStateByKey_timeAwareWithInitialRDD() {
    try (StreamingTestHarness h = harness()) {
      JavaPairRDD<String, Long> initial = h.context().sparkContext().parallelizePairs(List.of(t("z", 7L)), 1);
      BatchCollector<Tuple2<String, Long>> out = h.collect(h.pairInput(INPUT).<Long>updateStateByKey(
          (time, key, values, state) -> key.equals("b") && values.contains(0) ? Optional.empty()
              : Optional.of(state.orElse(0L) + values.size() * time.milliseconds()),
          new HashPartitioner(2), false, initial));
      h.runBatches(5);
      assertThat(map(out.batch(1))).isEqualTo(Map.of("a", 1000L, "b", 1000L, "z", 7L));
      assertThat(map(out.batch(2))).isEqualTo(Map.of("a", 3000L, "b", 1000L, "z", 7L));
      assertThat(map(out.batch(4))).isEqualTo(Map.of("a", 7000L, "c", 4000L, "z", 7L));
      assertThat(map(out.batch(5))).isEqualTo(Map.of("a", 7000L, "b", 5000L, "c", 4000L, "z", 7L));
    }
  }

  @Test
  void updateStateByKey_numPartitionsAndPartitioner_partitionTheState() {
    try (StreamingTestHarness h = harness()) {
      JavaPairDStream<String, Integer> pairs = h.pairInput(INPUT);
      JavaPairDStream<String, Integer> byCount = pairs.updateStateByKey(SUM_OR_RESET, 3);
      JavaPairDStream<String, Integer> byPartitioner = pairs.updateStateByKey(SUM_OR_RESET, new HashPartitioner(4));
      BatchCollector<Integer> countParts = h.collect(byCount.transform(rdd -> rdd.glom().map(l -> 1))
          .reduce(Integer::sum));
      BatchCollector<Integer> partitionerParts = h.collect(byPartitioner.transform(rdd -> rdd.glom().map(l -> 1))
          .reduce(Integer::sum));
      BatchCollector<Tuple2<String, Integer>> values = h.collect(byPartitioner);
      h.runBatches(8);
      assertThat(countParts.batches()).allSatisfy(b -> assertThat(b).containsExactly(3));
      assertThat(partitionerParts.batches()).allSatisfy(b -> assertThat(b).containsExactly(4));
      assertThat(map(values.batch(8))).isEqualTo(Map.of("a", 3, "b", 1, "c", 1));
    }
  }

  @Test
  void updateStateByKey_withoutCheckpointDirectory_failsAtStart() {
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      h.collect(h.pairInput(INPUT).updateStateByKey(SUM_OR_RESET));
      assertThatThrownBy(h::start).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("requirement failed: The checkpoint directory has not been set. "
              + "Please set it by StreamingContext.checkpoint().");
    }
  }

  @Test
  void updateStateByKey_failingFunction_failsTheBatch_namingKeyAndTime() {
    try (StreamingTestHarness h = harness()) {
      h.collect(h.pairInput(INPUT).<Integer>updateStateByKey((values, state) -> {
        if (values.contains(0)) {
          throw new IllegalStateException("no zeros");
        }
        return Optional.of(1);
      }));
      h.runBatches(3);
      assertThatThrownBy(() -> h.runBatches(1)).isInstanceOf(MillraceException.class)
          .hasMessageContaining("key b").hasMessageContaining(new Time(4000).toString())
          .hasMessageContaining("no zeros");
    }
  }
}
