package dev.millrace.streaming.internal.checkpoint;

import com.esotericsoftware.kryo.kryo5.Kryo;
import com.esotericsoftware.kryo.kryo5.KryoException;
import com.esotericsoftware.kryo.kryo5.objenesis.strategy.StdInstantiatorStrategy;
import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.io.Output;
import com.esotericsoftware.kryo.kryo5.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.kryo5.util.DefaultInstantiatorStrategy;
import dev.millrace.MillraceException;
import dev.millrace.internal.CrashPoints;
import dev.millrace.util.Clock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of one receiver stream (Spark's {@code FileBasedWriteAheadLog}): every record
 * the receiver stores is appended here before {@code store} returns, so that what was stored
 * survives the process being killed and can be replayed on recovery.
 *
 * <p>Records are numbered from 0 in the order they were stored (the sequence number), across
 * restarts. The log is a directory of segments {@code log-<first sequence number>} (20 digits); a
 * new segment starts every rolling interval and at every open. A segment is a series of entries:
 * length of the body (int), CRC-32 of the body (int), and the body: first sequence number (long),
 * record count (int), the records (Kryo, class and object each). Entries are written with one
 * {@code write} call and not forced: a killed process loses nothing the operating system has, a
 * machine crash may lose the tail. An entry torn by a crash fails its length or checksum check and
 * ends its segment when read; it was never acknowledged, as {@code store} had not returned.
 *
 * <p>Thread-safe: all methods synchronize on the log.
 */
public final class WriteAheadLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);
  private static final String PREFIX = "log-";

  private final Path dir;
  private final Clock clock;
  private final long rollingIntervalMs;
  private final Kryo kryo = newKryo();
  private final Output buffer = new Output(4096, -1);
  private FileChannel current;
  private long currentFirstSeq = -1;
  private long currentOpenedAt;
  private long nextSeq;
  private boolean closed;
  /** Bytes of intact entries in the segment last scanned. */
  private long intactBytes;

  /**
   * Opens (or creates) the log in {@code dir} and finds where it ends.
   *
   * @throws MillraceException naming the directory if it cannot be read
   */
  public WriteAheadLog(Path dir, Clock clock, long rollingIntervalMs) {
    this.dir = dir;
    this.clock = clock;
    this.rollingIntervalMs = rollingIntervalMs;
    try {
      Files.createDirectories(dir);
      List<Path> segments = segments();
      long end = 0;
      for (Path seg : segments) {
        long first = firstSeqOf(seg);
        long segEnd = scan(seg, null, 0, Long.MAX_VALUE);
        end = Math.max(end, Math.max(first, segEnd));
        if (intactBytes < Files.size(seg)) {
          // Cut a torn tail off, so that a segment reopened under the same name continues cleanly.
          try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(intactBytes);
          }
        }
      }
      this.nextSeq = end;
    } catch (IOException e) {
      throw new MillraceException("Cannot open the write-ahead log in " + dir + ": " + e, e);
    }
  }

  private static Kryo newKryo() {
    Kryo kryo = new Kryo();
    kryo.setRegistrationRequired(false);
    kryo.setReferences(true);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null) {
      kryo.setClassLoader(context);
    }
    return kryo;
  }

  /** The directory of the log. */
  public Path directory() {
    return dir;
  }

  /**
   * The sequence number of the oldest record still in the log (the first of its oldest segment), or
   * {@link #nextSeq()} if the log holds none.
   */
  public synchronized long firstSeq() {
    try {
      List<Path> segments = segments();
      return segments.isEmpty() ? nextSeq : Math.min(nextSeq, firstSeqOf(segments.get(0)));
    } catch (IOException e) {
      throw new MillraceException("Cannot list the write-ahead log in " + dir + ": " + e, e);
    }
  }

  /** The sequence number the next record will get: one past the last record in the log. */
  public synchronized long nextSeq() {
    return nextSeq;
  }

  /**
   * Appends {@code records} as one entry and returns the sequence number of the first.
   *
   * @throws MillraceException naming the log if writing fails or a record cannot be encoded; the
   *     records were then not stored
   */
  public synchronized long append(List<?> records) {
    if (closed) {
      throw new IllegalStateException("The write-ahead log in " + dir + " is closed");
    }
    long first = nextSeq;
    try {
      buffer.reset();
      for (Object r : records) {
        kryo.writeClassAndObject(buffer, r);
      }
      int payload = buffer.position();
      ByteBuffer entry = ByteBuffer.allocate(8 + 12 + payload);
      entry.putInt(12 + payload).putInt(0).putLong(first).putInt(records.size()).put(buffer.getBuffer(), 0, payload);
      CRC32 crc = new CRC32();
      crc.update(entry.array(), 8, 12 + payload);
      entry.putInt(4, (int) crc.getValue()).flip();
      FileChannel ch = segmentFor(first);
      if (CrashPointsHolder.ON) {
        ByteBuffer half = entry.duplicate();
        half.limit(entry.limit() / 2);
        while (half.hasRemaining()) {
          ch.write(half);
        }
        CrashPoints.reach("wal.midRecord");
        entry.position(half.limit());
      }
      while (entry.hasRemaining()) {
        ch.write(entry);
      }
    } catch (IOException | KryoException e) {
      throw new MillraceException("Cannot append " + records.size() + " record(s) to the write-ahead log in " + dir
          + ": " + e, e);
    }
    nextSeq = first + records.size();
    return first;
  }

  /** Whether fault injection is configured, read once (so the normal path does one write). */
  private static final class CrashPointsHolder {
    static final boolean ON = System.getProperty("millrace.test.crashAt", "").startsWith("wal.");
  }

  private FileChannel segmentFor(long first) throws IOException {
    long now = clock.getTimeMillis();
    if (current != null && now - currentOpenedAt >= rollingIntervalMs) {
      current.close();
      current = null;
    }
    if (current == null) {
      Path seg = dir.resolve(String.format("%s%020d", PREFIX, first));
      current = FileChannel.open(seg, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
      currentFirstSeq = first;
      currentOpenedAt = now;
    }
    return current;
  }

  /** Starts a new segment at the next append. */
  public synchronized void roll() throws IOException {
    if (current != null) {
      current.close();
      current = null;
    }
  }

  /**
   * The records with sequence numbers in {@code [from, to)}, in order.
   *
   * @throws MillraceException naming the log if a record in the range is missing or unreadable
   */
  public synchronized List<Object> read(long from, long to) {
    List<Object> out = new ArrayList<>();
    if (to <= from) {
      return out;
    }
    try {
      List<Path> segments = segments();
      for (int i = 0; i < segments.size(); i++) {
        long segFirst = firstSeqOf(segments.get(i));
        long nextFirst = i + 1 < segments.size() ? firstSeqOf(segments.get(i + 1)) : Long.MAX_VALUE;
        if (nextFirst <= from || segFirst >= to) {
          continue;
        }
        scan(segments.get(i), out, from, to);
      }
    } catch (IOException e) {
      throw new MillraceException("Cannot read the write-ahead log in " + dir + ": " + e, e);
    }
    if (out.size() != to - from) {
      throw new MillraceException("The write-ahead log in " + dir + " holds " + out.size() + " of the records "
          + from + " to " + (to - 1) + "; the others were deleted or lost");
    }
    return out;
  }

  /**
   * Reads the entries of one segment, adding the records in {@code [from, to)} to {@code out} (if
   * not null), and returns one past the last sequence number of the segment's intact entries.
   */
  private long scan(Path segment, List<Object> out, long from, long to) throws IOException {
    byte[] bytes = Files.readAllBytes(segment);
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    long end = firstSeqOf(segment);
    while (buf.remaining() >= 8) {
      int length = buf.getInt();
      int crcValue = buf.getInt();
      if (length < 12 || length > buf.remaining()) {
        LOG.warn("Write-ahead log segment {} ends with a torn entry at byte {}; ignored", segment,
            buf.position() - 8);
        buf.position(buf.position() - 8);
        break;
      }
      CRC32 crc = new CRC32();
      crc.update(bytes, buf.position(), length);
      if ((int) crc.getValue() != crcValue) {
        LOG.warn("Write-ahead log segment {} has a corrupt entry at byte {}; it and the rest are ignored", segment,
            buf.position() - 8);
        buf.position(buf.position() - 8);
        break;
      }
      ByteBuffer body = ByteBuffer.wrap(bytes, buf.position(), length);
      long first = body.getLong();
      int count = body.getInt();
      if (out != null && first + count > from && first < to) {
        try (Input in = new Input(bytes, buf.position() + 12, length - 12)) {
          for (int i = 0; i < count; i++) {
            Object record = kryo.readClassAndObject(in);
            long seq = first + i;
            if (seq >= from && seq < to) {
              out.add(record);
            }
          }
        } catch (KryoException e) {
          throw new MillraceException("Cannot decode records " + first + " to " + (first + count - 1)
              + " of the write-ahead log segment " + segment + ": " + e, e);
        }
      }
      end = first + count;
      buf.position(buf.position() + length);
    }
    intactBytes = buf.position();
    return end;
  }

  /**
   * Deletes the segments all of whose records have sequence numbers below {@code seq}; never the
   * segment being appended to.
   */
  public synchronized void deleteBefore(long seq) {
    try {
      List<Path> segments = segments();
      for (int i = 0; i + 1 < segments.size(); i++) {
        long nextFirst = firstSeqOf(segments.get(i + 1));
        if (nextFirst <= seq && firstSeqOf(segments.get(i)) != currentFirstSeq) {
          Files.deleteIfExists(segments.get(i));
          LOG.debug("Deleted write-ahead log segment {}", segments.get(i));
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot delete old segments of the write-ahead log in {}: {}", dir, e.toString());
    }
  }

  /** The segment files, oldest first. */
  public synchronized List<Path> segments() throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, PREFIX + "*")) {
      for (Path p : ds) {
        if (firstSeqOf(p) >= 0) {
          out.add(p);
        }
      }
    }
    out.sort((a, b) -> Long.compare(firstSeqOf(a), firstSeqOf(b)));
    return out;
  }

  private static long firstSeqOf(Path p) {
    try {
      return Long.parseLong(p.getFileName().toString().substring(PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (current != null) {
      try {
        current.close();
      } catch (IOException e) {
        LOG.warn("Cannot close the write-ahead log in {}: {}", dir, e.toString());
      }
      current = null;
    }
  }
}
