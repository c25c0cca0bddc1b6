package dev.millrace.streaming.kafka010;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetRangeTest {
  @Test
  void accessorsCountAndToString_matchSpark() {
    OffsetRange r = OffsetRange.create("events", 2, 100, 250);
    assertThat(r.topic()).isEqualTo("events");
    assertThat(r.partition()).isEqualTo(2);
    assertThat(r.count()).isEqualTo(150);
    assertThat(r.topicPartition()).isEqualTo(new TopicPartition("events", 2));
    assertThat(r).hasToString("OffsetRange(topic: 'events', partition: 2, range: [100 -> 250])");
    assertThat(OffsetRange.create(new TopicPartition("events", 2), 100, 250)).isEqualTo(r);
  }

  @Test
  void aRangeEndingBeforeItStarts_isRejectedWithBothOffsets() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OffsetRange.create("events", 0, 10, 9));
    assertThat(e).hasMessageContaining("10").hasMessageContaining("9");
  }
}
