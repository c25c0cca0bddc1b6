package dev.millrace.streaming.kafka010.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.streaming.kafka010.PerPartitionConfig;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
  private static final TopicPartition A = new TopicPartition("t", 0);
  private static final TopicPartition B = new TopicPartition("t", 1);

  private static PerPartitionConfig limits(long a, long b, long min) {
    return new PerPartitionConfig() {
      private static final long serialVersionUID = 1L;

      @Override
      public long maxRatePerPartition(TopicPartition tp) {
        return tp.equals(A) ? a : b;
      }

      @Override
      public long minRatePerPartition(TopicPartition tp) {
        return min;
      }
    };
  }

  @Test
  void noLimits_readsUpToTheLatestOffsets() {
    assertThat(RateLimits.clamp(Map.of(A, 5L, B, 0L), Map.of(A, 1000L, B, 7L), 2000, limits(0, 0, 1)))
        .isEqualTo(Map.of(A, 1000L, B, 7L));
  }

  @Test
  void limit_isBatchSecondsTimesRate_roundedDown_andNeverBeyondLatest() {
    // 1.5 s x 3/s = 4.5 -> 4 records for A; 1.5 s x 100/s = 150, but only 7 are there for B.
    assertThat(RateLimits.clamp(Map.of(A, 10L, B, 0L), Map.of(A, 100L, B, 7L), 1500, limits(3, 100, 1)))
        .isEqualTo(Map.of(A, 14L, B, 7L));
  }

  @Test
  void minRate_appliesWhenTheLimitRoundsBelowIt_evenForAPartitionWithoutMaxRate() {
    // A: (long) (0.1 s x 5/s) = 0 -> raised to 2; B has no max rate (0) but the sum is positive, so 0 -> 2.
    assertThat(RateLimits.clamp(Map.of(A, 0L, B, 0L), Map.of(A, 50L, B, 50L), 100, limits(5, 0, 2)))
        .isEqualTo(Map.of(A, 2L, B, 2L));
  }

  @Test
  void limit_isComputedInDoubleAndTruncated_asSparkDoes() {
    // 0.29 s x 100/s is 28.999999999999996 in double, so Spark reads 28 records, not 29.
    assertThat(RateLimits.clamp(Map.of(A, 0L, B, 0L), Map.of(A, 1000L, B, 1000L), 290, limits(100, 100, 1)))
        .isEqualTo(Map.of(A, 28L, B, 28L));
  }
}
