package dev.millrace.streaming.kafka010.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.streaming.kafka010.OffsetRange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamProgressTest {
  private static final TopicPartition P0 = new TopicPartition("events", 0);
  private static final TopicPartition P1 = new TopicPartition("events", 1);

  private static StreamProgress sample() {
    TreeMap<Long, List<OffsetRange>> pending = new TreeMap<>();
    pending.put(2000L, List.of(OffsetRange.create(P0, 10, 20), OffsetRange.create(P1, 5, 5)));
    pending.put(3000L, List.of(OffsetRange.create(P0, 20, 25), OffsetRange.create(P1, 5, 9)));
    return new StreamProgress(pending, Map.of(P0, 25L, P1, 9L));
  }

  @Test
  void encodeThenDecode_givesTheSameProgress() {
    assertThat(StreamProgress.decode(sample().encode())).isEqualTo(sample());
  }

  @Test
  void encoding_isVersionedText() {
    String text = new String(sample().encode(), StandardCharsets.UTF_8);
    assertThat(text).startsWith("millrace-kafka-progress 1\nbatch 2000\nrange events 0 10 20\nrange events 1 5 5\n"
        + "batch 3000\nrange events 0 20 25\nrange events 1 5 9\nnext events 0 25\nnext events 1 9\ncrc ");
  }

  @Test
  void resumeOffsets_startAtTheEarliestPendingBatch() {
    assertThat(sample().resumeOffsets()).isEqualTo(Map.of(P0, 10L, P1, 5L));
    assertThat(new StreamProgress(new TreeMap<>(), Map.of(P0, 7L)).resumeOffsets()).isEqualTo(Map.of(P0, 7L));
  }

  @Test
  void aTornOrAlteredFile_isDetected() {
    byte[] data = sample().encode();
    byte[] torn = java.util.Arrays.copyOf(data, data.length - 5);
    assertThrows(IllegalArgumentException.class, () -> StreamProgress.decode(torn));
    String altered = new String(data, StandardCharsets.UTF_8).replace("range events 0 10 20", "range events 0 11 20");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StreamProgress.decode(altered.getBytes(StandardCharsets.UTF_8)));
    assertThat(e).hasMessageContaining("checksum");
  }

  @Test
  void anotherVersion_isRejectedNamingBothVersions() {
    String v2 = new String(new StreamProgress(new TreeMap<>(), Map.of()).encode(), StandardCharsets.UTF_8)
        .replace("progress 1", "progress 2");
    String body = v2.substring(0, v2.lastIndexOf("crc "));
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    byte[] data = (body + "crc " + crc.getValue() + "\n").getBytes(StandardCharsets.UTF_8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamProgress.decode(data));
    assertThat(e).hasMessageContaining("version 2").hasMessageContaining("version 1");
  }

  @Test
  void store_readsTheNewestReadableFile_andKeepsTwo(@TempDir Path dir) throws Exception {
    ProgressStore store = new ProgressStore(dir);
    assertThat(store.read()).isEmpty();
    StreamProgress first = new StreamProgress(new TreeMap<>(), Map.of(P0, 1L));
    StreamProgress second = new StreamProgress(new TreeMap<>(), Map.of(P0, 2L));
    StreamProgress third = new StreamProgress(new TreeMap<>(), Map.of(P0, 3L));
    store.write(first);
    store.write(second);
    store.write(third);
    try (var files = Files.list(dir)) {
      assertThat(files.count()).isEqualTo(2);
    }
    assertThat(new ProgressStore(dir).read()).contains(third);

    // The newest file torn: the previous one is used.
    Path newest;
    try (var files = Files.list(dir)) {
      newest = files.sorted().reduce((a, b) -> b).orElseThrow();
    }
    byte[] data = Files.readAllBytes(newest);
    Files.write(newest, java.util.Arrays.copyOf(data, data.length / 2));
    ProgressStore reopened = new ProgressStore(dir);
    assertThat(reopened.read()).contains(second);
    // Writing after a fallback continues the sequence, so the new file is the newest.
    StreamProgress fourth = new StreamProgress(new TreeMap<>(), Map.of(P0, 4L));
    reopened.write(fourth);
    assertThat(new ProgressStore(dir).read()).contains(fourth);
  }
}
