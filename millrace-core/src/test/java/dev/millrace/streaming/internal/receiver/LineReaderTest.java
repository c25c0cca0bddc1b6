package dev.millrace.streaming.internal.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LineReaderTest {

  /** Hands out at most {@code chunk} bytes per read, so lines and \r\n pairs straddle reads. */
  private static InputStream chunked(byte[] bytes, int chunk) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  private static List<String> readAll(LineReader r) throws IOException {
    List<String> out = new ArrayList<>();
    String s;
    while ((s = r.readLine()) != null) {
      out.add(s);
    }
    return out;
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.strings().withChars("ab \u00e9\u20ac\n\r").ofMaxLength(300);
  }

  @Property(tries = 300)
  void splitsLinesAsBufferedReaderDoes(@ForAll("text") String text, @ForAll @IntRange(min = 1, max = 7) int chunk)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<String> expected = new ArrayList<>();
    try (BufferedReader br = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes),
        StandardCharsets.UTF_8))) {
      String s;
      while ((s = br.readLine()) != null) {
        expected.add(s);
      }
    }
    List<String> skipped = new ArrayList<>();
    LineReader r = new LineReader(chunked(bytes, chunk), Integer.MAX_VALUE / 4, (o, n) -> skipped.add(o + ":" + n));
    assertThat(readAll(r)).isEqualTo(expected);
    assertThat(skipped).isEmpty();
  }

  @Test
  void lineStart_isTheByteOffsetOfEachLine_acrossAllTerminators() throws IOException {
    byte[] bytes = "a\r\n\u00e9b\rc\n\nd".getBytes(StandardCharsets.UTF_8);
    LineReader r = new LineReader(chunked(bytes, 1), 100, (o, n) -> { });
    List<String> seen = new ArrayList<>();
    String s;
    while ((s = r.readLine()) != null) {
      seen.add(r.lineStart() + ":" + s);
    }
    assertThat(seen).containsExactly("0:a", "3:\u00e9b", "7:c", "9:", "10:d");
  }

  @Test
  void linesOverTheLimit_areSkippedAndReported_withTheirOffsetAndLength() throws IOException {
    String text = "12345\n123456\n\u20ac\u20ac\u20ac\u20ac\u20ac\n\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\nend" + "x".repeat(100);
    List<String> skipped = new ArrayList<>();
    LineReader r = new LineReader(chunked(text.getBytes(StandardCharsets.UTF_8), 3), 5,
        (o, n) -> skipped.add(o + ":" + n));
    assertThat(readAll(r)).containsExactly("12345", "\u20ac\u20ac\u20ac\u20ac\u20ac");
    assertThat(skipped).containsExactly("6:6", "29:18", "48:103");
  }

  @Test
  void aHugeLine_isSkippedWithoutBufferingIt() throws IOException {
    // One line of more than 2 GiB, generated on the fly: no Java array could hold it.
    long size = (1L << 31) + 10;
    InputStream huge = new InputStream() {
      long left = size;

      @Override
      public int read() {
        return left-- > 0 ? 'q' : (left == -1 ? '\n' : -1);
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return left-- == 0 ? lf(b, off) : -1;
        }
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(b, off, off + n, (byte) 'q');
        left -= n;
        return n;
      }

      private int lf(byte[] b, int off) {
        b[off] = '\n';
        return 1;
      }
    };
    List<String> skipped = new ArrayList<>();
    LineReader r = new LineReader(new java.io.SequenceInputStream(huge,
        new ByteArrayInputStream("after\n".getBytes(StandardCharsets.UTF_8))), 1000, (o, n) -> skipped.add(o + ":" + n));
    assertThat(readAll(r)).containsExactly("after");
    assertThat(skipped).containsExactly("0:" + size);
  }
}
