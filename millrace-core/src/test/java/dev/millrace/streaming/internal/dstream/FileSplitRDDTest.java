package dev.millrace.streaming.internal.dstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.Tuple2;
import dev.millrace.streaming.internal.dstream.FileInputDStream.FileFormat;
import dev.millrace.streaming.internal.dstream.FileSplitRDD.FileSplit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.Chars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How directory streams cut files into partitions (Hadoop's split sizes) and which records each
 * split reads (Hadoop's line record reader: a split starts after the first line break past its
 * start unless at 0, and reads past its end to finish its last line).
 */
class FileSplitRDDTest {
  private static final FileFormat<Tuple2<Long, String>> TEXT = FileFormats.textLines(1 << 20);

  @TempDir Path tmp;

  private static List<long[]> bounds(List<FileSplit> splits) {
    List<long[]> out = new ArrayList<>();
    for (FileSplit s : splits) {
      out.add(new long[] {s.start(), s.end()});
    }
    return out;
  }

  @Test
  void splitSizes_followHadoop_aRestOfUpTo1point1TimesTheSizeStaysInTheLastSplit() {
    assertThat(bounds(FileSplitRDD.splitsOf("f", 11, 10, 1))).containsExactly(new long[] {0, -1});
    assertThat(bounds(FileSplitRDD.splitsOf("f", 12, 10, 1))).containsExactly(new long[] {0, 10}, new long[] {10, -1});
    List<FileSplit> s = FileSplitRDD.splitsOf("f", 105, 10, 1);
    assertThat(s).hasSize(11);
    assertThat(bounds(s).get(9)).containsExactly(90, 100);
    assertThat(bounds(s).get(10)).containsExactly(100, -1);
    assertThat(s).allMatch(FileSplit::ranged);
  }

  @Test
  void binarySplits_areRoundedDownToWholeRecords() {
    // 10 bytes of split size and records of 4: splits of 8 bytes; the last 6 stay together (6 / 8 < 1.1).
    assertThat(bounds(FileSplitRDD.splitsOf("f", 30, 10, 4)))
        .containsExactly(new long[] {0, 8}, new long[] {8, 16}, new long[] {16, 24}, new long[] {24, -1});
    // A split size below one record: one record per split.
    assertThat(bounds(FileSplitRDD.splitsOf("f", 12, 1, 4)))
        .containsExactly(new long[] {0, 4}, new long[] {4, 8}, new long[] {8, -1});
  }

  @Test
  void anEmptyFile_isOneSplitWithoutRecords() throws IOException {
    Path f = Files.write(tmp.resolve("empty.txt"), new byte[0]);
    List<FileSplit> splits = FileSplitRDD.splitsOf(f, 4, TEXT);
    assertThat(splits).hasSize(1);
    assertThat(readAll(splits, TEXT, new ArrayList<>())).isEmpty();
  }

  @Test
  void gzipFiles_andUnsplittableFormats_areNeverSplit() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write("one\ntwo\nthree\n".repeat(100).getBytes(StandardCharsets.UTF_8));
    }
    Path gz = Files.write(tmp.resolve("a.txt.gz"), bytes.toByteArray());
    List<FileSplit> splits = FileSplitRDD.splitsOf(gz, 8, TEXT);
    assertThat(splits).singleElement().matches(s -> !s.ranged());
    List<Tuple2<Long, String>> lines = readAll(splits, TEXT, new ArrayList<>());
    assertThat(lines).hasSize(300);
    assertThat(lines.get(2)).isEqualTo(new Tuple2<>(8L, "three"));

    Path plain = Files.writeString(tmp.resolve("b.txt"), "x\n".repeat(100));
    FileFormat<String> wholeOnly = (file, in, problems) -> List.of(file.getFileName().toString()).iterator();
    assertThat(FileSplitRDD.splitsOf(plain, 8, wholeOnly)).singleElement().matches(s -> !s.ranged());
  }

  @Test
  void aLineAcrossASplitBoundary_isReadOnce_byTheSplitWhereItStarts() throws IOException {
    // Boundaries every 5 bytes: 0..4 "ab\ncd", 5.. "efgh\n"...: "cdefgh" starts in the first split.
    Path f = Files.writeString(tmp.resolve("a.txt"), "ab\ncdefgh\nij\n\nklmnopqrstu\nv");
    List<FileSplit> splits = FileSplitRDD.splitsOf(f, 5, TEXT);
    assertThat(splits.size()).isGreaterThan(3);
    List<List<Tuple2<Long, String>>> perSplit = new ArrayList<>();
    for (FileSplit s : splits) {
      List<Tuple2<Long, String>> l = new ArrayList<>();
      FileSplitRDD.read(s, TEXT, m -> { throw new AssertionError(m); }, false).forEachRemaining(l::add);
      perSplit.add(l);
    }
    assertThat(perSplit.get(0)).containsExactly(new Tuple2<>(0L, "ab"), new Tuple2<>(3L, "cdefgh"));
    // [5, 10): the line starting at 10 ("ij") starts at the split's end, so this split reads it.
    assertThat(perSplit.get(1)).containsExactly(new Tuple2<>(10L, "ij"));
    // [10, 15): skips the rest of "ij\n", reads "" at 13 and "klmnopqrstu" at 14.
    assertThat(perSplit.get(2)).containsExactly(new Tuple2<>(13L, ""), new Tuple2<>(14L, "klmnopqrstu"));
    assertThat(flatten(perSplit)).isEqualTo(linesOf(Files.readAllBytes(f)));
  }

  @Test
  void aBoundaryBetweenCrAndLf_doesNotMakeAnEmptyLine() throws IOException {
    // "abcd\r\n" + "efg\r\n": the boundary at 5 falls between \r (4) and \n (5).
    Path f = Files.writeString(tmp.resolve("crlf.txt"), "abcd\r\nefg\r\nh");
    List<FileSplit> splits = FileSplitRDD.splitsOf(f.toString(), Files.size(f), 5, 1);
    List<Tuple2<Long, String>> lines = readAll(splits, TEXT, new ArrayList<>());
    assertThat(lines).containsExactly(new Tuple2<>(0L, "abcd"), new Tuple2<>(6L, "efg"), new Tuple2<>(11L, "h"));
  }

  @Test
  void aLineOverTheLimitAcrossABoundary_isReportedOnce_byItsOwnSplit() throws IOException {
    FileFormat<Tuple2<Long, String>> text = FileFormats.textLines(4);
    Path f = Files.writeString(tmp.resolve("long.txt"), "ok\n" + "x".repeat(20) + "\nend\n");
    List<String> problems = new ArrayList<>();
    List<Tuple2<Long, String>> lines = readAll(FileSplitRDD.splitsOf(f, 4, text), text, problems);
    assertThat(lines).containsExactly(new Tuple2<>(0L, "ok"), new Tuple2<>(24L, "end"));
    assertThat(problems).singleElement().asString().contains("skipped a line of 20 bytes at byte 3 of file " + f);
  }

  @Test
  void binaryRanges_readWholeRecords_andOnlyTheLastReportsATrailingPartialRecord() throws IOException {
    byte[] content = new byte[14];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) i;
    }
    Path f = Files.write(tmp.resolve("a.bin"), content);
    FileFormat<byte[]> fixed = FileFormats.fixedLengthRecords(4);
    // Splits of 4 bytes (5 rounded down to a record): [0,4) [4,8) [8,12) [12,end).
    List<FileSplit> splits = FileSplitRDD.splitsOf(f, 5, fixed);
    assertThat(splits).hasSize(4);
    List<String> problems = new ArrayList<>();
    List<byte[]> records = readAll(splits, fixed, problems);
    assertThat(records).hasSize(3);
    assertThat(records.get(2)).containsExactly(8, 9, 10, 11);
    assertThat(problems).singleElement().asString()
        .contains("has 14 bytes, not a multiple of the record length 4; its last 2 bytes were skipped");
  }

  @Test
  void splitsAndFormats_serialize_andReadTheSameAfterwards() throws IOException {
    Path f = Files.writeString(tmp.resolve("s.txt"), "alpha\nbeta\ngamma\n");
    List<FileSplit> splits = FileSplitRDD.splitsOf(f, 6, TEXT);
    @SuppressWarnings("unchecked")
    List<FileSplit> copies = (List<FileSplit>) roundTrip(new ArrayList<>(splits));
    @SuppressWarnings("unchecked")
    FileFormat<Tuple2<Long, String>> format = (FileFormat<Tuple2<Long, String>>) roundTrip(TEXT);
    assertThat(copies).isEqualTo(splits);
    assertThat(readAll(copies, format, new ArrayList<>())).isEqualTo(linesOf(Files.readAllBytes(f)));
  }

  /**
   * Whatever the line breaks ({@code \n}, {@code \r\n}, {@code \r}, empty lines, a last line
   * without one) and the split size, the splits together read each line once, at its offset, in
   * file order: the same lines as the whole file.
   */
  @Property(tries = 300)
  void splitsTogether_readEveryLineOnce_inOrder(
      @ForAll @Size(max = 12) List<@StringLength(max = 9) @Chars({'a', 'b', 'é'}) String> lines,
      @ForAll @Size(min = 12, max = 12) List<@IntRange(min = 0, max = 2) Integer> breaks,
      @ForAll boolean lastBreak, @ForAll @IntRange(min = 1, max = 13) int splitSize) throws IOException {
    StringBuilder text = new StringBuilder();
    String[] kinds = {"\n", "\r\n", "\r"};
    for (int i = 0; i < lines.size(); i++) {
      text.append(lines.get(i));
      if (i < lines.size() - 1 || lastBreak) {
        text.append(kinds[breaks.get(i)]);
      }
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    Path f = Files.createTempFile("split", ".txt");
    try {
      Files.write(f, bytes);
      List<Tuple2<Long, String>> read = readAll(FileSplitRDD.splitsOf(f, splitSize, TEXT), TEXT, new ArrayList<>());
      assertThat(read).isEqualTo(linesOf(bytes));
    } finally {
      Files.delete(f);
    }
  }

  private static Object roundTrip(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  private static <T> List<T> readAll(List<FileSplit> splits, FileFormat<T> format, List<String> problems) {
    List<T> out = new ArrayList<>();
    for (FileSplit s : splits) {
      Iterator<T> it = FileSplitRDD.read(s, format, problems::add, false);
      it.forEachRemaining(out::add);
    }
    return out;
  }

  private static <T> List<T> flatten(List<List<T>> lists) {
    List<T> out = new ArrayList<>();
    lists.forEach(out::addAll);
    return out;
  }

  /** Lines and their start offsets, by a plain scan: a line ends at \n, \r or \r\n. */
  private static List<Tuple2<Long, String>> linesOf(byte[] b) {
    List<Tuple2<Long, String>> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < b.length) {
      if (b[i] == '\n' || b[i] == '\r') {
        out.add(new Tuple2<>((long) start, new String(b, start, i - start, StandardCharsets.UTF_8)));
        i += b[i] == '\r' && i + 1 < b.length && b[i + 1] == '\n' ? 2 : 1;
        start = i;
      } else {
        i++;
      }
    }
    if (start < b.length) {
      out.add(new Tuple2<>((long) start, new String(b, start, b.length - start, StandardCharsets.UTF_8)));
    }
    return out;
  }
}
