package dev.millrace.streaming.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.Tuple2;
import dev.millrace.api.java.Optional;
import dev.millrace.api.java.function.Function3;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.State;
import dev.millrace.streaming.StateSpec;
import dev.millrace.streaming.api.java.JavaMapWithStateDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mapWithState} and the incremental {@code reduceByKeyAndWindow} continue after a recovery. */
class StatefulOperatorsRecoveryTest {
  private static final List<List<String>> LINES = List.of(
      List.of("a b"), List.of("a"), List.of("b c"), List.of("a"), List.of("c c"), List.of("a"), List.of("b"));
  private static final List<List<String>> NO_HISTORY = List.of(
      List.of(), List.of(), List.of(), List.of(), List.of(), List.of("a"), List.of("b"));

  @TempDir
  Path dir;

  private static JavaPairDStream<String, Integer> pairs(StreamingTestHarness h, List<List<String>> script) {
    return h.input(script).flatMap(l -> Arrays.asList(l.split(" ")).iterator()).mapToPair(w -> new Tuple2<>(w, 1));
  }

  private static Map<String, Integer> asMap(List<Tuple2<String, Integer>> batch) {
    Map<String, Integer> m = new TreeMap<>();
    for (Tuple2<String, Integer> t : batch) {
      m.put(t._1(), t._2());
    }
    return m;
  }

  private static JavaMapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> running(
      JavaPairDStream<String, Integer> pairs) {
    Function3<String, Optional<Integer>, State<Integer>, Tuple2<String, Integer>> count = (word, one, state) -> {
      int sum = one.orElse(0) + state.getOption().orElse(0);
      state.update(sum);
      return new Tuple2<>(word, sum);
    };
    JavaMapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> running =
        pairs.mapWithState(StateSpec.function(count));
    running.name("running");
    running.checkpoint(Durations.seconds(1));
    return running;
  }

  @Test
  void mapWithState_namedAndCheckpointedEveryBatch_continuesFromItsRestoredState() {
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      h.context().checkpoint(dir.toString());
      h.collect(running(pairs(h, LINES)));
      h.runBatches(5);
    }
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      BatchCollector<Tuple2<String, Integer>> out = h.collect(running(pairs(h, NO_HISTORY)).stateSnapshots());
      h.recoverFrom(dir.toString());
      h.runBatches(2);
      // after batches 1..5: a=3 b=2 c=3; then "a", then "b"
      assertThat(asMap(out.batches().get(0))).isEqualTo(Map.of("a", 4, "b", 2, "c", 3));
      assertThat(asMap(out.batches().get(1))).isEqualTo(Map.of("a", 4, "b", 3, "c", 3));
    }
  }

  private static JavaPairDStream<String, Integer> window(JavaPairDStream<String, Integer> pairs) {
    JavaPairDStream<String, Integer> w = pairs.reduceByKeyAndWindow(Integer::sum, (x, y) -> x - y,
        Durations.seconds(3), Durations.seconds(1), 2, t -> t._2() != 0);
    w.checkpoint(Durations.seconds(1));
    return w;
  }

  @Test
  void incrementalWindow_continuesFromItsRestoredWindow_subtractingBatchesRecomputedFromTheSource() {
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      h.context().checkpoint(dir.toString());
      h.collect(window(pairs(h, LINES)));
      h.runBatches(5);
    }
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      BatchCollector<Tuple2<String, Integer>> out = h.collect(window(pairs(h, LINES)));
      h.recoverFrom(dir.toString());
      h.runBatches(2);
      // window at 6 s = batches 4..6 ("a", "c c", "a"); at 7 s = batches 5..7 ("c c", "a", "b")
      assertThat(asMap(out.batches().get(0))).isEqualTo(Map.of("a", 2, "c", 2));
      assertThat(asMap(out.batches().get(1))).isEqualTo(Map.of("a", 1, "b", 1, "c", 2));
    }
  }
}
