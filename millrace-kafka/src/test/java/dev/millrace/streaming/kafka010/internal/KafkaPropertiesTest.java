package dev.millrace.streaming.kafka010.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.streaming.kafka010.OffsetRange;
import dev.millrace.streaming.kafka010.PerPartitionConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.TopicPartition;

class KafkaPropertiesTest {
  @Property
  void clampedEnds_liveBetweenTheCurrentAndLatestOffsets_andRespectTheLimit(
      @ForAll @Size(min = 1, max = 6) List<@LongRange(min = 0, max = 1_000_000) Long> current,
      @ForAll @Size(min = 6, max = 6) List<@LongRange(min = 0, max = 100_000) Long> backlog,
      @ForAll @Size(min = 6, max = 6) List<@LongRange(min = 0, max = 5_000) Long> maxRates,
      @ForAll @LongRange(min = 1, max = 50) long minRate,
      @ForAll @IntRange(min = 1, max = 10_000) int batchMs) {
    Map<TopicPartition, Long> cur = new HashMap<>();
    Map<TopicPartition, Long> latest = new HashMap<>();
    Map<TopicPartition, Long> rates = new HashMap<>();
    for (int p = 0; p < current.size(); p++) {
      TopicPartition tp = new TopicPartition("t", p);
      cur.put(tp, current.get(p));
      latest.put(tp, current.get(p) + backlog.get(p));
      rates.put(tp, maxRates.get(p));
    }
    PerPartitionConfig ppc = new PerPartitionConfig() {
      private static final long serialVersionUID = 1L;

      @Override
      public long maxRatePerPartition(TopicPartition tp) {
        return rates.get(tp);
      }

      @Override
      public long minRatePerPartition(TopicPartition tp) {
        return minRate;
      }
    };
    Map<TopicPartition, Long> until = RateLimits.clamp(cur, latest, batchMs, ppc);
    boolean limited = rates.values().stream().mapToLong(Long::longValue).sum() > 0;
    for (TopicPartition tp : cur.keySet()) {
      long read = until.get(tp) - cur.get(tp);
      assertThat(until.get(tp)).isBetween(cur.get(tp), latest.get(tp));
      if (!limited) {
        assertThat(until.get(tp)).isEqualTo(latest.get(tp));
      } else {
        // Spark computes seconds x rate in double and truncates (0.29 s x 100/s gives 28, not 29).
        long allowed = Math.max((long) (batchMs / 1000.0 * rates.get(tp)), minRate);
        assertThat(read).isEqualTo(Math.min(allowed, latest.get(tp) - cur.get(tp)));
      }
    }
  }

  @Property
  void progress_encodeDecode_isTheIdentity(
      @ForAll @Size(max = 5) List<@LongRange(min = 0, max = 1L << 40) Long> batchTimes,
      @ForAll @IntRange(min = 0, max = 4) int partitions,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 4) long base,
      @ForAll boolean failed) {
    long offset = base;
    for (long t : batchTimes) {
      List<OffsetRange> ranges = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        ranges.add(OffsetRange.create("topic.name_\u00e9" + p, p, offset, offset + t % 1000));
      }
      offset += t % 1000;
      assertThat(KafkaOffsetsProgress.decodeRanges(1, KafkaOffsetsProgress.encodeRanges(ranges))).isEqualTo(ranges);
    }
    KafkaOffsetsProgress.StreamState state = KafkaOffsetsProgress.decodeStream(1,
        KafkaOffsetsProgress.encodeStream(failed, batchTimes));
    assertThat(state.failed()).isEqualTo(failed);
    assertThat(state.unfinished()).containsExactlyElementsOf(new java.util.TreeSet<>(batchTimes));
  }
}
