package dev.millrace.streaming.kafka010;

import dev.millrace.streaming.internal.checkpoint.Checkpointing;
import dev.millrace.streaming.internal.checkpoint.MetadataCheckpoint;
import dev.millrace.streaming.kafka010.internal.KafkaOffsetsProgress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** Reads a direct Kafka stream's progress from a checkpoint directory, as a test watching a child JVM does. */
final class CheckpointedOffsets {
  private CheckpointedOffsets() {}

  /**
   * Whether the newest metadata checkpoint in {@code dir} shows the (only) Kafka stream read up to
   * {@code end} and no pending batch has records left.
   */
  static boolean drained(Path dir, Map<TopicPartition, Long> end) {
    MetadataCheckpoint cp;
    try {
      cp = Checkpointing.readLatest(dir);
    } catch (RuntimeException e) {
      return false; // being written
    }
    if (cp == null || cp.inputs().isEmpty()) {
      return false;
    }
    MetadataCheckpoint.InputProgress in = cp.inputs().get(0);
    if (in.batches().isEmpty()) {
      return false;
    }
    Map<TopicPartition, Long> next = new HashMap<>();
    for (OffsetRange r : ranges(in, in.batches().lastKey())) {
      next.put(r.topicPartition(), r.untilOffset());
    }
    if (!next.equals(end)) {
      return false;
    }
    for (long t : cp.pendingTimesMs()) {
      if (in.batches().containsKey(t) && ranges(in, t).stream().anyMatch(r -> r.count() > 0)) {
        return false;
      }
    }
    return true;
  }

  private static List<OffsetRange> ranges(MetadataCheckpoint.InputProgress in, long time) {
    return KafkaOffsetsProgress.decodeRanges(in.version(), in.batches().get(time));
  }
}
