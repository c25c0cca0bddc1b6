package dev.millrace.streaming.internal.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.util.ManualClock;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  /**
   * A producer that stores a record as soon as it is due, with the clock moving in steps of
   * {@code stepMs}: over any run, at most rate records per second plus one second of burst pass.
   */
  @Property(tries = 200)
  void neverAdmitsMoreThanTheRatePlusOneSecondOfBurst(@ForAll @LongRange(min = 1, max = 5000) long rate,
      @ForAll @IntRange(min = 1, max = 700) int stepMs, @ForAll @IntRange(min = 1, max = 20) int steps) {
    ManualClock clock = new ManualClock(1_000_000);
    RateLimiter limiter = new RateLimiter(clock, rate);
    long admitted = 0;
    long start = clock.getTimeMillis();
    long pending = limiter.reserve();
    for (int s = 0; s <= steps; s++) {
      while (pending <= clock.getTimeMillis()) {
        admitted++;
        pending = limiter.reserve();
      }
      if (s < steps) {
        clock.advance(stepMs);
      }
    }
    long elapsed = clock.getTimeMillis() - start;
    assertThat(admitted).isLessThanOrEqualTo(rate * (elapsed + 1000) / 1000 + 1);
    // And it does admit what the rate allows (no starvation).
    assertThat(admitted).isGreaterThanOrEqualTo(rate * elapsed / 1000);
  }

  @Test
  void atAStandingClock_oneSecondOfAllowancePlusTheRecordDueNowPass() {
    ManualClock clock = new ManualClock(5000);
    RateLimiter limiter = new RateLimiter(clock, 100);
    int admitted = 0;
    while (limiter.reserve() <= clock.getTimeMillis()) {
      admitted++;
    }
    assertThat(admitted).isEqualTo(101);
  }

  @Test
  void aRateMustBePositive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RateLimiter(new ManualClock(), 0));
    assertThat(e).hasMessageContaining("was 0");
  }

  @Test
  void unlimited_admitsEverything_untilGivenARate_thenSpacesRecordsByIt() {
    ManualClock clock = new ManualClock(5000);
    RateLimiter limiter = RateLimiter.unlimited(clock);
    for (int i = 0; i < 10_000; i++) {
      assertThat(limiter.reserve()).isEqualTo(5000L);
    }
    limiter.setRate(100);
    assertThat(limiter.ratePerSecond()).isEqualTo(100L);
    int admitted = 0;
    while (limiter.reserve() <= clock.getTimeMillis()) {
      admitted++;
    }
    // one second of burst at the new rate plus the record due now; the next is 10 ms apart
    assertThat(admitted).isEqualTo(101);
    assertThat(limiter.reserve()).isEqualTo(5020L);
    limiter.setRate(Long.MAX_VALUE);
    assertThat(limiter.ratePerSecond()).isZero();
    assertThat(limiter.reserve()).isEqualTo(5000L);
  }

  @Test
  void aLowerRate_spacesLaterRecordsWider() {
    ManualClock clock = new ManualClock(0);
    RateLimiter limiter = new RateLimiter(clock, 1000);
    while (limiter.reserve() <= clock.getTimeMillis()) {
      // use up the burst
    }
    long before = limiter.reserve();
    limiter.setRate(10);
    long after = limiter.reserve();
    assertThat(limiter.reserve() - after).isEqualTo(100L);
    assertThat(after - before).isEqualTo(1L);
  }
}
