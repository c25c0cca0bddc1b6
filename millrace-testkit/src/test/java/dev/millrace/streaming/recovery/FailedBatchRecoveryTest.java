package dev.millrace.streaming.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.MillraceException;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.internal.checkpoint.Checkpointing;
import dev.millrace.streaming.internal.checkpoint.MetadataCheckpoint;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch whose output operation failed is not completed for recovery: it stays pending in every
 * later metadata checkpoint, so a restart from the checkpoint re-runs it (as Spark, whose job
 * scheduler never marks a batch with a failed job completed), and its input is not lost.
 */
class FailedBatchRecoveryTest {
  private static final List<List<String>> LINES = List.of(List.of("a"), List.of("b"), List.of("c"), List.of("d"));

  @TempDir
  Path dir;

  /** Output that fails for the batch at {@code failAt} ms, and collects the others. */
  private static BatchCollector<String> failingOutput(StreamingTestHarness h, JavaDStream<String> lines,
      long failAt) {
    lines.foreachRDD((rdd, time) -> {
      if (time.milliseconds() == failAt) {
        throw new IllegalStateException("sink unavailable at " + time);
      }
    });
    return h.collect(lines);
  }

  @Test
  void batchWhoseOutputFailed_staysPendingInTheCheckpoint_andIsReRunOnRecovery() {
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      h.context().checkpoint(dir.toString());
      failingOutput(h, h.input(LINES), 2000);
      h.runBatches(1);
      MillraceException e = assertThrows(MillraceException.class, () -> h.runBatches(1));
      assertThat(e.getMessage()).contains("Batch 2000 ms", "sink unavailable");
      MetadataCheckpoint cp = Checkpointing.readLatest(dir);
      assertThat(cp.checkpointTimeMs()).isEqualTo(2000);
      assertThat(cp.pendingTimesMs()).containsExactly(2000L);
    }
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      BatchCollector<String> out = failingOutput(h, h.input(LINES), -1);
      h.recoverFrom(dir.toString());
      h.runBatches(1);
      assertThat(out.byTime()).isEqualTo(Map.of(new Time(2000), List.of("b"), new Time(3000), List.of("c")));
    }
  }

  @Test
  void failedBatch_staysPendingWhileLaterBatchesComplete() {
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      h.context().checkpoint(dir.toString());
      failingOutput(h, h.input(LINES), 2000);
      h.runBatches(1);
      assertThrows(MillraceException.class, () -> h.runBatches(1));
      // The context goes on (the error is reported, as in Spark); batch 3 completes.
      assertThrows(MillraceException.class, () -> h.runBatches(1));
      MetadataCheckpoint cp = Checkpointing.readLatest(dir);
      assertThat(cp.checkpointTimeMs()).isEqualTo(3000);
      assertThat(cp.lastCompletedMs()).isEqualTo(3000);
      assertThat(cp.pendingTimesMs()).containsExactly(2000L);
    }
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      BatchCollector<String> out = failingOutput(h, h.input(LINES), -1);
      h.recoverFrom(dir.toString());
      h.runBatches(1);
      // Batch 2 again, not batch 3 (completed), then batch 4.
      assertThat(out.byTime()).isEqualTo(Map.of(new Time(2000), List.of("b"), new Time(4000), List.of("d")));
    }
  }
}
