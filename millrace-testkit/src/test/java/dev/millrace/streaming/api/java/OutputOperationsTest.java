package dev.millrace.streaming.api.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaPairRDD;
import dev.millrace.api.java.JavaRDD;
import dev.millrace.streaming.StreamingTestBase;
import dev.millrace.streaming.Time;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code print}, {@code foreachRDD} and {@code saveAs*Files}, in Spark's formats. */
class OutputOperationsTest extends StreamingTestBase {
  private static final String DASHES = "-------------------------------------------";

  private static String block(long ms, String... lines) {
    StringBuilder sb = new StringBuilder();
    sb.append(DASHES).append('\n').append("Time: ").append(ms).append(" ms\n").append(DASHES).append('\n');
    for (String l : lines) {
      sb.append(l).append('\n');
    }
    return sb.append('\n').toString();
  }

  private ByteArrayOutputStream capturePrint() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    jssc().ssc().setPrintStream(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes;
  }

  @Test
  void print_defaultsToTenRecords_thenDots_andPrintsEmptyBatches() {
    List<String> eleven = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k");
    List<String> ten = eleven.subList(0, 10);
    h.input(List.of(eleven, List.of(), ten)).print();
    // Set after print() was defined: where output goes is read when the batch runs.
    ByteArrayOutputStream out = capturePrint();
    h.runBatches(3);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
        block(1000, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "...")
            + block(2000)
            + block(3000, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"));
  }

  @Test
  void printN_printsTuplesLikeScala() {
    ByteArrayOutputStream out = capturePrint();
    h.pairInput(List.of(List.of(t("a", 1), t("b", 2), t("c", 3)), List.of(t("d", 4), t("e", 5))))
        .print(2);
    h.runBatches(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
        block(1000, "(a,1)", "(b,2)", "...") + block(2000, "(d,4)", "(e,5)"));
  }

  @Test
  void printZero_printsOnlyTheHeaderAndDots() {
    ByteArrayOutputStream out = capturePrint();
    h.input(List.of(List.of("x"))).print(0);
    h.runBatches(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(block(1000, "...") + block(2000));
  }

  @Test
  void foreachRDD_bothForms_seeEveryBatchInOrder() {
    List<List<String>> plain = new CopyOnWriteArrayList<>();
    List<String> timed = new CopyOnWriteArrayList<>();
    JavaDStream<String> in = h.input(words());
    in.foreachRDD(rdd -> {
      plain.add(rdd.collect());
    });
    in.foreachRDD((rdd, time) -> {
      timed.add(time + ":" + rdd.count());
    });
    List<String> pairs = new CopyOnWriteArrayList<>();
    in.mapToPair(w -> t(w, 1)).foreachRDD((JavaPairRDD<String, Integer> rdd, Time time) -> {
      pairs.add(time.milliseconds() + "=" + rdd.reduceByKey(Integer::sum).collectAsMap().get("a"));
    });
    h.runBatches(4);
    assertThat(plain).containsExactly(List.of("a", "b", "a"), List.of(), List.of("c", "a", "c", "d"), List.of());
    assertThat(timed).containsExactly("1000 ms:3", "2000 ms:0", "3000 ms:4", "4000 ms:0");
    assertThat(pairs).containsExactly("1000=2", "2000=null", "3000=1", "4000=null");
  }

  @Test
  void outputs_runInTheOrderTheyWereDefined() {
    List<String> order = new CopyOnWriteArrayList<>();
    JavaDStream<String> in = h.input(words());
    in.foreachRDD((rdd, time) -> {
      order.add("first@" + time.milliseconds());
    });
    in.foreachRDD((rdd, time) -> {
      order.add("second@" + time.milliseconds());
    });
    h.runBatches(2);
    assertThat(order).containsExactly("first@1000", "second@1000", "first@2000", "second@2000");
  }

  private static List<String> linesOfDirectory(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted()
          .collect(Collectors.toList())) {
        lines.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
      }
    }
    return lines;
  }

  private static List<String> namesIn(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void saveAsTextFiles_writesADirectoryPerBatch_namedPrefixTimeSuffix(@TempDir Path dir) throws IOException {
    JavaPairDStream<String, Long> counts = h.input(words()).countByValue(1);
    counts.saveAsTextFiles(dir.resolve("counts").toString(), "txt");
    h.input(words()).saveAsTextFiles(dir.resolve("raw").toString(), null);
    h.input(words()).saveAsTextFiles(dir.resolve("empty-suffix").toString(), "");
    h.runBatches(2);
    assertThat(namesIn(dir)).containsExactly("counts-1000.txt", "counts-2000.txt", "empty-suffix-1000",
        "empty-suffix-2000", "raw-1000", "raw-2000");
    assertThat(linesOfDirectory(dir.resolve("counts-1000.txt"))).containsExactlyInAnyOrder("(a,2)", "(b,1)");
    assertThat(linesOfDirectory(dir.resolve("counts-2000.txt"))).isEmpty();
    assertThat(dir.resolve("counts-2000.txt").resolve("_SUCCESS")).exists();
    // One part file per partition of the batch.
    assertThat(namesIn(dir.resolve("raw-1000"))).containsExactly("_SUCCESS", "part-00000", "part-00001");
    assertThat(linesOfDirectory(dir.resolve("raw-1000"))).containsExactly("a", "b", "a");
  }

  @Test
  void saveAsObjectFiles_writesADirectoryPerBatch_withTheRecords(@TempDir Path dir) throws Exception {
    h.input(words()).saveAsObjectFiles(dir.resolve("obj").toString(), "bin");
    h.runBatches(3);
    assertThat(namesIn(dir)).containsExactly("obj-1000.bin", "obj-2000.bin", "obj-3000.bin");
    List<Object> records = new ArrayList<>();
    for (String part : List.of("part-00000", "part-00001")) {
      try (ObjectInputStream in = new ObjectInputStream(
          Files.newInputStream(dir.resolve("obj-3000.bin").resolve(part)))) {
        records.addAll((List<?>) in.readObject());
      }
    }
    assertThat(records).containsExactly("c", "a", "c", "d");
    assertThat(dir.resolve("obj-2000.bin").resolve("_SUCCESS")).exists();
  }

  @Test
  void saveAsTextFiles_withoutPrefix_namesDirectoriesByTimeOnly(@TempDir Path dir) throws IOException {
    // Spark's rddToFileName leaves out an empty prefix: just "<ms>[.suffix]".
    assertThat(dev.millrace.streaming.internal.dstream.DStream.rddToFileName("", "out", new Time(5000)))
        .isEqualTo("5000.out");
    assertThat(dev.millrace.streaming.internal.dstream.DStream.rddToFileName(null, null, new Time(5000)))
        .isEqualTo("5000");
    assertThat(dev.millrace.streaming.internal.dstream.DStream.rddToFileName("p", "s", new Time(5000)))
        .isEqualTo("p-5000.s");
  }

  @Test
  void foreachRDD_sameDatasetForOutputsOfOneBatch() {
    List<JavaRDD<String>> seen = new CopyOnWriteArrayList<>();
    JavaDStream<String> in = h.input(words());
    in.foreachRDD(rdd -> {
      seen.add(rdd);
    });
    in.foreachRDD(rdd -> {
      seen.add(rdd);
    });
    h.runBatches(1);
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).rdd()).isSameAs(seen.get(1).rdd());
  }

  @Test
  void tupleToString_isScalas() {
    assertThat(new Tuple2<>("a", new Tuple2<>(1, null)).toString()).isEqualTo("(a,(1,null))");
  }
}
