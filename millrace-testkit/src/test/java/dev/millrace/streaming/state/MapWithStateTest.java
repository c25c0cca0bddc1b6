package dev.millrace.streaming.state;

import static dev.millrace.streaming.state.UpdateStateByKeyTest.INPUT;
import static dev.millrace.streaming.state.UpdateStateByKeyTest.map;
import static dev.millrace.streaming.state.UpdateStateByKeyTest.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.HashPartitioner;
import dev.millrace.MillraceException;
import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaPairRDD;
import dev.millrace.api.java.Optional;
import dev.millrace.api.java.function.Function3;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.State;
import dev.millrace.streaming.StateSpec;
import dev.millrace.streaming.api.java.JavaMapWithStateDStream;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mapWithState} over ten batches of {@link UpdateStateByKeyTest#INPUT}, expected records and
 * snapshots worked out by hand, including removal and timeouts driven by the manual clock.
 */
class MapWithStateTest {
  /**
   * Running sum per key returning (key, sum); a 0 value removes the state (returning (key, 0)); a
   * timing-out key returns (key:timeout, last sum).
   */
  static final Function3<String, Optional<Integer>, State<Integer>, Tuple2<String, Integer>> SUM =
      (key, value, state) -> {
        if (state.isTimingOut()) {
          return new Tuple2<>(key + ":timeout", state.get());
        }
        if (value.get() == 0) {
          state.remove();
          return new Tuple2<>(key, 0);
        }
        int sum = value.get() + state.getOption().orElse(0);
        state.update(sum);
        return new Tuple2<>(key, sum);
      };

  @TempDir
  Path checkpointDir;

  private StreamingTestHarness harness() {
    StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1));
    h.context().checkpoint(checkpointDir.toString());
    return h;
  }

  @Test
  void mapWithState_mapsOnlyKeysWithData_removesKeys_andTimesOutIdleKeysAtCheckpointBatches() {
    try (StreamingTestHarness h = harness()) {
      JavaMapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> mapped = h.pairInput(INPUT)
          .mapWithState(StateSpec.function(SUM).timeout(Durations.seconds(3)));
      mapped.checkpoint(Durations.seconds(2));
      BatchCollector<Tuple2<String, Integer>> out = h.collect(mapped);
      BatchCollector<Tuple2<String, Integer>> snapshots = h.collect(mapped.stateSnapshots());
      h.runBatches(10);

      // Timeouts are looked for at the checkpoint batches (2 s, 4 s, ...): a key times out there if
      // its last update is before T - 3 s. b, last updated at 5 s, is idle past 3 s at 9 s already
      // but times out at 10 s, the next checkpoint batch, exactly as in Spark.
      assertThat(out.batch(1)).containsExactlyInAnyOrder(t("a", 1), t("b", 1));
      assertThat(out.batch(2)).containsExactly(t("a", 2));
      assertThat(out.batch(3)).isEmpty();
      assertThat(out.batch(4)).containsExactlyInAnyOrder(t("c", 1), t("a", 3), t("b", 0));
      assertThat(out.batch(5)).containsExactly(t("b", 1));
      assertThat(out.batch(6)).isEmpty();
      assertThat(out.batch(7)).isEmpty();
      assertThat(out.batch(8)).containsExactlyInAnyOrder(t("a:timeout", 3), t("c:timeout", 1));
      assertThat(out.batch(9)).isEmpty();
      assertThat(out.batch(10)).containsExactly(t("b:timeout", 1));

      List<Map<String, Integer>> expectedSnapshots = List.of(
          Map.of("a", 1, "b", 1), Map.of("a", 2, "b", 1), Map.of("a", 2, "b", 1), Map.of("a", 3, "c", 1),
          Map.of("a", 3, "b", 1, "c", 1), Map.of("a", 3, "b", 1, "c", 1), Map.of("a", 3, "b", 1, "c", 1),
          Map.of("b", 1), Map.of("b", 1), Map.of());
      for (int i = 0; i < 10; i++) {
        assertThat(map(snapshots.batch(i + 1))).as("snapshot %d", i + 1).isEqualTo(expectedSnapshots.get(i));
      }
    }
  }

  @Test
  void mapWithState_defaultCheckpointInterval_isTenBatches_soTimeoutsWaitForBatchTen() {
    try (StreamingTestHarness h = harness()) {
      JavaMapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> mapped = h.pairInput(INPUT)
          .mapWithState(StateSpec.function(SUM).timeout(Durations.seconds(1)));
      BatchCollector<Tuple2<String, Integer>> out = h.collect(mapped);
      h.runBatches(10);
      for (int i = 6; i <= 9; i++) {
        assertThat(out.batch(i)).as("batch %d", i).isEmpty();
      }
      assertThat(out.batch(10)).containsExactlyInAnyOrder(t("a:timeout", 3), t("b:timeout", 1),
          t("c:timeout", 1));
    }
  }

  @Test
  void mapWithState_timeAwareFunction_initialState_andPartitions() {
    try (StreamingTestHarness h = harness()) {
      JavaPairRDD<String, Integer> initial = h.context().sparkContext().parallelizePairs(
          List.of(t("a", 100), t("z", 10)), 2);
      StateSpec<String, Integer, Integer, String> spec = StateSpec.<String, Integer, Integer, String>function(
          (time, key, value, state) -> {
            int sum = value.get() + state.getOption().orElse(0);
            state.update(sum);
            // Records only for even sums; an empty result maps to nothing.
            return sum % 2 == 0 ? Optional.of(key + "@" + time.milliseconds() + "=" + sum) : Optional.empty();
          }).initialState(initial).numPartitions(3);
      JavaMapWithStateDStream<String, Integer, Integer, String> mapped = h.pairInput(INPUT).mapWithState(spec);
      BatchCollector<String> out = h.collect(mapped);
      BatchCollector<Tuple2<String, Integer>> snapshots = h.collect(mapped.stateSnapshots());
      BatchCollector<Integer> parts = h.collect(mapped.stateSnapshots().transform(rdd -> rdd.glom().map(l -> 1))
          .reduce(Integer::sum));
      h.runBatches(8);
      assertThat(out.batch(1)).isEmpty();
      assertThat(out.batch(2)).containsExactly("a@2000=102");
      assertThat(out.batch(3)).isEmpty();
      // b's 0 in batch 4 adds nothing (sum stays 1, odd); its 1 in batch 5 makes 2.
      assertThat(out.batch(4)).isEmpty();
      assertThat(out.batch(5)).containsExactly("b@5000=2");
      assertThat(out.batch(6)).isEmpty();
      assertThat(map(snapshots.batch(1))).isEqualTo(Map.of("a", 101, "b", 1, "z", 10));
      assertThat(map(snapshots.batch(4))).isEqualTo(Map.of("a", 103, "b", 1, "c", 1, "z", 10));
      assertThat(map(snapshots.batch(5))).isEqualTo(Map.of("a", 103, "b", 2, "c", 1, "z", 10));
      assertThat(map(snapshots.batch(8))).isEqualTo(Map.of("a", 103, "b", 2, "c", 1, "z", 10));
      assertThat(parts.batches()).allSatisfy(b -> assertThat(b).containsExactly(3));
    }
  }

  @Test
  void mapWithState_initialStateTimesOut_countingFromTheFirstBatch() {
    try (StreamingTestHarness h = harness()) {
      JavaPairRDD<String, Integer> initial = h.context().sparkContext().parallelizePairs(List.of(t("z", 10)), 1);
      JavaMapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> mapped = h.pairInput(INPUT)
          .mapWithState(StateSpec.function(SUM).initialState(initial).partitioner(new HashPartitioner(2))
              .timeout(Durations.seconds(2)));
      mapped.checkpoint(Durations.seconds(3));
      BatchCollector<Tuple2<String, Integer>> out = h.collect(mapped);
      h.runBatches(9);
      // z is created at 1 s; checkpoint batches are 3, 6, 9 s with thresholds 1, 4, 7 s.
      assertThat(out.batch(3)).isEmpty();
      assertThat(out.batch(6)).containsExactly(t("z:timeout", 10));
      // a and c (last updated at 4 s) and b (5 s) time out at 9 s.
      assertThat(out.batch(9)).containsExactlyInAnyOrder(t("a:timeout", 3), t("b:timeout", 1), t("c:timeout", 1));
    }
  }

  @Test
  void mapWithState_keyWithDataButNoUpdate_hasItsIdleTimeRefreshed_whenATimeoutIsSet() {
    try (StreamingTestHarness h = harness()) {
      // The function never updates after the first record, but each record counts as activity.
      JavaMapWithStateDStream<String, Integer, Integer, String> mapped = h.pairInput(List.of(
          List.of(t("k", 1)), List.of(), List.of(t("k", 1)), List.of(t("k", 1)), List.of(), List.of()))
          .mapWithState(StateSpec.<String, Integer, Integer, String>function((key, value, state) -> {
            if (state.isTimingOut()) {
              return "timeout " + state.get();
            }
            if (!state.exists()) {
              state.update(7);
            }
            return null;
          }).timeout(Durations.seconds(2)));
      mapped.checkpoint(Durations.seconds(2));
      BatchCollector<String> out = h.collect(mapped);
      h.runBatches(8);
      // Updates at 1 s, refreshed at 3 s and 4 s; threshold at 6 s is 4 s (not before), at 8 s it is 6 s.
      assertThat(out.batch(6)).isEmpty();
      assertThat(out.batch(8)).containsExactly("timeout 7");
    }
  }

  @Test
  void mapWithState_withoutCheckpointDirectory_failsAtStart() {
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      h.collect(h.pairInput(INPUT).mapWithState(StateSpec.function(SUM)));
      assertThatThrownBy(h::start).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("requirement failed: The checkpoint directory has not been set. "
              + "Please set it by StreamingContext.checkpoint().");
    }
  }

  @Test
  void mapWithState_updatingAStateThatTimesOut_failsWithSparksMessage() {
    try (StreamingTestHarness h = harness()) {
      JavaMapWithStateDStream<String, Integer, Integer, Integer> mapped = h.pairInput(INPUT)
          .mapWithState(StateSpec.<String, Integer, Integer, Integer>function((key, value, state) -> {
            state.update(1);
            return 1;
          }).timeout(Durations.seconds(1)));
      mapped.checkpoint(Durations.seconds(3));
      h.collect(mapped);
      h.runBatches(2);
      assertThatThrownBy(() -> h.runBatches(1)).isInstanceOf(MillraceException.class)
          .hasMessageContaining("Cannot update the state that is timing out")
          .hasMessageContaining("mapWithState");
    }
  }
}
