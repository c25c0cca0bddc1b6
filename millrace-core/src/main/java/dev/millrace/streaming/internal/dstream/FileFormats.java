package dev.millrace.streaming.internal.dstream;

import dev.millrace.Tuple2;
import dev.millrace.internal.config.ConfigKeys;
import dev.millrace.streaming.internal.receiver.LineReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** The record formats of the directory streams. */
public final class FileFormats {
  private FileFormats() {}

  /**
   * UTF-8 text lines keyed by the byte offset where each line starts (in the decompressed content),
   * as Hadoop's {@code TextInputFormat} gives them. Lines longer than {@code maxChars} characters
   * are reported and skipped.
   */
  public static FileInputDStream.FileFormat<Tuple2<Long, String>> textLines(int maxChars) {
    return (file, in, problems) -> {
      LineReader reader = new LineReader(in, maxChars, (offset, bytes) -> problems.report("skipped a line of "
          + bytes + " bytes at byte " + offset + " of file " + file + ", longer than "
          + ConfigKeys.MAX_LINE_LENGTH.name() + " = " + maxChars + " characters"));
      Iterator<String> lines = SocketInputDStream.lines(reader);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return lines.hasNext();
        }

        @Override
        public Tuple2<Long, String> next() {
          String line = lines.next();
          return new Tuple2<>(reader.lineStart(), line);
        }
      };
    };
  }

  /**
   * Fixed-length records of {@code recordLength} bytes. A file whose length is not a multiple of it
   * gives its whole records, and the trailing bytes are reported with the file's name.
   *
   * @throws IllegalArgumentException if {@code recordLength} is not positive
   */
  public static FileInputDStream.FileFormat<byte[]> fixedLengthRecords(int recordLength) {
    if (recordLength <= 0) {
      throw new IllegalArgumentException("recordLength must be positive, was " + recordLength);
    }
    return (file, in, problems) -> new Iterator<>() {
      private byte[] next;
      private boolean done;
      private long bytesRead;

      @Override
      public boolean hasNext() {
        if (next == null && !done) {
          try {
            byte[] b = in.readNBytes(recordLength);
            bytesRead += b.length;
            if (b.length == recordLength) {
              next = b;
            } else {
              done = true;
              if (b.length > 0) {
                problems.report("file " + file + " has " + bytesRead + " bytes, not a multiple of the record length "
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
