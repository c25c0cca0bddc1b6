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
    while (true) {
      if (skipLf) {
        if (pos >= lim && !fill()) {
          return null;
        }
        skipLf = false;
        if (buf[pos] == '\n') {
          pos++;
          offset++;
        }
      }
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
    }
  }
}
