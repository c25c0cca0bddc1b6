package dev.millrace.streaming.internal.dstream;

import dev.millrace.internal.EngineContext;
import dev.millrace.internal.rdd.ComputesAnywhere;
import dev.millrace.internal.rdd.Dependency;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.internal.dstream.FileInputDStream.FileFormat;
import dev.millrace.streaming.internal.dstream.FileInputDStream.ProblemReporter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch of a directory stream: one partition per {@link FileSplit} (a whole file, or a byte
 * range of a large uncompressed one), each read from its path when computed. A file that cannot be
 * read, or is malformed for the format, is reported and gives the records read up to the problem.
 *
 * <p>The dataset {@link ComputesAnywhere}: its splits and format are serializable, so a cluster
 * runtime reads each split on an executor (the directory must then be on a file system all nodes
 * share). Reports made there come back to the driver through {@link #remoteReports}; a split read
 * on the driver reports directly. Partitions may be computed from several threads at once.
 */
final class FileSplitRDD<T> extends RDD<T> implements ComputesAnywhere {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(FileSplitRDD.class);

  /**
   * A split is made only while the bytes left exceed the split size by more than this factor
   * (Hadoop's {@code SPLIT_SLOP}), so a file slightly over the size stays whole.
   */
  static final double SPLIT_SLOP = 1.1;

  /**
   * A part of one file to read: bytes {@code [start, end)}, or the whole file when not {@code
   * ranged} (compressed files, formats that cannot be split). {@code end} is -1 for the last range
   * of a file, which is read to the end of the file as it is when read.
   */
  record FileSplit(String path, long start, long end, boolean ranged) implements Serializable {
    FileSplit {
      java.util.Objects.requireNonNull(path, "path");
      if (start < 0 || end != -1 && end < start) {
        throw new IllegalArgumentException("bad split [" + start + ", " + end + ") of " + path);
      }
    }

    /** The whole of {@code file}. */
    static FileSplit whole(Path file) {
      return new FileSplit(file.toString(), 0, -1, false);
    }

    @Override
    public String toString() {
      return ranged ? path + " [" + start + ", " + (end < 0 ? "end" : Long.toString(end)) + ")" : path;
    }
  }

  private final List<FileSplit> splits;
  private final FileFormat<T> format;
  private final String where;
  private final transient ProblemReporter driverReporter;

  /**
   * @param where names the stream and batch, e.g. {@code stream 2 (textFileStream /in) at batch
   *     1000 ms}; prefixes what the executors log
   * @param driverReporter takes reports on the driver (it prefixes {@code where} itself)
   */
  FileSplitRDD(EngineContext context, List<FileSplit> splits, FileFormat<T> format, String where,
      ProblemReporter driverReporter) {
    super(context, "files");
    this.splits = List.copyOf(splits);
    this.format = format;
    this.where = where;
    this.driverReporter = driverReporter;
  }

  /**
   * The splits of {@code file} for a split size of {@code splitSize} bytes, as Hadoop's {@code
   * FileInputFormat} makes them: the size rounded down to the format's split unit (at least one
   * unit); ranges of that size while more than {@link #SPLIT_SLOP} times it is left, then the rest.
   * An empty file, a {@code .gz} file, a format that cannot be split, or a file whose size cannot be
   * read (it will be reported when read) is one whole split.
   */
  static List<FileSplit> splitsOf(Path file, long splitSize, FileFormat<?> format) {
    long unit = format.splitUnit();
    if (unit <= 0 || file.getFileName().toString().endsWith(".gz")) {
      return List.of(FileSplit.whole(file));
    }
    long length;
    try {
      length = Files.size(file);
    } catch (IOException e) {
      return List.of(FileSplit.whole(file));
    }
    return splitsOf(file.toString(), length, splitSize, unit);
  }

  /** {@link #splitsOf(Path, long, FileFormat)} for a splittable file of {@code length} bytes. */
  static List<FileSplit> splitsOf(String file, long length, long splitSize, long unit) {
    if (length == 0) {
      return List.of(new FileSplit(file, 0, -1, true));
    }
    long size = Math.max(unit, splitSize / unit * unit);
    List<FileSplit> out = new ArrayList<>();
    long remaining = length;
    while ((double) remaining / size > SPLIT_SLOP) {
      long start = length - remaining;
      out.add(new FileSplit(file, start, start + size, true));
      remaining -= size;
    }
    out.add(new FileSplit(file, length - remaining, -1, true));
    return out;
  }

  /** The splits, partition by partition. */
  List<FileSplit> splits() {
    return splits;
  }

  @Override
  public int numPartitions() {
    return splits.size();
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of();
  }

  @Override
  protected Iterator<T> compute(int partition) {
    ProblemReporter r = driverReporter != null ? driverReporter : message -> LOG.warn("{}: {}", where, message);
    return read(splits.get(partition), format, r, false);
  }

  @Override
  public Iterator<?> computeRemotely(int partition, Consumer<String> reports) {
    return read(splits.get(partition), format, message -> {
      LOG.warn("{}: {}", where, message);
      reports.accept(message);
    }, true);
  }

  @Override
  public void remoteReports(List<String> reports) {
    if (driverReporter != null) {
      reports.forEach(driverReporter::report);
    }
  }

  /**
   * The records of one split; problems go to {@code reporter} and end the split's records.
   *
   * @param remote whether the split is read away from the driver (a missing file then may be on a
   *     file system this node does not share, which the report says)
   */
  static <T> Iterator<T> read(FileSplit split, FileFormat<T> format, ProblemReporter reporter, boolean remote) {
    Path file = Paths.get(split.path());
    InputStream in;
    try {
      in = split.ranged() ? openAt(file, split.start()) : FileInputDStream.open(file);
    } catch (NoSuchFileException e) {
      reporter.report("file " + file + " vanished between listing and reading" + (remote
          ? " (or the directory is not on a file system that this executor shares with the driver)" : "")
          + "; skipped");
      return Collections.emptyIterator();
    } catch (IOException e) {
      reporter.report("cannot read file " + file + " (" + e + "); skipped");
      return Collections.emptyIterator();
    }
    Iterator<T> records;
    try {
      records = split.ranged()
          ? format.readRange(file, in, split.start(), split.end() < 0 ? Long.MAX_VALUE : split.end(), reporter)
          : format.read(file, in, reporter);
    } catch (IOException | UncheckedIOException e) {
      closeQuietly(in);
      reporter.report("cannot read file " + file + " (" + e + "); skipped");
      return Collections.emptyIterator();
    }
    return new Guarded<>(file, in, records, reporter);
  }

  /** The content of {@code file} from byte {@code start}. */
  private static InputStream openAt(Path file, long start) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      ch.position(start);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    return new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024);
  }

  static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // nothing more to do
    }
  }

  /** Ends a split's records at a read error (reporting it) and closes the file at the end. */
  private static final class Guarded<T> implements Iterator<T> {
    private final Path file;
    private final InputStream in;
    private final Iterator<T> records;
    private final ProblemReporter reporter;
    private boolean done;

    Guarded(Path file, InputStream in, Iterator<T> records, ProblemReporter reporter) {
      this.file = file;
      this.in = in;
      this.records = records;
      this.reporter = reporter;
    }

    @Override
    public boolean hasNext() {
      if (done) {
        return false;
      }
      try {
        if (records.hasNext()) {
          return true;
        }
      } catch (UncheckedIOException e) {
        reporter.report("error reading file " + file + " (" + e.getCause() + "); the records after it were skipped");
      }
      done = true;
      closeQuietly(in);
      return false;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return records.next();
    }
  }
}
