package dev.millrace.streaming.internal.checkpoint;

import com.esotericsoftware.kryo.kryo5.Kryo;
import com.esotericsoftware.kryo.kryo5.KryoException;
import com.esotericsoftware.kryo.kryo5.Registration;
import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.io.Output;
import com.esotericsoftware.kryo.kryo5.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.kryo5.util.DefaultClassResolver;
import com.esotericsoftware.kryo.kryo5.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.kryo5.util.Pool;
import dev.millrace.MillraceException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.zip.CRC32;
import com.esotericsoftware.kryo.kryo5.objenesis.strategy.StdInstantiatorStrategy;

/**
 * The on-disk form of state checkpoints: one file per partition and a commit marker per batch.
 *
 * <pre>
 * &lt;checkpointDir&gt;/state/&lt;operatorId&gt;/&lt;batchTimeMs&gt;/part-00000.state   one per partition
 * &lt;checkpointDir&gt;/state/&lt;operatorId&gt;/&lt;batchTimeMs&gt;/_COMMITTED          written last
 * </pre>
 *
 * <p>A partition file is, in order: the magic bytes {@code MRST}, the format version (int, now
 * {@value #FORMAT_VERSION}), then with Kryo: operator id, kind, batch time, partition index,
 * partition count; each entry as {@code true}, key, state (class and object, so any user type
 * Kryo can handle), update time; then {@code false} and the entry count; and finally the CRC-32 of
 * all bytes before it (8 bytes, big-endian). Records are data: no object graph of the engine, no closures.
 *
 * <p>Every file is written under a temporary name, flushed to disk, then atomically renamed, and the
 * commit marker (a properties file naming the format version, kind and partition count) is renamed
 * into place only after every partition file. A reader uses the newest committed batch whose files
 * all verify; a torn or corrupt newer one is skipped in favour of the previous one. The newest
 * {@value #RETAINED} committed batches of each operator are kept, older ones deleted.
 *
 * <p>Thread-safe: partitions may be written concurrently by different tasks.
 */
public final class StateCheckpointFiles {
  /** Version of the partition file layout; readers reject versions they do not know. */
  public static final int FORMAT_VERSION = 1;
  /** Committed checkpoints kept per operator. */
  public static final int RETAINED = 2;

  private static final byte[] MAGIC = "MRST".getBytes(StandardCharsets.US_ASCII);
  private static final String COMMITTED = "_COMMITTED";

  private static final Pool<Kryo> KRYO = new Pool<>(true, false, 16) {
    @Override
    protected Kryo create() {
      Kryo kryo = new Kryo(new RecentClassResolver(), null);
      kryo.setRegistrationRequired(false);
      kryo.setReferences(true);
      kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
      ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
      return kryo;
    }
  };

  private StateCheckpointFiles() {}

  /**
   * Kryo's class resolver, remembering the registrations of the last two classes looked up. A
   * partition file alternates key and state classes, and looking each up in Kryo's map took 10–18%
   * of the samples of a state checkpoint; the bytes written are the same.
   */
  private static final class RecentClassResolver extends DefaultClassResolver {
    private Class<?> type0;
    private Class<?> type1;
    private Registration registration0;
    private Registration registration1;

    @Override
    @SuppressWarnings("rawtypes")
    public Registration getRegistration(Class type) {
      if (type == type0) {
        return registration0;
      }
      if (type == type1) {
        return registration1;
      }
      Registration found = super.getRegistration(type);
      if (found != null) {
        type1 = type0;
        registration1 = registration0;
        type0 = type;
        registration0 = found;
      }
      return found;
    }

    @Override
    public Registration register(Registration registration) {
      forget();
      return super.register(registration);
    }

    @Override
    public Registration unregister(int classId) {
      forget();
      return super.unregister(classId);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Registration registerImplicit(Class type) {
      forget();
      return super.registerImplicit(type);
    }

    private void forget() {
      type0 = null;
      type1 = null;
      registration0 = null;
      registration1 = null;
    }
  }

  /** The directory of one operator's checkpoints. */
  public static Path operatorDir(Path checkpointDir, String operatorId) {
    return checkpointDir.resolve("state").resolve(operatorId);
  }

  private static String partName(int partition) {
    return String.format("part-%05d.state", partition);
  }

  /**
   * Writes one partition's entries.
   *
   * @throws MillraceException naming the operator, batch and file, if writing fails or a key or
   *     state cannot be encoded
   */
  public static void writePartition(Path checkpointDir, String operatorId, String kind, long batchTime,
      int partition, int numPartitions, Iterator<StateEntry> entries) {
    Path dir = operatorDir(checkpointDir, operatorId).resolve(Long.toString(batchTime));
    Path target = dir.resolve(partName(partition));
    Kryo kryo = KRYO.obtain();
    try {
      Files.createDirectories(dir);
      CrcOutputStream crcOut = new CrcOutputStream();
      Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        crcOut.channel = ch;
        try (Output out = new Output(crcOut, 1 << 16)) {
          out.writeBytes(MAGIC);
          out.writeInt(FORMAT_VERSION);
          out.writeString(operatorId);
          out.writeString(kind);
          out.writeLong(batchTime);
          out.writeVarInt(partition, true);
          out.writeVarInt(numPartitions, true);
          long count = 0;
          while (entries.hasNext()) {
            StateEntry e = entries.next();
            out.writeBoolean(true);
            kryo.writeClassAndObject(out, e.key());
            kryo.writeClassAndObject(out, e.state());
            out.writeLong(e.updateTime());
            count++;
          }
          out.writeBoolean(false);
          out.writeVarLong(count, true);
          out.flush();
          long crc = crcOut.crc.getValue();
          crcOut.crcEnabled = false;
          out.writeBytes(ByteBuffer.allocate(8).putLong(crc).array());
          out.flush();
        }
        ch.force(true);
      }
      moveAtomically(tmp, target);
    } catch (IOException | KryoException e) {
      throw new MillraceException("Cannot write the state checkpoint of operator " + operatorId + " (" + kind
          + ") at batch " + batchTime + " ms to " + target + ": " + e, e);
    } finally {
      KRYO.free(kryo);
    }
  }

  /**
   * Marks batch {@code batchTime} of an operator complete, after all its partitions were written,
   * and deletes the operator's checkpoints older than the newest {@value #RETAINED}.
   */
  public static void commit(Path checkpointDir, String operatorId, String kind, long batchTime, int numPartitions) {
    Path opDir = operatorDir(checkpointDir, operatorId);
    Path dir = opDir.resolve(Long.toString(batchTime));
    try {
      Files.createDirectories(dir);
      for (int p = 0; p < numPartitions; p++) {
        if (!Files.exists(dir.resolve(partName(p)))) {
          throw new MillraceException("State checkpoint of operator " + operatorId + " at batch " + batchTime
              + " ms is missing " + partName(p));
        }
      }
      Properties props = new Properties();
      props.setProperty("format", Integer.toString(FORMAT_VERSION));
      props.setProperty("operator", operatorId);
      props.setProperty("kind", kind);
      props.setProperty("batchTime", Long.toString(batchTime));
      props.setProperty("partitions", Integer.toString(numPartitions));
      Path tmp = dir.resolve("." + COMMITTED + ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        java.io.StringWriter w = new java.io.StringWriter();
        props.store(w, "Millrace state checkpoint");
        ch.write(ByteBuffer.wrap(w.toString().getBytes(StandardCharsets.ISO_8859_1)));
        ch.force(true);
      }
      moveAtomically(tmp, dir.resolve(COMMITTED));
      List<Long> committed = committedTimes(opDir);
      for (int i = 0; i < committed.size() - RETAINED; i++) {
        deleteRecursively(opDir.resolve(Long.toString(committed.get(i))));
      }
      // Uncommitted directories older than the newest commit are torn writes: remove them too.
      long newest = committed.isEmpty() ? Long.MIN_VALUE : committed.get(committed.size() - 1);
      for (long t : allTimes(opDir)) {
        if (t < newest && !committed.contains(t)) {
          deleteRecursively(opDir.resolve(Long.toString(t)));
        }
      }
    } catch (IOException e) {
      throw new MillraceException("Cannot commit the state checkpoint of operator " + operatorId + " at batch "
          + batchTime + " ms in " + dir + ": " + e, e);
    }
  }

  /** The batch times with a commit marker, oldest first. */
  public static List<Long> committedTimes(Path operatorDir) throws IOException {
    List<Long> out = new ArrayList<>();
    for (long t : allTimes(operatorDir)) {
      if (Files.exists(operatorDir.resolve(Long.toString(t)).resolve(COMMITTED))) {
        out.add(t);
      }
    }
    return out;
  }

  private static List<Long> allTimes(Path operatorDir) throws IOException {
    List<Long> out = new ArrayList<>();
    if (!Files.isDirectory(operatorDir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(operatorDir)) {
      for (Path p : ds) {
        try {
          out.add(Long.parseLong(p.getFileName().toString()));
        } catch (NumberFormatException e) {
          // not a checkpoint directory
        }
      }
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /**
   * The newest committed checkpoint of an operator whose files all verify, or null if there is
   * none. A newer checkpoint that fails to verify (torn write, corruption) is skipped with the
   * previous one used, as long as one verifies.
   *
   * @throws MillraceException naming the operator if checkpoints exist but none can be read, or if
   *     one was written in a format version this build does not know
   */
  public static StateCheckpoint readLatest(Path checkpointDir, String operatorId) {
    Path opDir = operatorDir(checkpointDir, operatorId);
    List<Long> times;
    try {
      times = committedTimes(opDir);
    } catch (IOException e) {
      throw new MillraceException("Cannot list state checkpoints of operator " + operatorId + " in " + opDir, e);
    }
    MillraceException last = null;
    for (int i = times.size() - 1; i >= 0; i--) {
      try {
        return read(checkpointDir, operatorId, times.get(i));
      } catch (UnsupportedCheckpointVersionException e) {
        throw e;
      } catch (MillraceException e) {
        last = e;
      }
    }
    if (last != null) {
      throw new MillraceException("No readable state checkpoint of operator " + operatorId + " in " + opDir
          + "; the newest failed with: " + last.getMessage(), last);
    }
    return null;
  }

  /**
   * Reads one committed checkpoint of an operator.
   *
   * @throws MillraceException naming the operator, batch and file if it is missing, torn or corrupt
   */
  public static StateCheckpoint read(Path checkpointDir, String operatorId, long batchTime) {
    Path dir = operatorDir(checkpointDir, operatorId).resolve(Long.toString(batchTime));
    Properties props = new Properties();
    try (java.io.Reader r = Files.newBufferedReader(dir.resolve(COMMITTED), StandardCharsets.ISO_8859_1)) {
      props.load(r);
    } catch (NoSuchFileException e) {
      throw new MillraceException("State checkpoint of operator " + operatorId + " at batch " + batchTime
          + " ms was not committed (" + dir + ")", e);
    } catch (IOException e) {
      throw new MillraceException("Cannot read " + dir.resolve(COMMITTED) + ": " + e, e);
    }
    int version = Integer.parseInt(props.getProperty("format", "0"));
    if (version != FORMAT_VERSION) {
      throw new UnsupportedCheckpointVersionException("State checkpoint of operator " + operatorId + " at "
          + dir + " has format version " + version + "; this build reads version " + FORMAT_VERSION);
    }
    String kind = props.getProperty("kind");
    int numPartitions = Integer.parseInt(props.getProperty("partitions"));
    List<List<StateEntry>> partitions = new ArrayList<>(numPartitions);
    for (int p = 0; p < numPartitions; p++) {
      partitions.add(readPartition(dir.resolve(partName(p)), operatorId, kind, batchTime, p, numPartitions));
    }
    return new StateCheckpoint(operatorId, kind, batchTime, partitions);
  }

  private static List<StateEntry> readPartition(Path file, String operatorId, String kind, long batchTime,
      int partition, int numPartitions) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new MillraceException("Cannot read state checkpoint file " + file + " of operator " + operatorId, e);
    }
    String where = "State checkpoint file " + file + " of operator " + operatorId + " (batch " + batchTime + " ms)";
    if (bytes.length < MAGIC.length + 4 + 8) {
      throw new MillraceException(where + " is truncated (" + bytes.length + " bytes)");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    long stored = ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
    if (crc.getValue() != stored) {
      throw new MillraceException(where + " is corrupt or torn: checksum mismatch");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw new MillraceException(where + " is not a state checkpoint file (bad magic bytes)");
      }
    }
    Kryo kryo = KRYO.obtain();
    ClassLoader previous = kryo.getClassLoader();
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null) {
      kryo.setClassLoader(context);
    }
    try (Input in = new Input(bytes, 0, bytes.length - 8)) {
      in.skip(MAGIC.length);
      int version = in.readInt();
      if (version != FORMAT_VERSION) {
        throw new UnsupportedCheckpointVersionException(where + " has format version " + version
            + "; this build reads version " + FORMAT_VERSION);
      }
      String op = in.readString();
      String k = in.readString();
      long t = in.readLong();
      int p = in.readVarInt(true);
      int n = in.readVarInt(true);
      if (!op.equals(operatorId) || !k.equals(kind) || t != batchTime || p != partition || n != numPartitions) {
        throw new MillraceException(where + " does not match its place: it holds operator " + op + " (" + k
            + "), batch " + t + " ms, partition " + p + " of " + n);
      }
      List<StateEntry> entries = new ArrayList<>();
      while (in.readBoolean()) {
        Object key = kryo.readClassAndObject(in);
        Object state = kryo.readClassAndObject(in);
        entries.add(new StateEntry(key, state, in.readLong()));
      }
      long count = in.readVarLong(true);
      if (count != entries.size()) {
        throw new MillraceException(where + " says it holds " + count + " entries but has " + entries.size());
      }
      return entries;
    } catch (KryoException e) {
      throw new MillraceException(where + " cannot be decoded (a key or state class changed or is missing?): "
          + e.getMessage(), e);
    } finally {
      kryo.setClassLoader(previous);
      KRYO.free(kryo);
    }
  }

  /** A checkpoint written in a format version this build cannot read; never skipped silently. */
  public static final class UnsupportedCheckpointVersionException extends MillraceException {
    private static final long serialVersionUID = 1L;

    UnsupportedCheckpointVersionException(String message) {
      super(message);
    }
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("The file system of " + to + " cannot rename atomically", e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      List<Path> all = new ArrayList<>();
      walk.forEach(all::add);
      all.sort(Comparator.reverseOrder());
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Writes to a file channel while computing the CRC-32 of what it writes. */
  private static final class CrcOutputStream extends OutputStream {
    final CRC32 crc = new CRC32();
    FileChannel channel;
    boolean crcEnabled = true;

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (crcEnabled) {
        crc.update(b, off, len);
      }
      ByteBuffer buf = ByteBuffer.wrap(b, off, len);
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
    }
  }
}
