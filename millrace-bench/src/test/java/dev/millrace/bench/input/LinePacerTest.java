package dev.millrace.bench.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LinePacerTest {
  private static final long MS = 1_000_000;

  @Test
  void newPacer_isPaused() {
    LinePacer p = new LinePacer();
    assertThat(p.allowance(5_000 * MS, 100)).isZero();
    assertThat(p.nanosUntilNext(0)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void lineKIsDueKOverRateSecondsAfterTheRateWasSet() {
    LinePacer p = new LinePacer();
    p.setRate(1000, 10_000 * MS); // one line per ms
    assertThat(p.allowance(10_000 * MS, 100)).isZero();
    assertThat(p.nanosUntilNext(10_000 * MS)).isEqualTo(MS);
    assertThat(p.allowance(10_007 * MS, 100)).isEqualTo(7);
    p.sent(7);
    assertThat(p.allowance(10_007 * MS, 100)).isZero();
    assertThat(p.nanosUntilNext(10_007 * MS)).isEqualTo(MS);
    assertThat(p.allowance(10_010 * MS, 100)).isEqualTo(3);
  }

  @Test
  void allowance_isCappedByTheChunkSize_andTheRestStaysOwed() {
    LinePacer p = new LinePacer();
    p.setRate(1000, 0);
    assertThat(p.allowance(500 * MS, 64)).isEqualTo(64);
    p.sent(64);
    assertThat(p.allowance(500 * MS, 1000)).isEqualTo(500 - 64);
  }

  @Test
  void writerHeldUpLongerThanASecond_catchesUpByOneSecondsWorthOnly() {
    LinePacer p = new LinePacer();
    p.setRate(1000, 0);
    // 5 s without writing: 5,000 lines were due, only 1,000 are owed.
    assertThat(p.allowance(5_000 * MS, 1_000_000)).isEqualTo(1000);
    p.sent(1000);
    assertThat(p.allowance(5_000 * MS, 1_000_000)).isZero();
    // From then on the plain rate again.
    assertThat(p.allowance(5_250 * MS, 1_000_000)).isEqualTo(250);
  }

  @Test
  void rateChange_restartsTheAccountFromThatMoment() {
    LinePacer p = new LinePacer();
    p.setRate(1000, 0);
    p.sent(p.allowance(100 * MS, 1_000_000));
    p.setRate(10_000, 100 * MS);
    assertThat(p.allowance(110 * MS, 1_000_000)).isEqualTo(100);
    p.setRate(0, 110 * MS);
    assertThat(p.allowance(900 * MS, 1_000_000)).isZero();
  }

  @Test
  void unlimited_admitsAWholeChunkAtOnce() {
    LinePacer p = new LinePacer();
    p.setRate(LineServer.UNLIMITED, 0);
    assertThat(p.allowance(0, 2048)).isEqualTo(2048);
    p.sent(2048);
    assertThat(p.allowance(0, 2048)).isEqualTo(2048);
    assertThat(p.nanosUntilNext(0)).isZero();
  }

  @Test
  void negativeRate_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> new LinePacer().setRate(-1, 0));
  }
}
