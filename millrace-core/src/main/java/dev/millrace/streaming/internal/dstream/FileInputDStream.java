package dev.millrace.streaming.internal.dstream;

import dev.millrace.api.java.function.Function;
import dev.millrace.internal.config.ConfigKeys;
import dev.millrace.internal.rdd.EmptyRDD;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fileStream} / {@code textFileStream} / {@code binaryRecordsStream}: each batch reads the
 * files that newly appeared in a directory, with Spark's {@code FileInputDStream} rules.
 *
 * <p>At batch time T the directory is listed (not recursively). A regular file is selected when:
 * the filter accepts it (the default filter rejects names starting with {@code .}); its
 * modification time is after the ignore threshold, {@code max(start time if newFilesOnly else 0,
 * T - rememberWindow)}, and not after T; and it was not selected by an earlier batch within the
 * remember window. The remember window is {@code spark.streaming.fileStream.minRememberDuration}
 * (60 s) rounded up to whole batches. Batch T has one partition per selected file, or per byte range
 * of {@code millrace.streaming.fileStream.splitSize} (32 MB) of a larger uncompressed file, as
 * Hadoop splits files; {@code .gz} files are decompressed and never split. The partitions are read
 * when the batch runs, by whichever node computes them (a cluster runtime reads each on an
 * executor). A file that vanished or cannot be read by then,
 * or is malformed for the format, is reported (log and {@link #problems()}) and the batch goes on
 * with the other files.
 *
 * <p>Checkpoints save the files selected by each remembered batch and the ignore threshold of the
 * first start ({@link dev.millrace.streaming.internal.checkpoint.SourceProgress}); after a restart,
 * a batch re-run at its original time reads exactly the files it selected before, files selected
 * within the remember window are not selected again, and files that arrived while the program was
 * down are picked up by the batches re-run for that time, so each file is read by exactly one batch.
 *
 * <p>Files should be written elsewhere and moved into the directory atomically; a file appended to
 * after it was selected is not read again.
 */
public final class FileInputDStream<T> extends InputDStream<T>
    implements dev.millrace.streaming.internal.checkpoint.SourceProgress {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(FileInputDStream.class);
  private static final int MAX_PROBLEMS_KEPT = 1000;

  /** Spark's default filter: names starting with a dot are hidden. */
  public static final Function<Path, Boolean> DEFAULT_FILTER = p -> !p.getFileName().toString().startsWith(".");

  /**
   * Reads the records of one file, or of a byte range of an uncompressed file. Serializable: it
   * travels with the partitions to where they are read.
   */
  @FunctionalInterface
  public interface FileFormat<T> extends Serializable {
    /**
     * @param file the file's path (for messages)
     * @param in its content, decompressed if it is a {@code .gz} file
     * @param problems where to report malformed content
     */
    Iterator<T> read(Path file, InputStream in, ProblemReporter problems) throws IOException;

    /**
     * How an uncompressed file of this format may be split into byte ranges: 0 if it may not (the
     * default), else the unit the split size is rounded down to (1 for text lines, the record length
     * for fixed-length records).
     */
    default long splitUnit() {
      return 0;
    }

    /**
     * Reads the records of byte range {@code [start, end)} of an uncompressed file, by the format's
     * rule of which records belong to a range (text: the lines that start in {@code (start, end]},
     * and the line at 0 for the first range; each range reads past its end to finish its last
     * line). Called only when {@link #splitUnit()} is positive.
     *
     * @param in the file's content from byte {@code start}
     * @param end the range's end, or {@link Long#MAX_VALUE} for the last range (read to the end of the file)
     */
    default Iterator<T> readRange(Path file, InputStream in, long start, long end, ProblemReporter problems)
        throws IOException {
      throw new UnsupportedOperationException(getClass().getName() + " cannot read byte ranges");
    }
  }

  /** Takes reports of bad input while a file is read. */
  @FunctionalInterface
  public interface ProblemReporter extends Serializable {
    void report(String message);
  }

  private final Path directory;
  private final Function<Path, Boolean> filter;
  private final boolean newFilesOnly;
  private final FileFormat<T> format;
  private final Duration durationToRemember;
  private final transient NavigableMap<Time, List<Path>> batchTimeToSelectedFiles = new TreeMap<>();
  private final transient Set<Path> recentlySelectedFiles = new HashSet<>();
  private final transient List<String> problems = new CopyOnWriteArrayList<>();
  private volatile long initialModTimeIgnoreThreshold;
  private volatile boolean restored;
  private volatile Time restoredUpTo;

  public FileInputDStream(StreamingEngine ssc, String operation, String directory, Function<Path, Boolean> filter,
      boolean newFilesOnly, FileFormat<T> format) {
    super(ssc, operation);
    this.directory = Paths.get(java.util.Objects.requireNonNull(directory, "directory"));
    this.filter = java.util.Objects.requireNonNull(filter, "filter");
    this.newFilesOnly = newFilesOnly;
    this.format = java.util.Objects.requireNonNull(format, "format");
    long minRememberMs = ssc.engine().conf().get(ConfigKeys.FILE_STREAM_MIN_REMEMBER);
    long batchMs = ssc.batchDuration().milliseconds();
    long numBatchesToRemember = Math.max(1, (minRememberMs + batchMs - 1) / batchMs);
    this.durationToRemember = new Duration(batchMs * numBatchesToRemember);
    remember(durationToRemember);
  }

  /** The remember window: how old a file may be and still be new, and how long selections are kept. */
  public Duration durationToRemember() {
    return durationToRemember;
  }

  /** Reports of bad input (vanished, unreadable or malformed files) so far, oldest first; at most 1000 kept. */
  public List<String> problems() {
    return Collections.unmodifiableList(problems);
  }

  @Override
  public void start() {
    if (!restored) {
      initialModTimeIgnoreThreshold = newFilesOnly ? context().clock().getTimeMillis() : 0L;
    }
  }

  @Override
  public void stop() {}

  @Override
  protected RDD<T> compute(Time validTime) {
    List<Path> newFiles;
    synchronized (batchTimeToSelectedFiles) {
      newFiles = batchTimeToSelectedFiles.get(validTime);
    }
    if (newFiles == null) {
      Time upTo = restoredUpTo;
      // A batch that completed before the checkpoint and is not remembered any more has no files.
      newFiles = upTo != null && validTime.lessEq(upTo) ? List.of() : findNewFiles(validTime);
      synchronized (batchTimeToSelectedFiles) {
        batchTimeToSelectedFiles.put(validTime, newFiles);
        recentlySelectedFiles.addAll(newFiles);
      }
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (Path p : newFiles) {
      names.add(p.toString());
    }
    metadata.put("files", List.copyOf(names));
    metadata.put(StreamInputInfo.METADATA_KEY_DESCRIPTION, "files:\n" + String.join("\n", names));
    reportInput(validTime, 0, metadata);
    if (newFiles.isEmpty()) {
      return new EmptyRDD<>(context().engine());
    }
    String where = this + " at batch " + validTime;
    ProblemReporter reporter = message -> problem(where + ": " + message);
    long splitSize = context().engine().conf().get(ConfigKeys.FILE_STREAM_SPLIT_SIZE);
    List<FileSplitRDD.FileSplit> splits = new ArrayList<>();
    for (Path p : newFiles) {
      splits.addAll(FileSplitRDD.splitsOf(p, splitSize, format));
    }
    return new FileSplitRDD<>(context().engine(), splits, format, where, reporter);
  }

  private List<Path> findNewFiles(Time validTime) {
    long currentTime = validTime.milliseconds();
    long threshold = Math.max(initialModTimeIgnoreThreshold, currentTime - durationToRemember.milliseconds());
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory)) {
      for (Path p : dir) {
        if (isNewFile(p, currentTime, threshold)) {
          found.add(p);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      problem(this + " at batch " + validTime + ": cannot list directory " + directory + ": " + e);
      return List.of();
    }
    Collections.sort(found);
    return found;
  }

  private boolean isNewFile(Path p, long currentTime, long threshold) {
    try {
      if (!filter.call(p)) {
        return false;
      }
    } catch (Exception e) {
      throw new dev.millrace.MillraceException("The file filter of " + this + " failed on " + p + ": " + e, e);
    }
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(p, BasicFileAttributes.class);
    } catch (NoSuchFileException gone) {
      return false;
    } catch (IOException e) {
      problem(this + ": cannot read the attributes of " + p + ": " + e);
      return false;
    }
    if (!attrs.isRegularFile()) {
      return false;
    }
    long modTime = attrs.lastModifiedTime().toMillis();
    if (modTime <= threshold || modTime > currentTime) {
      return false;
    }
    synchronized (batchTimeToSelectedFiles) {
      return !recentlySelectedFiles.contains(p);
    }
  }

  private void problem(String message) {
    LOG.warn(message);
    if (problems.size() >= MAX_PROBLEMS_KEPT) {
      problems.remove(0);
    }
    problems.add(message);
  }

  @Override
  public void clearMetadata(Time time) {
    super.clearMetadata(time);
    Time oldest = time.minus(rememberDuration());
    synchronized (batchTimeToSelectedFiles) {
      NavigableMap<Time, List<Path>> old = batchTimeToSelectedFiles.headMap(oldest, false);
      for (List<Path> files : old.values()) {
        files.forEach(recentlySelectedFiles::remove);
      }
      old.clear();
    }
  }

  // ------------------------------------------------------------ checkpoint progress

  @Override
  public String progressKind() {
    return "files";
  }

  @Override
  public int progressVersion() {
    return 1;
  }

  /** Every remembered selection, so that files stay deduplicated across a restart. */
  @Override
  public List<Time> progressTimes(Time oldestNeeded) {
    synchronized (batchTimeToSelectedFiles) {
      return new ArrayList<>(batchTimeToSelectedFiles.keySet());
    }
  }

  @Override
  public byte[] encodeProgress(Time batchTime) {
    List<Path> files;
    synchronized (batchTimeToSelectedFiles) {
      files = batchTimeToSelectedFiles.getOrDefault(batchTime, List.of());
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.writeInt(files.size());
      for (Path p : files) {
        byte[] name = p.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(name.length);
        out.write(name);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public String describeProgress(Time batchTime) {
    List<Path> files;
    synchronized (batchTimeToSelectedFiles) {
      files = batchTimeToSelectedFiles.getOrDefault(batchTime, List.of());
    }
    List<String> names = new ArrayList<>();
    for (Path p : files) {
      names.add(p.getFileName().toString());
    }
    return files.size() + " file(s)" + (names.isEmpty() ? "" : ": " + String.join(", ", names));
  }

  /** The ignore threshold of the first start and the directory (to catch a checkpoint attached to another stream). */
  @Override
  public byte[] encodeStreamProgress() {
    byte[] dir = directory.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return java.nio.ByteBuffer.allocate(8 + dir.length).putLong(initialModTimeIgnoreThreshold).put(dir).array();
  }

  @Override
  public void restoreProgress(int version, byte[] streamProgress, java.util.SortedMap<Time, byte[]> batches,
      Time checkpointTime) {
    if (version != 1) {
      throw new IllegalArgumentException("The checkpointed progress of " + this + " has version " + version
          + "; this build reads version 1");
    }
    if (streamProgress.length >= 8) {
      String savedDir = new String(streamProgress, 8, streamProgress.length - 8, java.nio.charset.StandardCharsets.UTF_8);
      if (!savedDir.equals(directory.toString())) {
        throw new IllegalArgumentException("Cannot recover " + this + " (" + operatorId() + ") from the checkpoint: "
            + "the stream with that id read directory " + savedDir + ", this one reads " + directory + ". Give the "
            + "input streams names with name(String) so that their ids stay stable, or start from a fresh checkpoint "
            + "directory.");
      }
      initialModTimeIgnoreThreshold = java.nio.ByteBuffer.wrap(streamProgress).getLong();
    }
    synchronized (batchTimeToSelectedFiles) {
      for (Map.Entry<Time, byte[]> e : batches.entrySet()) {
        List<Path> files = new ArrayList<>();
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(e.getValue()))) {
          int n = in.readInt();
          for (int i = 0; i < n; i++) {
            byte[] name = new byte[in.readInt()];
            in.readFully(name);
            files.add(Paths.get(new String(name, java.nio.charset.StandardCharsets.UTF_8)));
          }
        } catch (IOException ex) {
          throw new IllegalArgumentException("The checkpointed progress of " + this + " for batch " + e.getKey()
              + " cannot be decoded: " + ex, ex);
        }
        batchTimeToSelectedFiles.put(e.getKey(), files);
        recentlySelectedFiles.addAll(files);
      }
    }
    restoredUpTo = checkpointTime;
    restored = true;
  }

  @Override
  public String toString() {
    return "stream " + id() + " (" + operation() + " " + directory + ")";
  }

  /** Opens a file, decompressing {@code .gz}. */
  static InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
    if (file.getFileName().toString().endsWith(".gz")) {
      try {
        return new GZIPInputStream(in, 64 * 1024);
      } catch (IOException e) {
        in.close();
        throw e;
      }
    }
    return in;
  }
}
