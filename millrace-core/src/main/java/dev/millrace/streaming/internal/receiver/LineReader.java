package dev.millrace.streaming.internal.receiver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads UTF-8 text lines from a stream, as {@code BufferedReader.readLine} splits them (a line ends
 * at {@code \n}, {@code \r} or {@code \r\n}; a last line without terminator counts), but with a
 * bound on memory: a line longer than {@code maxChars} characters is skipped, and reported to the
 * handler, without ever holding more than about {@code 3 * maxChars} bytes of it.
 *
 * <p>Bytes that are not valid UTF-8 become U+FFFD replacement characters; they never fail the
 * read. Not thread-safe: one reader per stream.
 */
public final class LineReader {
  /** Told about each skipped line. */
  @FunctionalInterface
  public interface OversizeHandler {
    /**
     * @param startOffset byte offset of the line in the stream
     * @param byteLength its length in bytes, without terminator
     */
    void lineTooLong(long startOffset, long byteLength);
  }

  private static final int BUFFER = 64 * 1024;

  private final InputStream in;
  private final int maxChars;
  private final long maxBytes;
  private final OversizeHandler handler;
  private final byte[] buf = new byte[BUFFER];
  private int pos;
  private int lim;
  private long offset;
  private boolean skipLf;
  private boolean eof;
  private byte[] acc = new byte[256];
  private long lineStart;

  /** @throws IllegalArgumentException if {@code maxChars} is not positive */
  public LineReader(InputStream in, int maxChars, OversizeHandler handler) {
    this(in, 0, maxChars, handler);
  }

  /**
   * A reader of {@code in}, whose first byte is at byte {@code startOffset} of the whole stream (a
   * split of a file): offsets ({@link #lineStart()}, the oversize reports) count from the whole
   * stream's start.
   *
   * @throws IllegalArgumentException if {@code maxChars} is not positive or {@code startOffset} negative
   */
  public LineReader(InputStream in, long startOffset, int maxChars, OversizeHandler handler) {
    if (startOffset < 0) {
      throw new IllegalArgumentException("startOffset must not be negative, was " + startOffset);
    }
    this.offset = startOffset;
    if (maxChars <= 0) {
      throw new IllegalArgumentException("maxLineLength must be positive, was " + maxChars);
    }
    this.in = in;
    this.maxChars = maxChars;
    // A UTF-8 line of b bytes decodes to at least b / 3 chars, so more bytes than this is too long.
    this.maxBytes = Math.min(3L * maxChars + 3, Integer.MAX_VALUE - 16);
    this.handler = handler;
  }

  /** Byte offset (from the stream's start) of the line last returned. */
  public long lineStart() {
    return lineStart;
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int n = in.read(buf, 0, buf.length);
    while (n == 0) {
      n = in.read(buf, 0, buf.length);
    }
    if (n < 0) {
      eof = true;
      return false;
    }
    pos = 0;
    lim = n;
    return true;
  }

  /** The next line, or null at the end of the stream. */
  public String readLine() throws IOException {
    return readLineStartingBy(Long.MAX_VALUE);
  }

  /**
   * The next line if it starts at or before byte {@code lastStart}, else null (and nothing is
   * consumed); null at the end of the stream. A line over the limit that starts by then is reported
   * and skipped, as by {@link #readLine()}. This is how a split of a file reads the lines that
   * start within it, the last one to its end even past the split's end.
   */
  public String readLineStartingBy(long lastStart) throws IOException {
    while (true) {
      if (nextLineStart() > lastStart) {
        return null;
      }
      String line = readOne();
      if (line != SKIPPED) {
        return line;
      }
    }
  }

  /**
   * Byte offset where the next line starts: the bytes read so far, and a {@code \n} that follows a
   * {@code \r} that ended the last line.
   */
  public long nextLineStart() throws IOException {
    if (skipLf) {
      if (pos >= lim && !fill()) {
        return offset;
      }
      skipLf = false;
      if (buf[pos] == '\n') {
        pos++;
        offset++;
      }
    }
    return offset;
  }

  /**
   * Consumes the rest of the current line and its terminator without decoding or reporting it (a
   * split that does not start at byte 0 skips the partial line it starts in, as Hadoop's line
   * reader does).
   *
   * @return false if the stream ended before a terminator
   */
  public boolean skipLine() throws IOException {
    nextLineStart();
    while (true) {
      if (pos >= lim && !fill()) {
        return false;
      }
      int i = pos;
      byte[] b = buf;
      int l = lim;
      while (i < l && b[i] != '\n' && b[i] != '\r') {
        i++;
      }
      offset += i - pos;
      pos = i;
      if (i < l) {
        if (b[i] == '\r') {
          skipLf = true;
        }
        pos++;
        offset++;
        return true;
      }
    }
  }

  /** Marks a line that was over the limit, reported and skipped. */
  private static final String SKIPPED = new String("<skipped>");

  /** The next line, {@link #SKIPPED} for a line over the limit, or null at the end of the stream. */
  private String readOne() throws IOException {
    nextLineStart();
    long start = offset;
    int len = 0;
    long total = 0;
    boolean tooLong = false;
    boolean terminated = false;
    String fast = null;
    while (true) {
      if (pos >= lim && !fill()) {
        break;
      }
      int i = pos;
      byte[] b = buf;
      int l = lim;
      while (i < l && b[i] != '\n' && b[i] != '\r') {
        i++;
      }
      int n = i - pos;
      if (!tooLong) {
        if (len == 0 && i < l && n <= maxBytes) {
          fast = new String(b, pos, n, StandardCharsets.UTF_8);
        } else if (len + (long) n <= maxBytes) {
          if (len + n > acc.length) {
            acc = Arrays.copyOf(acc, (int) Math.min(maxBytes, Math.max(len + n, 2L * acc.length)));
          }
          System.arraycopy(b, pos, acc, len, n);
          len += n;
        } else {
          tooLong = true;
          len = 0;
        }
      }
      total += n;
      offset += n;
      pos = i;
      if (i < l) {
        terminated = true;
        if (b[i] == '\r') {
          skipLf = true;
        }
        pos++;
        offset++;
        break;
      }
    }
    if (!terminated && total == 0) {
      return null;
    }
    if (!tooLong) {
      String line = fast != null ? fast : new String(acc, 0, len, StandardCharsets.UTF_8);
      if (line.length() <= maxChars) {
        lineStart = start;
        if (acc.length > 64 * 1024) {
          acc = new byte[256];
        }
        return line;
      }
    }
    if (acc.length > 64 * 1024) {
      acc = new byte[256];
    }
    handler.lineTooLong(start, total);
    return SKIPPED;
  }
}
