package dev.millrace.streaming.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.Tuple2;
import dev.millrace.api.java.Optional;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.internal.checkpoint.CheckpointIncompatibleException;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint written by one version of a program is taken over by a changed version: the graph is
 * always the current code's, state is attached by operator id.
 */
class RecoveryUpgradeTest {
  /** Batch n holds line n; the same script is the "source" in both versions (batch data depends only on time). */
  private static final List<List<String>> LINES = List.of(
      List.of("a b"), List.of("a"), List.of("b c"), List.of("a"), List.of("c c"), List.of("a"), List.of("b"));

  @TempDir
  Path dir;

  /** The source after a restart when what it delivered before is gone: only state can carry the counts. */
  private static final List<List<String>> LINES_AFTER_RESTART = List.of(
      List.of(), List.of(), List.of(), List.of(), List.of(), List.of("a"), List.of("b"));

  private static JavaPairDStream<String, Integer> pairs(StreamingTestHarness h) {
    return pairs(h, LINES);
  }

  private static JavaPairDStream<String, Integer> pairs(StreamingTestHarness h, List<List<String>> script) {
    JavaDStream<String> lines = h.input(script);
    return lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator()).mapToPair(w -> new Tuple2<>(w, 1));
  }

  /** Version 1: running word counts, state checkpointed every {@code stateEvery} seconds. */
  private static BatchCollector<Tuple2<String, Integer>> version1(StreamingTestHarness h, int stateEvery) {
    JavaPairDStream<String, Integer> counts = pairs(h).updateStateByKey(
        (List<Integer> values, Optional<Integer> state) -> Optional.of(state.orElse(0) + values.size()));
    counts.checkpoint(Durations.seconds(stateEvery));
    return h.collect(counts);
  }

  private static Map<String, Integer> asMap(List<Tuple2<String, Integer>> batch) {
    Map<String, Integer> m = new TreeMap<>();
    for (Tuple2<String, Integer> t : batch) {
      m.put(t._1(), t._2());
    }
    return m;
  }

  private void runVersion1(int batches, int stateEvery) {
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      h.context().checkpoint(dir.toString());
      BatchCollector<Tuple2<String, Integer>> out = version1(h, stateEvery);
      h.runBatches(batches);
      // batches 1..5: "a b", "a", "b c", "a", "c c"
      assertThat(asMap(out.batch(batches))).isEqualTo(Map.of("a", 3, "b", 2, "c", 3));
    }
  }

  @Test
  void changedProgram_withAnAddedOperatorAndAChangedFunction_carriesTheStateOver() {
    runVersion1(5, 1);
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      // Version 2: the update function is written differently (sums the values, which are all 1),
      // the output is mapped differently, and a new output operation was added. Its source no
      // longer has batches 1..5, so the counts can only come from the restored state.
      JavaPairDStream<String, Integer> counts = pairs(h, LINES_AFTER_RESTART).updateStateByKey(
          (List<Integer> values, Optional<Integer> state) -> {
            int sum = state.isPresent() ? state.get() : 0;
            for (int v : values) {
              sum += v;
            }
            return Optional.of(sum);
          });
      counts.checkpoint(Durations.seconds(2));
      BatchCollector<Tuple2<String, Integer>> out = h.collect(counts.mapValues(v -> v * 10));
      BatchCollector<Tuple2<String, Integer>> added = h.collect(counts.filter(t -> !t._1().equals("c")));
      assertThat(h.recoverFrom(dir.toString())).isTrue();
      h.runBatches(2);
      // state after batch 5 was a=3 b=2 c=3; batch 6 "a", batch 7 "b"
      assertThat(out.times()).extracting(t -> t.milliseconds()).containsExactly(6000L, 7000L);
      assertThat(asMap(out.batches().get(0))).isEqualTo(Map.of("a", 40, "b", 20, "c", 30));
      assertThat(asMap(out.batches().get(1))).isEqualTo(Map.of("a", 40, "b", 30, "c", 30));
      assertThat(asMap(added.batches().get(1))).isEqualTo(Map.of("a", 4, "b", 3));
    }
  }

  @Test
  void stateCheckpointOlderThanTheLastBatch_recomputesTheBatchesAfterItFromTheSource() {
    runVersion1(5, 2);
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      BatchCollector<Tuple2<String, Integer>> out = version1(h, 2);
      h.recoverFrom(dir.toString());
      h.runBatches(1);
      // state of batch 4 (a=3 b=2 c=1), batch 5 "c c" recomputed from the source, batch 6 "a"
      assertThat(out.times()).extracting(t -> t.milliseconds()).containsExactly(6000L);
      assertThat(asMap(out.batch(1))).isEqualTo(Map.of("a", 4, "b", 2, "c", 3));
    }
  }

  @Test
  void namedStatefulOperator_keepsItsStateWhenAnotherStatefulOperatorIsInsertedBeforeIt() {
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      h.context().checkpoint(dir.toString());
      JavaPairDStream<String, Integer> counts = pairs(h).updateStateByKey(
          (List<Integer> values, Optional<Integer> state) -> Optional.of(state.orElse(0) + values.size()))
          .name("counts");
      counts.checkpoint(Durations.seconds(1));
      h.collect(counts);
      h.runBatches(4);
    }
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      JavaPairDStream<String, Integer> p = pairs(h);
      // A new stateful operator defined first would take the id updateStateByKey-0.
      JavaPairDStream<String, Integer> seen = p.updateStateByKey(
          (List<Integer> values, Optional<Integer> state) -> Optional.of(1));
      seen.checkpoint(Durations.seconds(1));
      h.collect(seen);
      JavaPairDStream<String, Integer> counts = p.updateStateByKey(
          (List<Integer> values, Optional<Integer> state) -> Optional.of(state.orElse(0) + values.size()))
          .name("counts");
      counts.checkpoint(Durations.seconds(1));
      BatchCollector<Tuple2<String, Integer>> out = h.collect(counts);
      h.recoverFrom(dir.toString());
      h.runBatches(1);
      // after batches 1..4 ("a b", "a", "b c", "a"): a=3 b=2 c=1; batch 5 "c c"
      assertThat(asMap(out.batches().get(0))).isEqualTo(Map.of("a", 3, "b", 2, "c", 3));
    }
  }

  @Test
  void removedStatefulOperator_failsNamingTheOperatorAndHowToStartFresh() {
    runVersion1(5, 2);
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      h.collect(pairs(h).reduceByKey(Integer::sum));
      CheckpointIncompatibleException e = assertThrows(CheckpointIncompatibleException.class,
          () -> h.recoverFrom(dir.toString()));
      assertThat(e.getMessage()).contains("'updateStateByKey-0' (updateStateByKey)", "no such operator",
          "To start fresh, delete the checkpoint directory " + dir);
    }
  }

  @Test
  void changedBatchInterval_failsNamingBothIntervals() {
    runVersion1(5, 2);
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.milliseconds(500))) {
      version1(h, 2);
      CheckpointIncompatibleException e = assertThrows(CheckpointIncompatibleException.class,
          () -> h.recoverFrom(dir.toString()));
      assertThat(e.getMessage()).contains("batch interval is 1000 ms, the program's is 500 ms", "To start fresh");
    }
  }
}
