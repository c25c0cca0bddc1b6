package dev.millrace.streaming.state;

import static dev.millrace.streaming.state.UpdateStateByKeyTest.INPUT;
import static dev.millrace.streaming.state.UpdateStateByKeyTest.SUM_OR_RESET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.MillraceException;
import dev.millrace.Tuple2;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.StateSpec;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.api.java.JavaMapWithStateDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.internal.checkpoint.StateCheckpoint;
import dev.millrace.streaming.internal.checkpoint.StateCheckpointFiles;
import dev.millrace.streaming.internal.checkpoint.StateEntry;
import dev.millrace.streaming.internal.dstream.DStream;
import dev.millrace.testkit.StreamingTestHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** State checkpoints: when they are written, what they hold, how they are read back. */
class StateCheckpointTest {
  @TempDir
  Path dir;

  private StreamingTestHarness harness() {
    StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1));
    h.context().checkpoint(dir.toString());
    return h;
  }

  private static Map<Object, Object> states(StateCheckpoint c) {
    Map<Object, Object> m = new HashMap<>();
    for (List<StateEntry> p : c.partitions()) {
      for (StateEntry e : p) {
        assertThat(m.put(e.key(), e.state())).isNull();
      }
    }
    return m;
  }

  private static DStream<?> statefulStream(StreamingTestHarness h, String kind) {
    return h.context().ssc().graph().allStreams().stream().filter(s -> kind.equals(s.stateKind())).findFirst()
        .orElseThrow();
  }

  @Test
  void updateStateByKey_writesItsStateAtTheDefaultIntervalOfTenSeconds_asData() throws IOException {
    try (StreamingTestHarness h = harness()) {
      h.collect(h.pairInput(INPUT).updateStateByKey(SUM_OR_RESET));
      h.runBatches(10);
      Path opDir = StateCheckpointFiles.operatorDir(dir, "updateStateByKey-0");
      assertThat(StateCheckpointFiles.committedTimes(opDir)).containsExactly(10_000L);
      StateCheckpoint c = StateCheckpointFiles.readLatest(dir, "updateStateByKey-0");
      assertThat(c.kind()).isEqualTo("updateStateByKey");
      assertThat(c.batchTime()).isEqualTo(10_000L);
      assertThat(c.partitions()).hasSize(2);
      assertThat(states(c)).isEqualTo(Map.of("a", 3, "b", 1, "c", 1));
      // Data only: no Java serialization stream (0xACED) anywhere in the files.
      try (Stream<Path> files = Files.walk(opDir)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          byte[] b = Files.readAllBytes(f);
          assertThat(b.length < 2 || (b[0] == (byte) 0xAC && b[1] == (byte) 0xED)).as(f.toString()).isFalse();
        }
      }
    }
  }

  @Test
  void checkpointInterval_overridesTheDefault_andOnlyTheNewestTwoAreKept() throws IOException {
    try (StreamingTestHarness h = harness()) {
      JavaPairDStream<String, Integer> totals = h.pairInput(INPUT).updateStateByKey(SUM_OR_RESET);
      totals.checkpoint(Durations.seconds(2));
      h.collect(totals);
      h.runBatches(9);
      Path opDir = StateCheckpointFiles.operatorDir(dir, "updateStateByKey-0");
      assertThat(StateCheckpointFiles.committedTimes(opDir)).containsExactly(6_000L, 8_000L);
      assertThat(states(StateCheckpointFiles.read(dir, "updateStateByKey-0", 6_000L)))
          .isEqualTo(Map.of("a", 3, "b", 1, "c", 1));
    }
  }

  @Test
  void mapWithState_writesKeysStatesAndUpdateTimes_everyTenBatchesByDefault() {
    try (StreamingTestHarness h = harness()) {
      JavaMapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> mapped =
          h.pairInput(INPUT).mapWithState(StateSpec.function(MapWithStateTest.SUM).numPartitions(3));
      h.collect(mapped);
      h.runBatches(10);
      StateCheckpoint c = StateCheckpointFiles.readLatest(dir, "mapWithState-0");
      assertThat(c.batchTime()).isEqualTo(10_000L);
      assertThat(c.partitions()).hasSize(3);
      Map<Object, Long> times = new HashMap<>();
      c.partitions().forEach(p -> p.forEach(e -> times.put(e.key(), e.updateTime())));
      assertThat(states(c)).isEqualTo(Map.of("a", 3, "b", 1, "c", 1));
      assertThat(times).isEqualTo(Map.of("a", 4000L, "b", 5000L, "c", 4000L));
    }
  }

  @Test
  void inverseWindow_writesTheWindowValues_underItsName() {
    try (StreamingTestHarness h = harness()) {
      JavaPairDStream<String, Integer> windowed = h.pairInput(INPUT).reduceByKeyAndWindow(Integer::sum,
          (a, b) -> a - b, Durations.seconds(3), Durations.seconds(1));
      windowed.dstream().setName("recent sums");
      windowed.checkpoint(Durations.seconds(5));
      h.collect(windowed);
      h.runBatches(5);
      StateCheckpoint c = StateCheckpointFiles.readLatest(dir, "name-recent_sums");
      assertThat(c.kind()).isEqualTo("reduceByKeyAndWindow");
      assertThat(c.batchTime()).isEqualTo(5_000L);
      // Window (2 s, 5 s]: batches 3-5 of INPUT: (c,1) (a,1) (b,0) (b,1); a and b left over as inverse values.
      assertThat(states(c)).isEqualTo(Map.of("a", 1, "b", 1, "c", 1));
    }
  }

  @Test
  void afterACheckpoint_theStateDatasetIsMaterialized_withNoLineage() {
    try (StreamingTestHarness h = harness()) {
      h.collect(h.pairInput(INPUT).updateStateByKey(SUM_OR_RESET));
      h.runBatches(10);
      DStream<?> state = statefulStream(h, "updateStateByKey");
      RDD<?> rdd = state.generatedRDDs().get(new Time(10_000));
      assertThat(rdd).isNotNull();
      assertThat(rdd.dependencies()).isEmpty();
      // Only what the next batch needs is remembered.
      assertThat(state.generatedRDDs().keySet()).containsExactly(new Time(10_000));
    }
  }

  @Test
  void aTornNewestCheckpoint_isSkipped_forThePreviousOne() throws IOException {
    try (StreamingTestHarness h = harness()) {
      JavaPairDStream<String, Integer> totals = h.pairInput(INPUT).updateStateByKey(SUM_OR_RESET);
      totals.checkpoint(Durations.seconds(2));
      h.collect(totals);
      h.runBatches(4);
    }
    Path newest = StateCheckpointFiles.operatorDir(dir, "updateStateByKey-0").resolve("4000");
    Path part = newest.resolve("part-00001.state");
    byte[] b = Files.readAllBytes(part);
    Files.write(part, java.util.Arrays.copyOf(b, b.length - 3));
    StateCheckpoint c = StateCheckpointFiles.readLatest(dir, "updateStateByKey-0");
    assertThat(c.batchTime()).isEqualTo(2_000L);
    assertThat(states(c)).isEqualTo(Map.of("a", 2, "b", 1));
    assertThatThrownBy(() -> StateCheckpointFiles.read(dir, "updateStateByKey-0", 4000))
        .isInstanceOf(MillraceException.class).hasMessageContaining("updateStateByKey-0")
        .hasMessageContaining("part-00001.state");
  }

  @Test
  void aCheckpointOfAnUnknownFormatVersion_failsNamingTheOperator() throws IOException {
    try (StreamingTestHarness h = harness()) {
      h.collect(h.pairInput(INPUT).updateStateByKey(SUM_OR_RESET));
      h.runBatches(10);
    }
    Path marker = StateCheckpointFiles.operatorDir(dir, "updateStateByKey-0").resolve("10000").resolve("_COMMITTED");
    Files.writeString(marker, Files.readString(marker).replace("format=1", "format=99"));
    assertThatThrownBy(() -> StateCheckpointFiles.readLatest(dir, "updateStateByKey-0"))
        .isInstanceOf(StateCheckpointFiles.UnsupportedCheckpointVersionException.class)
        .hasMessageContaining("updateStateByKey-0").hasMessageContaining("format version 99");
  }

  /** A user state type: a record holding an immutable list. */
  record Visits(int count, List<String> pages) {}

  @Test
  void userTypes_roundTrip() {
    StateCheckpointFiles.writePartition(dir, "op", "mapWithState", 5000, 0, 1, List.of(
        new StateEntry("u1", new Visits(2, List.of("/a", "/b")), 4000),
        new StateEntry(null, new Visits(0, List.of()), 5000),
        new StateEntry(42L, Map.of("k", 1), StateEntry.NO_TIME)).iterator());
    StateCheckpointFiles.commit(dir, "op", "mapWithState", 5000, 1);
    StateCheckpoint c = StateCheckpointFiles.readLatest(dir, "op");
    assertThat(c.partitions().get(0)).containsExactly(
        new StateEntry("u1", new Visits(2, List.of("/a", "/b")), 4000),
        new StateEntry(null, new Visits(0, List.of()), 5000),
        new StateEntry(42L, Map.of("k", 1), StateEntry.NO_TIME));
  }

  @Test
  void noCheckpoint_readsAsNull() {
    assertThat(StateCheckpointFiles.readLatest(dir, "updateStateByKey-0")).isNull();
  }

  @Test
  void twoStatefulStreamsWithTheSameName_failAtStart() {
    try (StreamingTestHarness h = harness()) {
      JavaPairDStream<String, Integer> pairs = h.pairInput(INPUT);
      pairs.updateStateByKey(SUM_OR_RESET).dstream().setName("same");
      JavaPairDStream<String, Integer> a = pairs.updateStateByKey(SUM_OR_RESET);
      a.dstream().setName("same");
      JavaPairDStream<String, Integer> b = pairs.updateStateByKey(SUM_OR_RESET);
      b.dstream().setName("same");
      h.collect(a);
      h.collect(b);
      assertThatThrownBy(h::start).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("name-same");
    }
  }
}
