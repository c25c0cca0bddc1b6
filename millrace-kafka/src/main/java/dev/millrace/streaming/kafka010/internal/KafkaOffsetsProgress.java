package dev.millrace.streaming.kafka010.internal;

import dev.millrace.streaming.kafka010.OffsetRange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The {@code kafka-offsets} progress of a direct Kafka stream in a metadata checkpoint, as plain
 * data: per batch, the offset ranges fixed for it; for the stream, the batches whose outputs it has
 * not seen succeed. The metadata checkpoint adds the checksum and the version number.
 *
 * <p>Version 1, big-endian ({@link DataOutputStream}):
 *
 * <pre>
 * batch:  int n, then n times: UTF topic, int partition, long fromOffset, long untilOffset
 * stream: byte flags (bit 0: the context had failed when written),
 *         int n, then n times: long batch time in ms (the unfinished batches, oldest first)
 * </pre>
 *
 * <p>Stateless; all methods are thread-safe.
 */
public final class KafkaOffsetsProgress {
  /** The progress kind in the metadata checkpoint. */
  public static final String KIND = "kafka-offsets";
  /** The encoding version this build writes and reads. */
  public static final int VERSION = 1;

  private KafkaOffsetsProgress() {}

  /**
   * What the stream records besides the ranges.
   *
   * @param failed whether the context had failed (a batch's output threw) when it was written
   * @param unfinished the batches generated whose outputs the stream did not see succeed, in ms
   */
  public record StreamState(boolean failed, SortedSet<Long> unfinished) {
    public StreamState {
      unfinished = Collections.unmodifiableSortedSet(new TreeSet<>(unfinished));
    }
  }

  /** The encoding of one batch's ranges. */
  public static byte[] encodeRanges(List<OffsetRange> ranges) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + ranges.size() * 32);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(ranges.size());
      for (OffsetRange r : ranges) {
        out.writeUTF(r.topic());
        out.writeInt(r.partition());
        out.writeLong(r.fromOffset());
        out.writeLong(r.untilOffset());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads {@link #encodeRanges}' form.
   *
   * @throws IllegalArgumentException if {@code version} is not {@link #VERSION} or the data is
   *     truncated, too long, or holds an invalid range; the message says which
   */
  public static List<OffsetRange> decodeRanges(int version, byte[] data) {
    checkVersion(version);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int n = in.readInt();
      if (n < 0 || n > data.length / 20) {
        throw new IllegalArgumentException("Kafka offsets progress announces " + n + " ranges in " + data.length
            + " bytes");
      }
      List<OffsetRange> ranges = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ranges.add(OffsetRange.create(in.readUTF(), in.readInt(), in.readLong(), in.readLong()));
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException("Kafka offsets progress has " + in.available() + " bytes after its "
            + n + " ranges");
      }
      return List.copyOf(ranges);
    } catch (EOFException e) {
      throw new IllegalArgumentException("Kafka offsets progress is truncated (" + data.length + " bytes)", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("Kafka offsets progress cannot be read: " + e, e);
    }
  }

  /** The encoding of the stream-wide part. */
  public static byte[] encodeStream(boolean failed, Collection<Long> unfinished) {
    SortedSet<Long> times = new TreeSet<>(unfinished);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(5 + times.size() * 8);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(failed ? 1 : 0);
      out.writeInt(times.size());
      for (long t : times) {
        out.writeLong(t);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads {@link #encodeStream}'s form; empty data (no stream part) reads as nothing unfinished.
   *
   * @throws IllegalArgumentException if {@code version} is not {@link #VERSION} or the data is malformed
   */
  public static StreamState decodeStream(int version, byte[] data) {
    checkVersion(version);
    if (data.length == 0) {
      return new StreamState(false, new TreeSet<>());
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      int flags = in.readByte();
      int n = in.readInt();
      if (n < 0 || data.length != 5 + 8L * n) {
        throw new IllegalArgumentException("Kafka offsets stream progress of " + data.length + " bytes announces "
            + n + " batch times");
      }
      SortedSet<Long> times = new TreeSet<>();
      for (int i = 0; i < n; i++) {
        times.add(in.readLong());
      }
      return new StreamState((flags & 1) != 0, times);
    } catch (IOException e) {
      throw new IllegalArgumentException("Kafka offsets stream progress cannot be read: " + e, e);
    }
  }

  /**
   * A one-line summary: {@code "<n> record(s): topic-p [from, until), ..."}, listing the partitions
   * with records; starts with {@code "0 records"} for a batch without any.
   */
  public static String describe(List<OffsetRange> ranges) {
    long total = 0;
    StringBuilder parts = new StringBuilder();
    for (OffsetRange r : ranges) {
      total += r.count();
      if (r.count() > 0) {
        parts.append(parts.length() == 0 ? ": " : ", ").append(r.topic()).append('-').append(r.partition())
            .append(" [").append(r.fromOffset()).append(", ").append(r.untilOffset()).append(')');
      }
    }
    String head = total + (total == 1 ? " record" : " records");
    if (total == 0 && !ranges.isEmpty()) {
      OffsetRange first = ranges.get(0);
      return head + " (" + ranges.size() + " partition(s), e.g. " + first.topic() + "-" + first.partition() + " at "
          + first.untilOffset() + ")";
    }
    return head + parts;
  }

  private static void checkVersion(int version) {
    if (version != VERSION) {
      throw new IllegalArgumentException("Kafka offsets progress has version " + version + "; this build reads version "
          + VERSION);
    }
  }
}
