package dev.millrace.streaming.sources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaRDDLike;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.api.java.JavaDStreamLike;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import dev.millrace.streaming.internal.dstream.FileInputDStream;
import dev.millrace.streaming.internal.dstream.InputDStream;
import dev.millrace.util.ManualClock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directory sources on a real directory, with files written elsewhere and moved in atomically.
 * The manual clock starts at {@link #START} so that files can carry modification times before it.
 */
class FileStreamIT {
  private static final long START = 1_000_000;

  @TempDir Path tmp;
  private Path dir;
  private Path staging;
  private JavaStreamingContext ssc;
  private ManualClock clock;
  private int batches;

  @BeforeEach
  void setUp() throws IOException {
    dir = Files.createDirectory(tmp.resolve("in"));
    staging = Files.createDirectory(tmp.resolve("staging"));
  }

  @AfterEach
  void tearDown() {
    if (ssc != null) {
      ssc.stop(true, false);
    }
  }

  private JavaStreamingContext context(String... settings) {
    MillraceConf conf = new MillraceConf(false).setMaster("local[2]").setAppName("files")
        .set("millrace.streaming.clock", "manual");
    for (int i = 0; i < settings.length; i += 2) {
      conf.set(settings[i], settings[i + 1]);
    }
    ssc = new JavaStreamingContext(conf, Durations.seconds(1));
    clock = (ManualClock) ssc.ssc().clock();
    clock.setTime(START);
    return ssc;
  }

  private static long t(int batch) {
    return START + batch * 1000L;
  }

  private void runBatch() throws InterruptedException {
    batches++;
    Time time = new Time(t(batches));
    clock.setTime(time.milliseconds());
    assertThat(ssc.ssc().scheduler().awaitBatchDone(time, 30_000)).as("batch %s done", time).isTrue();
    assertThat(ssc.ssc().error()).isNull();
  }

  private <T, R extends JavaRDDLike<T, R>> Collected<T> collect(JavaDStreamLike<T, ?, R> stream) {
    Collected<T> out = new Collected<>();
    stream.dstream().foreachRDD((rdd, time) -> out.byTime.put(time, rdd.collect()), "collect");
    return out;
  }

  /** Each batch's records, by batch time. */
  static final class Collected<T> {
    final java.util.concurrent.ConcurrentSkipListMap<Time, List<T>> byTime =
        new java.util.concurrent.ConcurrentSkipListMap<>();

    /** The n-th batch's records, counting from 1. */
    List<T> batch(int n) {
      return new ArrayList<>(byTime.values()).get(n - 1);
    }

    List<T> all() {
      List<T> out = new ArrayList<>();
      byTime.values().forEach(out::addAll);
      return out;
    }
  }

  /** Writes a file in the staging directory with the given modification time and moves it in atomically. */
  private Path moveIn(String name, byte[] content, long modTime) throws IOException {
    Path staged = staging.resolve(name);
    Files.write(staged, content);
    Files.setLastModifiedTime(staged, FileTime.fromMillis(modTime));
    return Files.move(staged, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private Path moveIn(String name, String text, long modTime) throws IOException {
    return moveIn(name, text.getBytes(StandardCharsets.UTF_8), modTime);
  }

  private FileInputDStream<?> fileStreamNumber(int k) {
    List<FileInputDStream<?>> found = new ArrayList<>();
    for (InputDStream<?> in : ssc.ssc().graph().inputStreams()) {
      if (in instanceof FileInputDStream<?> f) {
        found.add(f);
      }
    }
    return found.get(k);
  }

  @Test
  void aFileMovedIn_isReadInTheFirstBatchNotBeforeItsModificationTime_andOnlyOnce() throws Exception {
    Collected<String> out = collect(context().textFileStream(dir.toString()));
    ssc.start();
    moveIn("a.txt", "to be\nor not\n", t(1) - 500);
    moveIn("b.txt", "to be", t(1) + 1);   // modified after batch 1's time: belongs to a later batch

    runBatch();
    runBatch();
    runBatch();

    assertThat(out.batch(1)).containsExactly("to be", "or not");
    assertThat(out.batch(2)).containsExactly("to be");
    assertThat(out.batch(3)).isEmpty();
  }

  @Test
  void filesPresentAtStart_areIgnored_unlessNewFilesOnlyIsFalse() throws Exception {
    context();
    moveIn("old.txt", "caf\u00e9\r\nsecond\n", START - 5000);
    moveIn("at-start.txt", "x\n", START);
    Collected<String> newOnly = collect(ssc.textFileStream(dir.toString()));
    Collected<Tuple2<Long, String>> all = collect(ssc.fileStream(dir.toString(),
        p -> !p.getFileName().toString().startsWith("."), false));
    ssc.start();
    runBatch();

    assertThat(newOnly.batch(1)).isEmpty();
    // Keys are byte offsets of line starts, as TextInputFormat's: "café" is 5 bytes, then \r\n.
    assertThat(all.batch(1)).containsExactly(
        new Tuple2<>(0L, "x"), new Tuple2<>(0L, "caf\u00e9"), new Tuple2<>(7L, "second"));
  }

  @Test
  void aLateFile_olderThanTheRememberWindow_isIgnored_whileAFreshOneIsRead() throws Exception {
    Collected<String> out = collect(context("millrace.streaming.fileStream.minRememberDuration", "3s")
        .textFileStream(dir.toString()));
    ssc.start();
    for (int i = 0; i < 4; i++) {
      runBatch();
    }
    moveIn("late.txt", "late\n", t(1));        // at batch 5 the window starts after t(2)
    moveIn("fresh.txt", "fresh\n", t(5) - 1);
    runBatch();

    assertThat(fileStreamNumber(0).durationToRemember()).isEqualTo(Durations.seconds(3));
    assertThat(out.batch(5)).containsExactly("fresh");
    assertThat(out.all()).containsExactly("fresh");
  }

  @Test
  void hiddenFiles_areIgnored_untilRenamedToAVisibleName() throws Exception {
    Collected<String> out = collect(context().textFileStream(dir.toString()));
    ssc.start();
    Path hidden = moveIn(".part-0.txt", "payload\n", t(1) - 1);
    runBatch();
    Files.move(hidden, dir.resolve("part-0.txt"), StandardCopyOption.ATOMIC_MOVE);
    runBatch();

    assertThat(out.batch(1)).isEmpty();
    assertThat(out.batch(2)).containsExactly("payload");
  }

  @Test
  void gzipFiles_areReadDecompressed() throws Exception {
    Collected<String> out = collect(context().textFileStream(dir.toString()));
    ssc.start();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write("compressed one\ncompressed two\n".getBytes(StandardCharsets.UTF_8));
    }
    moveIn("log.txt.gz", bytes.toByteArray(), t(1) - 1);
    moveIn("plain.txt", "plain\n", t(1) - 1);
    runBatch();

    assertThat(out.batch(1)).containsExactly("compressed one", "compressed two", "plain");
  }

  @Test
  void binaryRecords_areSplitByLength_andATrailingPartialRecordIsReportedWithTheFileName() throws Exception {
    Collected<byte[]> out = collect(context().binaryRecordsStream(dir.toString(), 4));
    ssc.start();
    moveIn("a.bin", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}, t(1) - 1);
    moveIn("b.bin", new byte[] {21, 22, 23, 24}, t(1) - 1);
    runBatch();

    List<List<Byte>> records = new ArrayList<>();
    for (byte[] r : out.batch(1)) {
      List<Byte> l = new ArrayList<>();
      for (byte b : r) {
        l.add(b);
      }
      records.add(l);
    }
    assertThat(records).containsExactly(
        List.of((byte) 1, (byte) 2, (byte) 3, (byte) 4), List.of((byte) 5, (byte) 6, (byte) 7, (byte) 8),
        List.of((byte) 9, (byte) 10, (byte) 11, (byte) 12), List.of((byte) 21, (byte) 22, (byte) 23, (byte) 24));
    List<String> problems = fileStreamNumber(0).problems();
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0))
        .contains("binaryRecordsStream")
        .contains("at batch " + t(1) + " ms")
        .contains(dir.resolve("a.bin").toString())
        .contains("14 bytes, not a multiple of the record length 4")
        .contains("last 2 bytes were skipped");
  }

  @Test
  void aFileThatVanishesBetweenListingAndReading_isReported_andTheBatchGoesOn() throws Exception {
    var lines = context().textFileStream(dir.toString());
    // The first output operation runs before the second reads the files: it deletes one of them.
    lines.foreachRDD(rdd -> Files.deleteIfExists(dir.resolve("b.txt")));
    Collected<String> out = collect(lines);
    ssc.start();
    moveIn("a.txt", "kept\n", t(1) - 1);
    moveIn("b.txt", "gone\n", t(1) - 1);
    moveIn("c.txt", "also kept\n", t(1) - 1);
    runBatch();

    assertThat(out.batch(1)).containsExactly("kept", "also kept");
    assertThat(fileStreamNumber(0).problems()).singleElement().asString()
        .contains("textFileStream " + dir)
        .contains("at batch " + t(1) + " ms")
        .contains(dir.resolve("b.txt") + " vanished between listing and reading; skipped");
  }

  @Test
  void aLineLongerThanTheLimit_inAFile_isReportedAndSkipped_andTheOtherLinesAreKept() throws Exception {
    Collected<String> out = collect(context("millrace.streaming.maxLineLength", "10")
        .textFileStream(dir.toString()));
    ssc.start();
    moveIn("a.txt", "short\n" + "w".repeat(1000) + "\nbad \u00ff\u00fe\nend", t(1) - 1);
    runBatch();

    assertThat(out.batch(1)).containsExactly("short", "bad \u00ff\u00fe", "end");
    assertThat(fileStreamNumber(0).problems()).singleElement().asString()
        .contains("skipped a line of 1000 bytes at byte 6 of file " + dir.resolve("a.txt"));
  }

  @Test
  void invalidUtf8InAFile_becomesReplacementCharacters() throws Exception {
    Collected<String> out = collect(context().textFileStream(dir.toString()));
    ssc.start();
    moveIn("a.txt", new byte[] {'o', 'k', '\n', (byte) 0xFF, 'x', '\n'}, t(1) - 1);
    runBatch();
    assertThat(out.batch(1)).containsExactly("ok", "\uFFFDx");
  }

  @Test
  void wordCountOverADirectory_countsEachNewFileOnce() throws Exception {
    Collected<Tuple2<String, Long>> out = collect(context().textFileStream(dir.toString())
        .flatMap(l -> Arrays.asList(l.split(" ")).iterator()).countByValue());
    ssc.start();
    moveIn("1.txt", "a b a\n", t(1) - 1);
    runBatch();
    moveIn("2.txt", "b\n", t(2) - 1);
    runBatch();

    assertThat(out.batch(1)).containsExactlyInAnyOrder(new Tuple2<>("a", 2L), new Tuple2<>("b", 1L));
    assertThat(out.batch(2)).containsExactly(new Tuple2<>("b", 1L));
  }
}
