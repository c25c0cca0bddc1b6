package dev.millrace.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.Tuple2;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeedPipelineTest {

  @Test
  void flatMapCountByValue_countsWordsPerBatch_andEmptyBatchIsEmpty() {
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      JavaDStream<String> lines = h.input(List.of(
          List.of("to be or not", "to be"),
          List.of(),
          List.of("be  quick")));
      BatchCollector<Tuple2<String, Long>> out = h.collect(
          lines.flatMap(l -> Arrays.asList(l.split("\\s+")).iterator()).countByValue());
      h.runBatches(4);

      assertThat(out.times()).containsExactly(new Time(1000), new Time(2000), new Time(3000), new Time(4000));
      assertThat(out.batch(1)).containsExactlyInAnyOrder(
          new Tuple2<>("to", 2L), new Tuple2<>("be", 2L), new Tuple2<>("or", 1L), new Tuple2<>("not", 1L));
      assertThat(out.batch(2)).isEmpty();
      assertThat(out.batch(3)).containsExactlyInAnyOrder(new Tuple2<>("be", 1L), new Tuple2<>("quick", 1L));
      assertThat(out.batch(4)).isEmpty();
    }
  }
}
