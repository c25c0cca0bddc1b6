package dev.millrace.streaming.internal.scheduler.rate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.streaming.Time;
import dev.millrace.streaming.scheduler.BatchInfo;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The backpressure loop against a model of a job: records arrive at 3000/s into a source
 * buffer, the job processes 1000 records/s, batches run one after another every second. Batch
 * k is generated at k s and takes what the source lets in for it; it starts when the previous
 * batch ended; the controller hears of each batch when it ends, as through the listener bus.
 */
class BackpressureSimulationTest {
  private static final long INTERVAL_MS = 1000;
  private static final long ARRIVALS_PER_BATCH = 3000;
  private static final double PROCESSED_PER_MS = 1.0;
  private static final int BATCHES = 120;

  /** Scheduling delay of each batch, in ms. */
  private static List<Long> simulate(RateController controller) {
    List<Long> delays = new ArrayList<>();
    Deque<StreamingListenerBatchCompleted> inFlight = new ArrayDeque<>();
    long buffered = 0;
    long previousEnd = 0;
    for (int k = 1; k <= BATCHES; k++) {
      long time = k * INTERVAL_MS;
      while (!inFlight.isEmpty() && inFlight.peek().batchInfo().processingEndTime().get() <= time) {
        controller.onBatchCompleted(inFlight.poll());
      }
      buffered += ARRIVALS_PER_BATCH;
      long limit = controller.currentLimit();
      long allowed = limit == IngestionRate.UNLIMITED ? Long.MAX_VALUE : limit * INTERVAL_MS / 1000;
      long records = Math.min(buffered, allowed);
      buffered -= records;
      long start = Math.max(time, previousEnd);
      long end = start + (long) Math.ceil(records / PROCESSED_PER_MS);
      previousEnd = end;
      delays.add(start - time);
      inFlight.add(new StreamingListenerBatchCompleted(new BatchInfo(new Time(time),
          Map.of(0, new StreamInputInfo(0, records)), time, Optional.of(start), Optional.of(end), Map.of())));
    }
    return delays;
  }

  @Test
  void withBackpressure_schedulingDelayDrainsAndStaysBounded_withoutItGrowsWithoutEnd() throws IOException {
    RateController on = new RateController(0, new PIDRateEstimator(INTERVAL_MS, 1.0, 0.2, 0.0, 100), 0, 0);
    List<Long> withBackpressure = simulate(on);
    List<Long> without = simulate(new RateController(0, new NeverEstimates(), 0, 0));

    StringBuilder table = new StringBuilder("batch\tdelay_with_backpressure_ms\tdelay_without_ms\n");
    for (int k = 1; k <= BATCHES; k++) {
      table.append(k).append('\t').append(withBackpressure.get(k - 1)).append('\t').append(without.get(k - 1))
          .append('\n');
    }
    Path out = Path.of("target", "backpressure-simulation.tsv");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
    // Without a limit every batch holds 3000 records, takes 3 s, and so starts 2 s later than the
    // one before: batch k waits 2000 * (k - 1) ms.
    for (int k = 1; k <= BATCHES; k++) {
      assertThat(without.get(k - 1)).as("delay of batch %d without backpressure", k).isEqualTo(2000L * (k - 1));
    }
    // With it, the first batches still run unlimited (the first estimate needs two finished
    // batches; the second ends at 7 s, so batches 1..7 take 3000 records each and batch 7 waits
    // 12 s); from then on the limit falls below the processing rate until the delay is drained,
    // and it stays drained.
    assertThat(withBackpressure.subList(0, 7)).isEqualTo(without.subList(0, 7));
    assertThat(withBackpressure).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(12_000L));
    assertThat(withBackpressure.subList(30, BATCHES)).allSatisfy(d -> assertThat(d).isLessThan(INTERVAL_MS));
    assertThat(on.currentLimit()).isBetween(900L, 1100L);
  }

  @Test
  void initialRate_boundsTheFirstBatchesToo() {
    RateController on = new RateController(0, new PIDRateEstimator(INTERVAL_MS, 1.0, 0.2, 0.0, 100), 0, 1000);
    assertThat(simulate(on)).allSatisfy(d -> assertThat(d).isLessThan(INTERVAL_MS));
  }

  private static final class NeverEstimates implements RateEstimator {
    @Override
    public java.util.OptionalDouble compute(long time, long elements, long processingDelay, long schedulingDelay) {
      return java.util.OptionalDouble.empty();
    }
  }
}
