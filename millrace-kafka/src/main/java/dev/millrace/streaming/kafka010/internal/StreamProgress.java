package dev.millrace.streaming.kafka010.internal;

import dev.millrace.streaming.kafka010.OffsetRange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.apache.kafka.common.TopicPartition;

/**
 * The progress of one direct Kafka stream as plain data: the offset ranges of every batch that was
 * generated but whose outputs have not all succeeded yet, and the next offset of every partition
 * after the last generated batch. This is what a checkpoint keeps of the stream; on restart the
 * pending batches can be re-run with exactly the same ranges and reading continues at {@link
 * #nextOffsets()}.
 *
 * <p>Encoded as versioned UTF-8 text ending in a CRC-32 line, so a torn or foreign file is
 * detected instead of misread:
 *
 * <pre>
 * millrace-kafka-progress 1
 * batch 2000
 * range events 0 100 150
 * next events 0 150
 * crc 1234567890
 * </pre>
 *
 * <p>Immutable.
 *
 * @param pendingBatches ranges of each generated, not yet completed batch, by batch time (ms)
 * @param nextOffsets next offset to read per partition after the last generated batch
 */
public record StreamProgress(TreeMap<Long, List<OffsetRange>> pendingBatches, Map<TopicPartition, Long> nextOffsets) {
  /** The current version of the encoding; {@link #decode} reads this version only. */
  public static final int VERSION = 1;

  private static final String MAGIC = "millrace-kafka-progress";
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");

  public StreamProgress {
    TreeMap<Long, List<OffsetRange>> copy = new TreeMap<>();
    pendingBatches.forEach((t, r) -> copy.put(t, List.copyOf(r)));
    pendingBatches = copy;
    nextOffsets = Map.copyOf(nextOffsets);
  }

  /** The progress of a stream that generated nothing yet. */
  public static StreamProgress empty() {
    return new StreamProgress(new TreeMap<>(), Map.of());
  }

  @Override
  public TreeMap<Long, List<OffsetRange>> pendingBatches() {
    return new TreeMap<>(pendingBatches);
  }

  /**
   * Where reading must resume so that nothing generated but unfinished is lost: the start of each
   * partition's range in the earliest pending batch that has it, else the next offset.
   */
  public Map<TopicPartition, Long> resumeOffsets() {
    Map<TopicPartition, Long> out = new java.util.HashMap<>(nextOffsets);
    for (List<OffsetRange> ranges : pendingBatches.descendingMap().values()) {
      for (OffsetRange r : ranges) {
        out.put(r.topicPartition(), r.fromOffset());
      }
    }
    return out;
  }

  /** The text form, with its checksum. */
  public byte[] encode() {
    StringBuilder sb = new StringBuilder();
    sb.append(MAGIC).append(' ').append(VERSION).append('\n');
    pendingBatches.forEach((time, ranges) -> {
      sb.append("batch ").append(time).append('\n');
      for (OffsetRange r : ranges) {
        sb.append("range ").append(checkTopic(r.topic())).append(' ').append(r.partition()).append(' ')
            .append(r.fromOffset()).append(' ').append(r.untilOffset()).append('\n');
      }
    });
    List<Map.Entry<TopicPartition, Long>> next = new ArrayList<>(nextOffsets.entrySet());
    next.sort(Comparator.comparing((Map.Entry<TopicPartition, Long> e) -> e.getKey().topic())
        .thenComparingInt(e -> e.getKey().partition()));
    for (Map.Entry<TopicPartition, Long> e : next) {
      sb.append("next ").append(checkTopic(e.getKey().topic())).append(' ').append(e.getKey().partition())
          .append(' ').append(e.getValue()).append('\n');
    }
    byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(body);
    return (sb + "crc " + crc.getValue() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads {@link #encode()}'s form.
   *
   * @throws IllegalArgumentException if the data is torn, corrupt, or of another version, saying which
   */
  public static StreamProgress decode(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    int crcAt = text.lastIndexOf("crc ");
    if (crcAt < 0 || !text.endsWith("\n")) {
      throw new IllegalArgumentException("Kafka stream progress is incomplete (no checksum line)");
    }
    CRC32 crc = new CRC32();
    crc.update(text.substring(0, crcAt).getBytes(StandardCharsets.UTF_8));
    long stored;
    try {
      stored = Long.parseLong(text.substring(crcAt + 4).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Kafka stream progress has a malformed checksum line", e);
    }
    if (stored != crc.getValue()) {
      throw new IllegalArgumentException("Kafka stream progress is corrupt: checksum " + crc.getValue()
          + " does not match the stored " + stored);
    }
    String[] lines = text.substring(0, crcAt).split("\n");
    String[] head = lines[0].split(" ");
    if (head.length != 2 || !head[0].equals(MAGIC)) {
      throw new IllegalArgumentException("Not a Kafka stream progress file: " + lines[0]);
    }
    int version = Integer.parseInt(head[1]);
    if (version != VERSION) {
      throw new IllegalArgumentException("Kafka stream progress has version " + version
          + ", this build reads version " + VERSION);
    }
    TreeMap<Long, List<OffsetRange>> pending = new TreeMap<>();
    Map<TopicPartition, Long> next = new java.util.HashMap<>();
    List<OffsetRange> current = null;
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(" ");
      switch (f[0]) {
        case "batch":
          current = new ArrayList<>();
          pending.put(Long.parseLong(f[1]), current);
          break;
        case "range":
          if (current == null) {
            throw new IllegalArgumentException("Kafka stream progress has a range outside a batch: " + lines[i]);
          }
          current.add(OffsetRange.create(f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])));
          break;
        case "next":
          next.put(new TopicPartition(f[1], Integer.parseInt(f[2])), Long.parseLong(f[3]));
          break;
        default:
          throw new IllegalArgumentException("Kafka stream progress has an unknown line: " + lines[i]);
      }
    }
    return new StreamProgress(pending, next);
  }

  private static String checkTopic(String topic) {
    if (!TOPIC.matcher(topic).matches()) {
      throw new IllegalArgumentException("Not a legal Kafka topic name: '" + topic + "'");
    }
    return topic;
  }
}
