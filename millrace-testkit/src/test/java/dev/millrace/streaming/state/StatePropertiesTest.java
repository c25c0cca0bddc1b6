package dev.millrace.streaming.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.Tuple2;
import dev.millrace.api.java.Optional;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.StateSpec;
import dev.millrace.streaming.api.java.JavaMapWithStateDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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
 * For random batches, {@code mapWithState}'s snapshots and records and {@code updateStateByKey}'s
 * states equal a plain-Java fold over the same input, batch by batch. One input partition keeps
 * the records of a key in input order, which the fold assumes.
 */
class StatePropertiesTest {

  @Provide
  Arbitrary<List<List<Tuple2<Integer, Integer>>>> batches() {
    Arbitrary<Tuple2<Integer, Integer>> pair = Combinators.combine(
        Arbitraries.integers().between(0, 7), Arbitraries.integers().between(-2, 6)).as(Tuple2::new);
    return pair.list().ofMaxSize(8).list().ofMinSize(1).ofMaxSize(12);
  }

  @Property(tries = 30)
  void mapWithStateSnapshots_equalAPlainJavaFold(@ForAll("batches") List<List<Tuple2<Integer, Integer>>> input,
      @ForAll @IntRange(min = 1, max = 4) int partitions) throws Exception {
    Path dir = Files.createTempDirectory("millrace-prop");
    try (StreamingTestHarness h = StreamingTestHarness.builder(Durations.seconds(1)).inputPartitions(1).build()) {
      h.context().checkpoint(dir.toString());
      // value 0 removes the key, a negative value only reads it, a positive one adds to it.
      StateSpec<Integer, Integer, Integer, String> spec = StateSpec.<Integer, Integer, Integer, String>function(
          (key, value, state) -> {
            int v = value.get();
            if (v == 0) {
              if (state.exists()) {
                state.remove();
              }
              return key + " removed";
            }
            if (v < 0) {
              return state.exists() ? key + " is " + state.get() : null;
            }
            int sum = state.getOption().orElse(0) + v;
            state.update(sum);
            return key + " = " + sum;
          }).numPartitions(partitions);
      JavaMapWithStateDStream<Integer, Integer, Integer, String> mapped = h.pairInput(input).mapWithState(spec);
      BatchCollector<String> records = h.collect(mapped);
      BatchCollector<Tuple2<Integer, Integer>> snapshots = h.collect(mapped.stateSnapshots());
      int runs = input.size() + 2;
      h.runBatches(runs);

      Map<Integer, Integer> state = new HashMap<>();
      for (int b = 0; b < runs; b++) {
        List<String> expectedRecords = new ArrayList<>();
        for (Tuple2<Integer, Integer> p : b < input.size() ? input.get(b) : List.<Tuple2<Integer, Integer>>of()) {
          int k = p._1();
          int v = p._2();
          if (v == 0) {
            state.remove(k);
            expectedRecords.add(k + " removed");
          } else if (v < 0) {
            if (state.containsKey(k)) {
              expectedRecords.add(k + " is " + state.get(k));
            }
          } else {
            int sum = state.merge(k, v, Integer::sum);
            expectedRecords.add(k + " = " + sum);
          }
        }
        assertThat(records.batch(b + 1)).as("records of batch %d", b + 1)
            .containsExactlyInAnyOrderElementsOf(expectedRecords);
        assertThat(UpdateStateByKeyTest.map(snapshots.batch(b + 1))).as("snapshot %d", b + 1).isEqualTo(state);
      }
    } finally {
      delete(dir);
    }
  }

  @Property(tries = 30)
  void updateStateByKey_equalsAPlainJavaFold(@ForAll("batches") List<List<Tuple2<Integer, Integer>>> input)
      throws Exception {
    Path dir = Files.createTempDirectory("millrace-prop");
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      h.context().checkpoint(dir.toString());
      JavaPairDStream<Integer, Integer> states = h.pairInput(input).<Integer>updateStateByKey((values, s) -> {
        if (values.contains(0)) {
          return Optional.empty();
        }
        int sum = s.orElse(0);
        for (int v : values) {
          sum += v;
        }
        return Optional.of(sum);
      });
      BatchCollector<Tuple2<Integer, Integer>> out = h.collect(states);
      int runs = input.size() + 2;
      h.runBatches(runs);
      Map<Integer, Integer> state = new HashMap<>();
      for (int b = 0; b < runs; b++) {
        Map<Integer, List<Integer>> grouped = new HashMap<>();
        for (Tuple2<Integer, Integer> p : b < input.size() ? input.get(b) : List.<Tuple2<Integer, Integer>>of()) {
          grouped.computeIfAbsent(p._1(), k -> new ArrayList<>()).add(p._2());
        }
        for (Map.Entry<Integer, List<Integer>> e : grouped.entrySet()) {
          if (e.getValue().contains(0)) {
            state.remove(e.getKey());
          } else {
            state.merge(e.getKey(), e.getValue().stream().mapToInt(Integer::intValue).sum(), Integer::sum);
          }
        }
        assertThat(UpdateStateByKeyTest.map(out.batch(b + 1))).as("state after batch %d", b + 1).isEqualTo(state);
      }
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
