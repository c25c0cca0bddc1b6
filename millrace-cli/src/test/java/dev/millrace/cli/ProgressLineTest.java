package dev.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.Tuple2;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.scheduler.BatchInfo;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private static StreamingListenerBatchCompleted batch(long time, long records, long submitted, long start, long end) {
    return new StreamingListenerBatchCompleted(new BatchInfo(new Time(time), Map.of(0, new StreamInputInfo(0, records)),
        submitted, Optional.of(start), Optional.of(end), Map.of()));
  }

  @Test
  void format_showsBatchesRateAndDelays_inUnder80Columns() {
    assertThat(ProgressLine.format(12, 3420, 0, 35, "lines"))
        .isEqualTo("[12 batches | 3420 lines/s | scheduling delay 0 ms | processing 35 ms]");
    assertThat(ProgressLine.format(123_456, 12_345_678, 12_345, 123_456_789, "lines"))
        .isEqualTo("[123456 batches | 12345678 lines/s | scheduling delay 12.3 s | processing 123456 s]")
        .hasSizeLessThan(90);
    assertThat(ProgressLine.format(99_999, 999_999, 59_999, 59_999, "lines")).hasSizeLessThan(80);
  }

  @Test
  void theLineIsShownBetweenBatches_andNeverMixedIntoTheirOutput() {
    Screen screen = new Screen();
    Object lock = new Object();
    ProgressLine progress = new ProgressLine(screen.stream, 1000, "lines", lock);

    printBatch(screen, progress, lock, 1000, List.of(new Tuple2<>("to", 3L), new Tuple2<>("be", 2L)));
    progress.onBatchCompleted(batch(1000, 2500, 1000, 1000, 1250));
    assertThat(screen.rows()).last().isEqualTo("[1 batches | 2500 lines/s | scheduling delay 0 ms | processing 250 ms]");

    printBatch(screen, progress, lock, 2000, List.of(new Tuple2<>("or", 1L)));
    progress.onBatchCompleted(batch(2000, 40, 2000, 2001, 2009));
    progress.finish();

    assertThat(screen.rows()).containsExactly(
        "-------------------------------------------",
        "Time: 1000 ms",
        "-------------------------------------------",
        "(to,3)",
        "(be,2)",
        "",
        "-------------------------------------------",
        "Time: 2000 ms",
        "-------------------------------------------",
        "(or,1)",
        "",
        // the second, shorter text was drawn over the first: no leftovers of it
        "[2 batches | 40 lines/s | scheduling delay 1 ms | processing 8 ms]",
        "");
  }

  private static void printBatch(Screen screen, ProgressLine progress, Object lock, long time,
      List<Tuple2<String, Long>> counts) {
    synchronized (lock) {
      progress.clear();
      WordCount.printTop(screen.stream, new Time(time), counts, 10);
    }
  }
}
