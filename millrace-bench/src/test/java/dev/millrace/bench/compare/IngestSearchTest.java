package dev.millrace.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestSearchTest {
  private static BatchLog.AnyBatch batch(long records, long scheduling, long processing) {
    return new BatchLog.AnyBatch(0, records, 1, scheduling, processing);
  }

  @Test
  void judge_passes_whenAllOfferedLinesArrive_andTheBatchesKeepUp() {
    // 100,000 lines/s for 3 s = 300,000 offered; 96% arrived.
    List<BatchLog.AnyBatch> b = List.of(batch(90_000, 2, 800), batch(100_000, 0, 900), batch(98_000, 5, 700));
    IngestSearch.Verdict v = IngestSearch.judge(100_000, 1000, b, 3);
    assertThat(v.pass()).isTrue();
    assertThat(v.receivedFraction()).isEqualTo(288_000 / 300_000.0);
    assertThat(v.medianProcessingMs()).isEqualTo(800);
    assertThat(v.lastSchedulingDelayMs()).isEqualTo(5);
  }

  @Test
  void judge_fails_whenFewerThan95PercentOfTheOfferedLinesArrive() {
    List<BatchLog.AnyBatch> b = List.of(batch(94_000, 0, 100), batch(94_000, 0, 100));
    IngestSearch.Verdict v = IngestSearch.judge(100_000, 1000, b, 2);
    assertThat(v.pass()).isFalse();
    assertThat(v.reason()).contains("received 94.0% of the offered lines");
  }

  @Test
  void judge_fails_whenTheMedianProcessingDelayReachesTheInterval() {
    List<BatchLog.AnyBatch> b = List.of(batch(100_000, 0, 1000), batch(100_000, 0, 999), batch(100_000, 0, 1200));
    IngestSearch.Verdict v = IngestSearch.judge(100_000, 1000, b, 3);
    assertThat(v.pass()).isFalse();
    assertThat(v.reason()).isEqualTo("median processing delay 1000.0 ms >= interval");
  }

  @Test
  void judge_fails_whenTheLastBatchWasScheduledAnIntervalLate() {
    // A backlog: processing mostly within the interval, but the last batch waited a whole interval.
    List<BatchLog.AnyBatch> b = List.of(batch(100_000, 600, 990), batch(100_000, 800, 990), batch(100_000, 1000, 400));
    IngestSearch.Verdict v = IngestSearch.judge(100_000, 1000, b, 3);
    assertThat(v.pass()).isFalse();
    assertThat(v.reason()).isEqualTo("last scheduling delay 1000 ms >= interval");
  }

  @Test
  void judge_fails_aStepCutShort_andAnEmptyOne() {
    IngestSearch.Verdict v = IngestSearch.judge(100_000, 1000, List.of(batch(100_000, 3500, 900)), 5);
    assertThat(v.pass()).isFalse();
    assertThat(v.reason()).startsWith("cut short after 1 of 5 batches");
    assertThat(IngestSearch.judge(100_000, 1000, List.of(), 5).pass()).isFalse();
  }

  private static IngestSearch.Verdict verdict(boolean pass, double processingMs) {
    return new IngestSearch.Verdict(pass, 1, processingMs, 0, pass ? "ok" : "no");
  }

  /**
   * Runs the search against a made-up engine that sustains {@code capacity} lines/s and needs
   * rate / processingCapacity seconds to process a batch of a second's lines.
   */
  private static List<Long> tried(IngestSearch s, long capacity, double processingCapacity) {
    List<Long> rates = new ArrayList<>();
    for (long r = s.next(); r > 0; r = s.next()) {
      rates.add(r);
      s.record(r, verdict(r <= capacity, r * 1000.0 / processingCapacity));
    }
    return rates;
  }

  private static IngestSearch search(long start, int maxSteps) {
    return new IngestSearch(start, 1000, 0.8, 1.15, 3, 0.5, 1.1, maxSteps);
  }

  @Test
  void search_extrapolatesFromTheProcessingDelay_thenBisectsBetweenBestPassAndLowestFailure() {
    IngestSearch s = search(100_000, 10);
    List<Long> rates = tried(s, 450_000, 500_000);
    // 100k: 200 ms, aim at 800 ms = x4, capped at x3: 300k. 300k: 600 ms, x1.33: 400k. 400k: 800 ms,
    // x1, raised to x1.15: 460k, which fails. sqrt(400k * 460k) = 428,952 passes; 460k / 428,952 < 1.1.
    assertThat(rates).containsExactly(100_000L, 300_000L, 400_000L, 460_000L, 428_952L);
    assertThat(s.best()).isEqualTo(428_952);
    assertThat(s.lowestFailingAbove(s.best())).isEqualTo(460_000);
  }

  @Test
  void search_halvesAfterFailures_untilOnePasses_thenBisects() {
    IngestSearch s = search(100_000, 10);
    List<Long> rates = tried(s, 30_000, 100_000);
    // 100k fail, 50k fail, 25k pass; then geometric means with the lowest failure above:
    // sqrt(25k * 50k) = 35,355 fail, sqrt(25k * 35,355) = 29,730 pass, sqrt(29,730 * 35,355) = 32,421 fail,
    // and 32,421 / 29,730 = 1.09 is within 1.1.
    assertThat(rates).containsExactly(100_000L, 50_000L, 25_000L, 35_355L, 29_730L, 32_421L);
    assertThat(s.best()).isEqualTo(29_730);
  }

  @Test
  void search_stopsAfterMaxSteps_withTheBestSoFar() {
    IngestSearch s = search(100_000, 3);
    assertThat(tried(s, 10_000_000, 10_000_000)).containsExactly(100_000L, 300_000L, 900_000L);
    assertThat(s.best()).isEqualTo(900_000);
    IngestSearch none = search(100_000, 2);
    tried(none, 10, 1_000_000);
    assertThat(none.best()).isZero();
  }

  @Test
  void search_aPassAboveAFailure_countsAsTheBest_andTheSearchGoesOnAboveIt() {
    IngestSearch s = search(100_000, 10);
    s.record(100_000, verdict(false, 400)); // noise
    s.record(50_000, verdict(true, 500));
    s.record(120_000, verdict(true, 600));
    assertThat(s.best()).isEqualTo(120_000);
    assertThat(s.lowestFailingAbove(120_000)).isZero();
    assertThat(s.next()).isEqualTo(160_000); // 120k * 800 / 600
  }

  @Test
  void startFrom_extrapolatesFromTheLeastDisturbedWarmUpBatch_withinHalfAndMaxUp() {
    // 100k lines/s warm-up, fastest batch 400 ms: aim at 800 ms = x2.
    assertThat(IngestSearch.startFrom(100_000, 1000, 0.8, 3,
        List.of(batch(100_000, 0, 1500), batch(100_000, 0, 400)))).isEqualTo(200_000);
    // Cold and slow: 2,000 ms would give x0.4, kept at half.
    assertThat(IngestSearch.startFrom(100_000, 1000, 0.8, 3, List.of(batch(100_000, 0, 2000)))).isEqualTo(50_000);
    // Very fast: x8 kept at maxUp.
    assertThat(IngestSearch.startFrom(100_000, 1000, 0.8, 3, List.of(batch(100_000, 0, 100)))).isEqualTo(300_000);
    assertThat(IngestSearch.startFrom(100_000, 1000, 0.8, 3, List.of(batch(100_000, 0, 0)))).isEqualTo(300_000);
    assertThat(IngestSearch.startFrom(100_000, 1000, 0.8, 3, List.of())).isEqualTo(100_000);
  }

  @Test
  void bracketed_onlyOnceAStepFailedAboveTheBest() {
    IngestSearch s = search(100_000, 10);
    assertThat(s.bracketed()).isFalse();
    s.record(100_000, verdict(true, 500));
    assertThat(s.bracketed()).isFalse();
    s.record(80_000, verdict(false, 900)); // below the best: noise, brackets nothing
    assertThat(s.bracketed()).isFalse();
    s.record(160_000, verdict(false, 1200));
    assertThat(s.bracketed()).isTrue();
  }

  @Test
  void badParameters_areRejected() {
    assertThrows(IllegalArgumentException.class, () -> new IngestSearch(0, 1000, 0.8, 1.15, 3, 0.5, 1.1, 5));
    assertThrows(IllegalArgumentException.class, () -> new IngestSearch(1000, 0, 0.8, 1.15, 3, 0.5, 1.1, 5));
    assertThrows(IllegalArgumentException.class, () -> new IngestSearch(1000, 1000, 1.5, 1.15, 3, 0.5, 1.1, 5));
    assertThrows(IllegalArgumentException.class, () -> new IngestSearch(1000, 1000, 0.8, 1.0, 3, 0.5, 1.1, 5));
    assertThrows(IllegalArgumentException.class, () -> new IngestSearch(1000, 1000, 0.8, 1.15, 1.1, 0.5, 1.1, 5));
    assertThrows(IllegalArgumentException.class, () -> new IngestSearch(1000, 1000, 0.8, 1.15, 3, 1.0, 1.1, 5));
    assertThrows(IllegalArgumentException.class, () -> new IngestSearch(1000, 1000, 0.8, 1.15, 3, 0.5, 1.0, 5));
    assertThrows(IllegalArgumentException.class, () -> new IngestSearch(1000, 1000, 0.8, 1.15, 3, 0.5, 1.1, 0));
  }
}
