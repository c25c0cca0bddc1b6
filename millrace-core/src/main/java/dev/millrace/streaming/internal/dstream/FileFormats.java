package dev.millrace.streaming.internal.dstream;

import dev.millrace.Tuple2;
import dev.millrace.internal.config.ConfigKeys;
import dev.millrace.streaming.internal.dstream.FileInputDStream.FileFormat;
import dev.millrace.streaming.internal.dstream.FileInputDStream.ProblemReporter;
import dev.millrace.streaming.internal.receiver.LineReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** The record formats of the directory streams. Immutable and serializable. */
public final class FileFormats {
  private FileFormats() {}

  /**
   * UTF-8 text lines keyed by the byte offset where each line starts (in the decompressed content),
   * as Hadoop's {@code TextInputFormat} gives them. Lines longer than {@code maxChars} characters
   * are reported and skipped. Uncompressed files split at any byte: a range holds the lines that
   * start in it (see {@link FileFormat#readRange}), as Hadoop's {@code LineRecordReader} reads them.
   */
  public static FileFormat<Tuple2<Long, String>> textLines(int maxChars) {
    return new TextLines(maxChars);
  }

  /**
   * Fixed-length records of {@code recordLength} bytes. A file whose length is not a multiple of it
   * gives its whole records, and the trailing bytes are reported with the file's name. Uncompressed
   * files split on record boundaries.
   *
   * @throws IllegalArgumentException if {@code recordLength} is not positive
   */
  public static FileFormat<byte[]> fixedLengthRecords(int recordLength) {
    if (recordLength <= 0) {
      throw new IllegalArgumentException("recordLength must be positive, was " + recordLength);
    }
    return new FixedLengthRecords(recordLength);
  }

  private static final class TextLines implements FileFormat<Tuple2<Long, String>> {
    private static final long serialVersionUID = 1L;
    private final int maxChars;

    TextLines(int maxChars) {
      this.maxChars = maxChars;
    }

    @Override
    public Iterator<Tuple2<Long, String>> read(Path file, InputStream in, ProblemReporter problems)
        throws IOException {
      return readRange(file, in, 0, Long.MAX_VALUE, problems);
    }

    @Override
    public long splitUnit() {
      return 1;
    }

    /**
     * A range that does not start at 0 first skips the (partial) line it starts in, through its
     * terminator: that line belongs to the previous range, which reads every line starting at or
     * before its end, to the line's end. So each line is read by exactly one range, whatever bytes
     * ({@code \r}, {@code \n}, the middle of a {@code \r\n}) the boundaries fall on.
     */
    @Override
    public Iterator<Tuple2<Long, String>> readRange(Path file, InputStream in, long start, long end,
        ProblemReporter problems) throws IOException {
      LineReader reader = new LineReader(in, start, maxChars, (offset, bytes) -> problems.report("skipped a line of "
          + bytes + " bytes at byte " + offset + " of file " + file + ", longer than "
          + ConfigKeys.MAX_LINE_LENGTH.name() + " = " + maxChars + " characters"));
      if (start != 0 && !reader.skipLine()) {
        return java.util.Collections.emptyIterator();
      }
      return new Iterator<>() {
        private String next;
        private boolean done;

        @Override
        public boolean hasNext() {
          if (next == null && !done) {
            try {
              next = reader.readLineStartingBy(end);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            done = next == null;
          }
          return next != null;
        }

        @Override
        public Tuple2<Long, String> next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          String line = next;
          next = null;
          return new Tuple2<>(reader.lineStart(), line);
        }
      };
    }
  }

  private static final class FixedLengthRecords implements FileFormat<byte[]> {
    private static final long serialVersionUID = 1L;
    private final int recordLength;

    FixedLengthRecords(int recordLength) {
      this.recordLength = recordLength;
    }

    @Override
    public Iterator<byte[]> read(Path file, InputStream in, ProblemReporter problems) {
      return readRange(file, in, 0, Long.MAX_VALUE, problems);
    }

    @Override
    public long splitUnit() {
      return recordLength;
    }

    /** Ranges start on record boundaries; only the last one can end in a partial record. */
    @Override
    public Iterator<byte[]> readRange(Path file, InputStream in, long start, long end, ProblemReporter problems) {
      return new Iterator<>() {
        private byte[] next;
        private boolean done;
        private long position = start;

        @Override
        public boolean hasNext() {
          if (next == null && !done) {
            if (position >= end) {
              done = true;
              return false;
            }
            try {
              byte[] b = in.readNBytes(recordLength);
              position += b.length;
              if (b.length == recordLength) {
                next = b;
              } else {
                done = true;
                if (b.length > 0) {
                  problems.report("file " + file + " has " + position + " bytes, not a multiple of the record length "
                      + recordLength + "; its last " + b.length + " bytes were skipped");
                }
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
          return next != null;
        }

        @Override
        public byte[] next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          byte[] b = next;
          next = null;
          return b;
        }
      };
    }
  }
}
