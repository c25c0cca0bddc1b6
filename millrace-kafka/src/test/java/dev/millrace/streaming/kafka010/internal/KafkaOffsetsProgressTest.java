package dev.millrace.streaming.kafka010.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.streaming.kafka010.OffsetRange;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KafkaOffsetsProgressTest {
  private static final List<OffsetRange> RANGES =
      List.of(OffsetRange.create("events", 0, 10, 20), OffsetRange.create("events", 1, 5, 5));

  @Test
  void ranges_encodeThenDecode_giveTheSameRanges() {
    assertThat(KafkaOffsetsProgress.decodeRanges(1, KafkaOffsetsProgress.encodeRanges(RANGES))).isEqualTo(RANGES);
    assertThat(KafkaOffsetsProgress.decodeRanges(1, KafkaOffsetsProgress.encodeRanges(List.of()))).isEmpty();
  }

  @Test
  void rangesEncoding_isVersionOneLayout() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(1);
      out.writeUTF("t");
      out.writeInt(2);
      out.writeLong(7);
      out.writeLong(9);
    }
    assertThat(KafkaOffsetsProgress.encodeRanges(List.of(OffsetRange.create("t", 2, 7, 9))))
        .isEqualTo(bytes.toByteArray());
  }

  @Test
  void truncatedOrOverlongRanges_areRejected() {
    byte[] data = KafkaOffsetsProgress.encodeRanges(RANGES);
    IllegalArgumentException torn = assertThrows(IllegalArgumentException.class,
        () -> KafkaOffsetsProgress.decodeRanges(1, Arrays.copyOf(data, data.length - 3)));
    assertThat(torn).hasMessageContaining("truncated");
    IllegalArgumentException longer = assertThrows(IllegalArgumentException.class,
        () -> KafkaOffsetsProgress.decodeRanges(1, Arrays.copyOf(data, data.length + 2)));
    assertThat(longer).hasMessageContaining("2 bytes after its 2 ranges");
  }

  @Test
  void anInvalidRange_isRejected() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(1);
      out.writeUTF("t");
      out.writeInt(0);
      out.writeLong(9);
      out.writeLong(7);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KafkaOffsetsProgress.decodeRanges(1, bytes.toByteArray()));
    assertThat(e).hasMessageContaining("Beginning offset 9 is after the ending offset 7");
  }

  @Test
  void anotherVersion_isRejectedNamingBoth() {
    byte[] data = KafkaOffsetsProgress.encodeRanges(RANGES);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KafkaOffsetsProgress.decodeRanges(2, data));
    assertThat(e).hasMessageContaining("version 2").hasMessageContaining("reads version 1");
    assertThrows(IllegalArgumentException.class,
        () -> KafkaOffsetsProgress.decodeStream(2, KafkaOffsetsProgress.encodeStream(false, Set.of())));
  }

  @Test
  void streamPart_keepsTheFailureFlagAndTheUnfinishedTimesInOrder() {
    KafkaOffsetsProgress.StreamState s =
        KafkaOffsetsProgress.decodeStream(1, KafkaOffsetsProgress.encodeStream(true, List.of(3000L, 1000L)));
    assertThat(s.failed()).isTrue();
    assertThat(s.unfinished()).containsExactly(1000L, 3000L);
    assertThat(KafkaOffsetsProgress.decodeStream(1, new byte[0]).unfinished()).isEmpty();
    byte[] data = KafkaOffsetsProgress.encodeStream(false, List.of(1000L));
    assertThrows(IllegalArgumentException.class,
        () -> KafkaOffsetsProgress.decodeStream(1, Arrays.copyOf(data, data.length - 1)));
  }

  @Test
  void description_countsRecords_andListsThePartitionsWithRecords() {
    assertThat(KafkaOffsetsProgress.describe(RANGES)).isEqualTo("10 records: events-0 [10, 20)");
    assertThat(KafkaOffsetsProgress.describe(List.of(OffsetRange.create("a", 0, 4, 5), OffsetRange.create("b", 3, 0, 2))))
        .isEqualTo("3 records: a-0 [4, 5), b-3 [0, 2)");
    assertThat(KafkaOffsetsProgress.describe(List.of(OffsetRange.create("a", 0, 4, 5)))).isEqualTo("1 record: a-0 [4, 5)");
    // "0 " first: checkpoint inspect folds such batches into one line.
    assertThat(KafkaOffsetsProgress.describe(List.of(OffsetRange.create("a", 0, 4, 4))))
        .isEqualTo("0 records (1 partition(s), e.g. a-0 at 4)");
  }
}
