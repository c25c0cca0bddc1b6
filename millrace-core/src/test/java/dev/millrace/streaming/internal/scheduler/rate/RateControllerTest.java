package dev.millrace.streaming.internal.scheduler.rate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.streaming.Time;
import dev.millrace.streaming.scheduler.BatchInfo;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateControllerTest {
  private static StreamingListenerBatchCompleted completed(long time, int streamId, long records, long start,
      long end) {
    return new StreamingListenerBatchCompleted(new BatchInfo(new Time(time),
        Map.of(streamId, new StreamInputInfo(streamId, records)), time, Optional.of(start), Optional.of(end),
        Map.of()));
  }

  private static RateController controller(long maxRate, long initialRate) {
    return new RateController(0, new PIDRateEstimator(1000, 1.0, 0.2, 0.0, 100), maxRate, initialRate);
  }

  @Test
  void beforeAnyEstimate_limitIsInitialRateCappedByMaxRate() {
    assertThat(controller(0, 0).currentLimit()).isEqualTo(IngestionRate.UNLIMITED);
    assertThat(controller(0, 500).currentLimit()).isEqualTo(500);
    assertThat(controller(300, 500).currentLimit()).isEqualTo(300);
    assertThat(controller(300, 0).currentLimit()).isEqualTo(300);
  }

  @Test
  void publishesEachEstimate_cappedByMaxRate() {
    RateController c = controller(0, 0);
    List<Long> published = new ArrayList<>();
    c.onChange(published::add);
    c.onBatchCompleted(completed(1000, 0, 1000, 1000, 1500)); // seeds 2000/s
    assertThat(published).isEmpty();
    c.onBatchCompleted(completed(2000, 0, 1000, 2500, 3500)); // 900/s (see PIDRateEstimatorTest)
    assertThat(published).containsExactly(900L);
    assertThat(c.currentLimit()).isEqualTo(900);
    assertThat(c.latestEstimate().getAsDouble()).isEqualTo(900.0);

    RateController capped = controller(500, 0);
    capped.onBatchCompleted(completed(1000, 0, 1000, 1000, 1500));
    capped.onBatchCompleted(completed(2000, 0, 1000, 2500, 3500));
    assertThat(capped.currentLimit()).isEqualTo(500);
    assertThat(capped.latestEstimate().getAsDouble()).isEqualTo(900.0);
  }

  @Test
  void ignoresBatchesWithoutItsStreamOrUnfinished() {
    RateController c = controller(0, 0);
    c.onBatchCompleted(completed(1000, 0, 1000, 1000, 1500));
    c.onBatchCompleted(completed(2000, 7, 1000, 2500, 3500)); // another stream
    c.onBatchCompleted(new StreamingListenerBatchCompleted(new BatchInfo(new Time(2000),
        Map.of(0, new StreamInputInfo(0, 1000)), 2000, Optional.of(2500L), Optional.<Long>empty(), Map.of())));
    assertThat(c.currentLimit()).isEqualTo(IngestionRate.UNLIMITED);
    c.onBatchCompleted(completed(2000, 0, 1000, 2500, 3500));
    assertThat(c.currentLimit()).isEqualTo(900);
  }

  @Test
  void fixedLimitIsMaxRateOrUnlimited() {
    assertThat(RateController.fixed(250).currentLimit()).isEqualTo(250);
    assertThat(RateController.fixed(0).currentLimit()).isEqualTo(IngestionRate.UNLIMITED);
    assertThat(RateController.fixed(-1).currentLimit()).isEqualTo(IngestionRate.UNLIMITED);
  }

  @Test
  void maxRecordsPerPartition_splitsTheLimitByLag_cappedPerPartition_overTheBatchSeconds() {
    Map<String, Long> lags = new java.util.LinkedHashMap<>();
    lags.put("a", 300L);
    lags.put("b", 100L);
    // 200/s split 3:1 = 150/s and 50/s, over 2 s batches
    assertThat(RateController.maxRecordsPerPartition(lags, 200, 0, 1, 2000)).contains(Map.of("a", 300L, "b", 100L));
    // a's share is capped at 100/s
    assertThat(RateController.maxRecordsPerPartition(lags, 200, 100, 1, 2000)).contains(Map.of("a", 200L, "b", 100L));
  }

  @Test
  void maxRecordsPerPartition_withoutALimit_usesMaxRatePerPartition_orNothing() {
    Map<String, Long> lags = Map.of("a", 300L, "b", 0L);
    assertThat(RateController.maxRecordsPerPartition(lags, IngestionRate.UNLIMITED, 0, 1, 1000)).isEmpty();
    assertThat(RateController.maxRecordsPerPartition(lags, IngestionRate.UNLIMITED, 10, 1, 500))
        .contains(Map.of("a", 5L, "b", 5L));
  }

  @Test
  void maxRecordsPerPartition_raisesEachPartitionToTheMinimum_andNoLagMeansNoLimit() {
    Map<String, Long> lags = Map.of("a", 1000L, "b", 0L);
    assertThat(RateController.maxRecordsPerPartition(lags, 200, 0, 1, 1000)).contains(Map.of("a", 200L, "b", 1L));
    assertThat(RateController.maxRecordsPerPartition(Map.of("a", 0L), 200, 0, 1, 1000)).isEmpty();
  }
}
