package dev.millrace.streaming.internal.scheduler.rate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.MillraceConf;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PIDRateEstimatorTest {
  private static PIDRateEstimator defaults() {
    return new PIDRateEstimator(1000, 1.0, 0.2, 0.0, 100);
  }

  @Test
  void firstBatch_onlySeedsTheRate() {
    assertThat(defaults().compute(1000, 1000, 500, 0)).isEmpty();
  }

  @Test
  void secondBatch_subtractsErrorAndBacklog() {
    PIDRateEstimator pid = defaults();
    pid.compute(1000, 1000, 500, 0); // processed at 2000/s: the rate to beat
    // processed at 1000/s after waiting 500 ms: error 2000-1000 = 1000, backlog 500*1000/1000 = 500
    // new = 2000 - 1.0*1000 - 0.2*500 = 900
    assertThat(pid.compute(2000, 1000, 1000, 500).getAsDouble()).isCloseTo(900.0, within(1e-9));
  }

  @Test
  void rateRisesWhenProcessingIsFasterThanAskedFor() {
    PIDRateEstimator pid = defaults();
    pid.compute(1000, 1000, 500, 0);
    pid.compute(2000, 1000, 1000, 500); // 900
    // processed at 1000/s with no wait: error 900-1000 = -100, new = 900 + 100 = 1000
    assertThat(pid.compute(3000, 900, 900, 0).getAsDouble()).isCloseTo(1000.0, within(1e-9));
  }

  @Test
  void rateNeverFallsBelowMinRate() {
    PIDRateEstimator pid = defaults();
    pid.compute(1000, 1000, 500, 0);
    pid.compute(2000, 1000, 1000, 500); // 900
    // processed at 10/s after 5 s of waiting: 900 - 890 - 0.2*50 = 0, raised to the minimum 100
    assertThat(pid.compute(3000, 10, 1000, 5000).getAsDouble()).isEqualTo(100.0);
  }

  @Test
  void derivativeTermUsesErrorChangePerSecond() {
    PIDRateEstimator pid = new PIDRateEstimator(1000, 1.0, 0.2, 0.5, 100);
    pid.compute(1000, 1000, 500, 0);
    // as above but minus 0.5 * (1000 - 0) / 2 s since the last update: 900 - 250 = 650
    assertThat(pid.compute(3000, 1000, 1000, 500).getAsDouble()).isCloseTo(650.0, within(1e-9));
  }

  @Test
  void batchesThatTeachNothing_areSkippedWithoutChangingState() {
    PIDRateEstimator pid = defaults();
    pid.compute(1000, 1000, 500, 0);
    assertThat(pid.compute(1000, 1000, 1000, 0)).as("same time").isEmpty();
    assertThat(pid.compute(500, 1000, 1000, 0)).as("earlier time").isEmpty();
    assertThat(pid.compute(2000, 0, 1000, 0)).as("no records").isEmpty();
    assertThat(pid.compute(2000, 1000, 0, 0)).as("no processing time").isEmpty();
    assertThat(pid.compute(2000, 1000, 1000, 500).getAsDouble()).isCloseTo(900.0, within(1e-9));
  }

  @Test
  void constructorRejectsInvalidSettings() {
    assertThat(assertThrows(IllegalArgumentException.class, () -> new PIDRateEstimator(0, 1, 0.2, 0, 100)))
        .hasMessageContaining("batch interval 0");
    assertThat(assertThrows(IllegalArgumentException.class, () -> new PIDRateEstimator(1000, -1, 0.2, 0, 100)))
        .hasMessageContaining("Proportional term -1.0");
    assertThat(assertThrows(IllegalArgumentException.class, () -> new PIDRateEstimator(1000, 1, -0.2, 0, 100)))
        .hasMessageContaining("Integral term -0.2");
    assertThat(assertThrows(IllegalArgumentException.class, () -> new PIDRateEstimator(1000, 1, 0.2, -3, 100)))
        .hasMessageContaining("Derivative term -3.0");
    assertThat(assertThrows(IllegalArgumentException.class, () -> new PIDRateEstimator(1000, 1, 0.2, 0, 0)))
        .hasMessageContaining("Minimum rate");
  }

  @Test
  void createReadsSparkKeys() {
    MillraceConf conf = new MillraceConf(false)
        .set("spark.streaming.backpressure.pid.proportional", "0.5")
        .set("spark.streaming.backpressure.pid.integral", "0")
        .set("spark.streaming.backpressure.pid.minRate", "10");
    RateEstimator pid = RateEstimator.create(conf, 1000);
    pid.compute(1000, 1000, 500, 0);
    // 2000 - 0.5 * (2000 - 1000) = 1500
    OptionalDouble rate = pid.compute(2000, 1000, 1000, 500);
    assertThat(rate.getAsDouble()).isCloseTo(1500.0, within(1e-9));
  }

  @Test
  void createRejectsUnknownEstimator() {
    MillraceConf conf = new MillraceConf(false).set("spark.streaming.backpressure.rateEstimator", "magic");
    assertThat(assertThrows(IllegalArgumentException.class, () -> RateEstimator.create(conf, 1000)))
        .hasMessageContaining("magic").hasMessageContaining("spark.streaming.backpressure.rateEstimator");
  }
}
