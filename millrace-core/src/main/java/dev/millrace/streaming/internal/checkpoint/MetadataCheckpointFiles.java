package dev.millrace.streaming.internal.checkpoint;

import dev.millrace.MillraceException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk form of metadata checkpoints: {@code <checkpointDir>/metadata/checkpoint-<seq>}, one
 * file per checkpoint, {@code seq} growing by one per write (20 digits, so names sort in order).
 *
 * <p>A file is: the magic bytes {@code MRMC}, the format version (int, now {@value
 * #FORMAT_VERSION}), the payload length (int), the payload, and the CRC-32 of everything before it
 * (long). The payload, in {@link DataOutputStream} encoding: batch interval, zero time, checkpoint
 * time, last completed time, the pending times, then per input stream its id, operation, progress
 * kind and version, stream progress bytes and per batch its time, bytes and summary; then per
 * stateful operator its id, kind and newest state time.
 *
 * <p>Each file is written to a temporary name, forced to disk, atomically renamed, and the
 * directory forced; the newest {@value #RETAINED} are kept. {@link #readLatest} takes the newest
 * file that verifies and logs each newer one it had to skip (a write torn by a crash, a corrupt
 * file).
 *
 * <p>Not thread-safe: one writer per checkpoint directory (the engine serializes its writes).
 */
public final class MetadataCheckpointFiles {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataCheckpointFiles.class);

  /** Version of the file layout; readers reject versions they do not know. */
  public static final int FORMAT_VERSION = 1;
  /** Metadata checkpoints kept. */
  public static final int RETAINED = 3;

  private static final byte[] MAGIC = "MRMC".getBytes(StandardCharsets.US_ASCII);
  private static final String PREFIX = "checkpoint-";

  private final Path dir;
  private long nextSeq = -1;

  /** A writer and reader of the metadata checkpoints under {@code checkpointDir}. */
  public MetadataCheckpointFiles(Path checkpointDir) {
    this.dir = checkpointDir.resolve("metadata");
  }

  /** The directory of the metadata checkpoint files. */
  public Path directory() {
    return dir;
  }

  /**
   * Writes {@code checkpoint} as the newest metadata checkpoint and deletes all but the newest
   * {@value #RETAINED}.
   *
   * @throws MillraceException naming the file if writing fails
   */
  public Path write(MetadataCheckpoint checkpoint) {
    byte[] bytes = encode(checkpoint);
    Path target = null;
    try {
      Files.createDirectories(dir);
      List<Path> existing = list();
      if (nextSeq < 0) {
        nextSeq = existing.isEmpty() ? 1 : seqOf(existing.get(existing.size() - 1)) + 1;
      }
      target = dir.resolve(String.format("%s%020d", PREFIX, nextSeq++));
      writeAtomically(target, bytes);
      existing.add(target);
      for (int i = 0; i < existing.size() - RETAINED; i++) {
        Files.deleteIfExists(existing.get(i));
      }
      return target;
    } catch (IOException e) {
      throw new MillraceException("Cannot write the metadata checkpoint " + (target != null ? target : dir)
          + " (batch " + checkpoint.checkpointTimeMs() + " ms): " + e, e);
    }
  }

  /** Writes {@code bytes} to {@code target}: temporary file, forced, renamed atomically, directory forced. */
  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    dev.millrace.internal.CrashPoints.reach("checkpoint.beforeRename");
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    forceDirectory(target.getParent());
  }

  private static void forceDirectory(Path directory) {
    try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open directories; the rename is still atomic there.
    }
  }

  /** The checkpoint files, oldest first. */
  public List<Path> list() throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, PREFIX + "*")) {
      for (Path p : ds) {
        if (seqOf(p) >= 0) {
          out.add(p);
        }
      }
    }
    out.sort((a, b) -> Long.compare(seqOf(a), seqOf(b)));
    return out;
  }

  private static long seqOf(Path p) {
    try {
      return Long.parseLong(p.getFileName().toString().substring(PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The newest checkpoint that verifies, or null if the directory holds none. Each newer file that
   * does not verify is skipped with a warning naming it and the reason.
   *
   * @throws MillraceException if checkpoint files exist but none verifies, or one was written in a
   *     format version this build does not read
   */
  public MetadataCheckpoint readLatest() {
    List<Path> files;
    try {
      files = list();
    } catch (IOException e) {
      throw new MillraceException("Cannot list the metadata checkpoints in " + dir + ": " + e, e);
    }
    MillraceException newest = null;
    for (int i = files.size() - 1; i >= 0; i--) {
      try {
        MetadataCheckpoint cp = read(files.get(i));
        if (newest != null) {
          LOG.warn("Using the previous metadata checkpoint {} (batch {} ms)", files.get(i), cp.checkpointTimeMs());
        }
        return cp;
      } catch (StateCheckpointFiles.UnsupportedCheckpointVersionException e) {
        throw e;
      } catch (MillraceException e) {
        LOG.warn("Skipping metadata checkpoint {}: {}", files.get(i), e.getMessage());
        if (newest == null) {
          newest = e;
        }
      }
    }
    if (newest != null) {
      throw new MillraceException("No readable metadata checkpoint in " + dir + "; the newest failed with: "
          + newest.getMessage(), newest);
    }
    return null;
  }

  /**
   * Reads one checkpoint file.
   *
   * @throws MillraceException naming the file if it is truncated, corrupt, or not a checkpoint
   */
  public static MetadataCheckpoint read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new MillraceException("Cannot read metadata checkpoint " + file + ": " + e, e);
    }
    return decode(bytes, file.toString());
  }

  // ------------------------------------------------------------ encoding

  static byte[] encode(MetadataCheckpoint cp) {
    try {
      ByteArrayOutputStream payload = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(payload);
      out.writeLong(cp.batchIntervalMs());
      out.writeLong(cp.zeroTimeMs());
      out.writeLong(cp.checkpointTimeMs());
      out.writeLong(cp.lastCompletedMs());
      out.writeInt(cp.pendingTimesMs().size());
      for (long t : cp.pendingTimesMs()) {
        out.writeLong(t);
      }
      out.writeInt(cp.inputs().size());
      for (MetadataCheckpoint.InputProgress in : cp.inputs()) {
        out.writeUTF(in.operatorId());
        out.writeUTF(in.operation());
        out.writeUTF(in.kind());
        out.writeInt(in.version());
        writeBytes(out, in.streamProgress());
        out.writeInt(in.batches().size());
        for (var e : in.batches().entrySet()) {
          out.writeLong(e.getKey());
          writeBytes(out, e.getValue());
          writeString(out, in.descriptions().getOrDefault(e.getKey(), ""));
        }
      }
      out.writeInt(cp.operators().size());
      for (MetadataCheckpoint.OperatorState op : cp.operators()) {
        out.writeUTF(op.operatorId());
        out.writeUTF(op.kind());
        out.writeLong(op.stateTimeMs());
      }
      out.flush();
      byte[] body = payload.toByteArray();
      ByteArrayOutputStream file = new ByteArrayOutputStream(body.length + 24);
      DataOutputStream f = new DataOutputStream(file);
      f.write(MAGIC);
      f.writeInt(FORMAT_VERSION);
      f.writeInt(body.length);
      f.write(body);
      f.flush();
      CRC32 crc = new CRC32();
      crc.update(file.toByteArray());
      f.writeLong(crc.getValue());
      f.flush();
      return file.toByteArray();
    } catch (IOException e) {
      throw new AssertionError("in-memory stream failed", e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  /** Strings of any length (writeUTF stops at 64 KB). */
  private static void writeString(DataOutputStream out, String s) throws IOException {
    writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
  }

  static MetadataCheckpoint decode(byte[] bytes, String where) {
    int header = MAGIC.length + 8;
    if (bytes.length < header + 8) {
      throw new MillraceException("Metadata checkpoint " + where + " is truncated (" + bytes.length + " bytes)");
    }
    if (!Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new MillraceException("Metadata checkpoint " + where + " is not a checkpoint file (bad magic bytes)");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    buf.position(MAGIC.length);
    int version = buf.getInt();
    int length = buf.getInt();
    if (length < 0 || header + (long) length + 8 != bytes.length) {
      throw new MillraceException("Metadata checkpoint " + where + " is torn: " + bytes.length
          + " bytes, expected " + (header + (long) length + 8));
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, header + length);
    if (crc.getValue() != buf.getLong(header + length)) {
      throw new MillraceException("Metadata checkpoint " + where + " is corrupt: checksum mismatch");
    }
    if (version != FORMAT_VERSION) {
      throw new StateCheckpointFiles.UnsupportedCheckpointVersionException("Metadata checkpoint " + where + " has format version "
          + version + "; this build reads version " + FORMAT_VERSION);
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, header, length))) {
      long interval = in.readLong();
      long zero = in.readLong();
      long cpTime = in.readLong();
      long lastCompleted = in.readLong();
      int n = in.readInt();
      List<Long> pending = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        pending.add(in.readLong());
      }
      n = in.readInt();
      List<MetadataCheckpoint.InputProgress> inputs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String id = in.readUTF();
        String op = in.readUTF();
        String kind = in.readUTF();
        int v = in.readInt();
        byte[] stream = readBytes(in);
        int b = in.readInt();
        SortedMap<Long, byte[]> batches = new TreeMap<>();
        SortedMap<Long, String> descriptions = new TreeMap<>();
        for (int j = 0; j < b; j++) {
          long t = in.readLong();
          batches.put(t, readBytes(in));
          descriptions.put(t, new String(readBytes(in), StandardCharsets.UTF_8));
        }
        inputs.add(new MetadataCheckpoint.InputProgress(id, op, kind, v, stream, batches, descriptions));
      }
      n = in.readInt();
      List<MetadataCheckpoint.OperatorState> ops = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ops.add(new MetadataCheckpoint.OperatorState(in.readUTF(), in.readUTF(), in.readLong()));
      }
      return new MetadataCheckpoint(interval, zero, cpTime, lastCompleted, pending, inputs, ops);
    } catch (IOException | RuntimeException e) {
      throw new MillraceException("Metadata checkpoint " + where + " cannot be decoded: " + e, e);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("bad length " + n);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }
}
