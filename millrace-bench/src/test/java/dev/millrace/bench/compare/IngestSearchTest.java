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

  private static IngestSearch.Verdict verdict(boolean pass) {
    return new IngestSearch.Verdict(pass, 1, 1, 0, pass ? "ok" : "no");
  }

  /** Runs the search against an engine that sustains exactly {@code capacity} lines/s. */
  private static List<Long> tried(IngestSearch s, long capacity) {
    List<Long> rates = new ArrayList<>();
    for (long r = s.next(); r > 0; r = s.next()) {
      rates.add(r);
      s.record(r, verdict(r <= capacity));
    }
    return rates;
  }

  @Test
  void search_goesUpAfterPasses_thenBisectsBetweenBestPassAndLowestFailure() {
    IngestSearch s = new IngestSearch(100_000, 1.25, 0.7, 1.05, 10);
    List<Long> rates = tried(s, 150_000);
    // 100k pass, 125k pass, 156,250 fail, then sqrt(125,000 * 156,250) = 139,754 pass,
    // sqrt(139,754 * 156,250) = 147,772 pass; 156,250 / 147,772 = 1.057 > 1.05:
    // sqrt(147,772 * 156,250) = 151,952 fail; 151,952 / 147,772 < 1.05: done.
    assertThat(rates).containsExactly(100_000L, 125_000L, 156_250L, 139_754L, 147_772L, 151_952L);
    assertThat(s.best()).isEqualTo(147_772);
    assertThat(s.lowestFailingAbove(s.best())).isEqualTo(151_952);
  }

  @Test
  void search_goesDownAfterFailures_untilOnePasses() {
    IngestSearch s = new IngestSearch(100_000, 1.25, 0.5, 1.5, 10);
    List<Long> rates = tried(s, 30_000);
    // 100k fail, 50k fail, 25k pass, then sqrt(25k * 50k) = 35,355 fail; 35,355 / 25,000 < 1.5: done.
    assertThat(rates).containsExactly(100_000L, 50_000L, 25_000L, 35_355L);
    assertThat(s.best()).isEqualTo(25_000);
  }

  @Test
  void search_stopsAfterMaxSteps_withTheBestSoFar() {
    IngestSearch s = new IngestSearch(100_000, 2, 0.5, 1.01, 3);
    assertThat(tried(s, 1_000_000)).containsExactly(100_000L, 200_000L, 400_000L);
    assertThat(s.best()).isEqualTo(400_000);
    IngestSearch none = new IngestSearch(100_000, 2, 0.5, 1.01, 2);
    tried(none, 10);
    assertThat(none.best()).isZero();
  }

  @Test
  void search_aPassAboveAFailure_countsAsTheBest_andTheSearchGoesOnAboveIt() {
    IngestSearch s = new IngestSearch(100_000, 1.25, 0.5, 1.1, 10);
    s.record(100_000, verdict(false)); // noise
    s.record(50_000, verdict(true));
    s.record(120_000, verdict(true));
    assertThat(s.best()).isEqualTo(120_000);
    assertThat(s.lowestFailingAbove(120_000)).isZero();
    assertThat(s.next()).isEqualTo(150_000);
  }

  @Test
  void badParameters_areRejected() {
    assertThrows(IllegalArgumentException.class, () -> new IngestSearch(0, 1.25, 0.7, 1.1, 5));
    assertThrows(IllegalArgumentException.class, () -> new IngestSearch(1000, 1.0, 0.7, 1.1, 5));
    assertThrows(IllegalArgumentException.class, () -> new IngestSearch(1000, 1.25, 1.0, 1.1, 5));
    assertThrows(IllegalArgumentException.class, () -> new IngestSearch(1000, 1.25, 0.7, 1.0, 5));
    assertThrows(IllegalArgumentException.class, () -> new IngestSearch(1000, 1.25, 0.7, 1.1, 0));
  }
}
