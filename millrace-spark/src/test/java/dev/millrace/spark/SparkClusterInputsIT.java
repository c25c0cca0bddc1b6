package dev.millrace.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.Tuple2;
import dev.millrace.internal.rdd.PlanNodes;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaInputDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.internal.dstream.FileInputDStream;
import dev.millrace.streaming.internal.dstream.InputDStream;
import dev.millrace.streaming.kafka010.ConsumerStrategies;
import dev.millrace.streaming.kafka010.KafkaUtils;
import dev.millrace.streaming.kafka010.LocationStrategies;
import dev.millrace.streaming.kafka010.testing.EmbeddedKafka;
import dev.millrace.streaming.kafka010.testing.KafkaBrokerExtension;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inputs that scale: the files of a directory stream are read by the executors of a real Spark
 * standalone cluster (a master and two workers in their own JVMs), each task reading its own file
 * split, with per-batch results identical to {@code local[2]}; what the executors report about bad
 * input reaches the driver's stream. Likewise the offset ranges of a Kafka direct stream (a real
 * broker in this JVM), each read by an executor task with a consumer of its own.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkClusterInputsIT {
  private static final int BATCHES = 3;
  /** Small splits, so that the larger files are read as several byte ranges. */
  private static final String SPLIT_SIZE = "64";

  private StandaloneCluster cluster;
  private Path dir;

  @BeforeAll
  void startCluster() throws Exception {
    dir = StandaloneCluster.targetDir("spark-cluster-inputs-it");
    cluster = StandaloneCluster.start(dir, 2);
  }

  @AfterAll
  void stopCluster() throws Exception {
    for (ProcessHandle h : StandaloneCluster.closeAndAwaitExit(cluster)) {
      assertThat(h.isAlive()).as("process %s still running", h.pid()).isFalse();
    }
  }

  /**
   * The input of three batches (batch n reads the files modified at n seconds - 1 ms): text over
   * several splits with \n, \r\n and a last line without a break, a gzip file, an empty file, and in
   * batch 2 a file that the first output operation deletes before the second reads it.
   */
  private static Path writeInput(Path in) throws IOException {
    Files.createDirectories(in);
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      big.append("line ").append(i).append(i % 3 == 0 ? " fox\r\n" : " dog\n");
    }
    big.append("last fox");
    write(in.resolve("a-big.txt"), big.toString().getBytes(StandardCharsets.UTF_8), 1);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write("zipped fox\nzipped dog cat\n".repeat(10).getBytes(StandardCharsets.UTF_8));
    }
    write(in.resolve("b.txt.gz"), gz.toByteArray(), 1);
    write(in.resolve("c-empty.txt"), new byte[0], 1);
    write(in.resolve("d.txt"), "the quick brown fox\njumps over the lazy dog\n".repeat(4).getBytes(StandardCharsets.UTF_8), 2);
    write(in.resolve("e-vanishes.txt"), "never read\n".getBytes(StandardCharsets.UTF_8), 2);
    write(in.resolve("f.txt"), "cat cat dog\n".repeat(20).getBytes(StandardCharsets.UTF_8), 3);
    return in;
  }

  private static void write(Path file, byte[] content, int batch) throws IOException {
    Files.write(file, content);
    Files.setLastModifiedTime(file, FileTime.fromMillis(batch * 1000L - 1));
  }

  /** What one run gave: each output's batches, the pids that read the input, and the stream's reports. */
  private record Run(List<List<String>> lines, List<List<Tuple2<String, Long>>> counts, List<List<Integer>> sizes,
      List<Long> readers, List<String> problems, List<Boolean> computedAnywhere, Set<Long> clusterPids) {}

  private Run run(StreamingTestHarness.Builder builder, String name) throws Exception {
    Path in = writeInput(dir.resolve("in-" + name));
    try (StreamingTestHarness h = builder.set("millrace.streaming.fileStream.splitSize", SPLIT_SIZE).build()) {
      h.context().checkpoint(Files.createDirectories(dir.resolve("checkpoint-" + name)).toString());
      JavaDStream<String> lines = h.context().textFileStream(in.toString());
      List<Boolean> anywhere = new CopyOnWriteArrayList<>();
      lines.foreachRDD((rdd, time) -> {
        anywhere.add(PlanNodes.computesAnywhere(sourceOf(rdd.rdd())));
        if (time.milliseconds() == 2000) {
          Files.deleteIfExists(in.resolve("e-vanishes.txt"));
        }
      });
      BatchCollector<String> collected = h.collect(lines);
      JavaPairDStream<String, Long> counts = lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator()).countByValue();
      BatchCollector<Tuple2<String, Long>> countsOut = h.collect(counts);
      // The first narrow step after the source runs in the same task that read the split.
      BatchCollector<Long> readers = h.collect(lines.mapPartitions(it -> {
        it.forEachRemaining(l -> { });
        return List.of(ProcessHandle.current().pid()).iterator();
      }));
      BatchCollector<Integer> sizes = h.collect(lines.glom().map(List::size));
      h.runBatches(BATCHES);
      // While the application runs: its executors end when it stops.
      Set<Long> clusterPids = cluster.processes().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
      List<Long> pids = new ArrayList<>();
      readers.batches().forEach(pids::addAll);
      FileInputDStream<?> stream = null;
      for (InputDStream<?> s : h.context().ssc().graph().inputStreams()) {
        stream = (FileInputDStream<?>) s;
      }
      return new Run(collected.batches(), countsOut.batches(), sizes.batches(), pids, stream.problems(), anywhere, clusterPids);
    }
  }

  private static dev.millrace.internal.rdd.RDD<?> sourceOf(dev.millrace.internal.rdd.RDD<?> rdd) {
    dev.millrace.internal.rdd.RDD<?> cur = rdd;
    while (PlanNodes.isStep(cur)) {
      cur = PlanNodes.stepParent(cur);
    }
    return cur;
  }

  @Test
  void directoryStream_isReadByTheExecutors_splitBySplit_withTheLocalResults() throws Exception {
    Run local = run(StreamingTestHarness.builder(Durations.seconds(1)).master("local[2]"), "local");
    long driver = ProcessHandle.current().pid();
    Run onCluster = run(cluster.harness(Durations.seconds(1)), "cluster");

    // The input as written: batch 1 reads a-big.txt in several splits, b.txt.gz whole, the empty file.
    assertThat(local.lines().get(0)).hasSize(41 + 20).startsWith("line 0 fox", "line 1 dog").contains("last fox");
    assertThat(local.sizes().get(0)).hasSizeGreaterThan(4);
    assertThat(local.lines().get(1)).hasSize(8);
    assertThat(local.lines().get(2)).hasSize(20);

    assertThat(onCluster.lines()).as("lines, batch by batch, in order").isEqualTo(local.lines());
    assertThat(onCluster.sizes()).as("records per partition (the splits)").isEqualTo(local.sizes());
    for (int b = 0; b < BATCHES; b++) {
      assertThat(sorted(onCluster.counts().get(b))).as("counts of batch %d", b + 1).isEqualTo(sorted(local.counts().get(b)));
    }
    assertThat(onCluster.computedAnywhere()).containsOnly(true);

    // Every split was read in an executor process started by a worker, none on the driver.
    assertThat(onCluster.readers()).hasSize(onCluster.sizes().stream().mapToInt(List::size).sum())
        .doesNotContain(driver);
    assertThat(onCluster.clusterPids()).containsAll(onCluster.readers());

    // The vanished file is reported on the driver's stream, by the executors that tried to read it
    // (once per job that read batch 2's files, as locally).
    assertThat(local.problems()).isNotEmpty().allSatisfy(p -> assertThat(p).contains("e-vanishes.txt vanished"));
    assertThat(onCluster.problems()).hasSameSizeAs(local.problems()).allSatisfy(p -> assertThat(p)
        .contains("textFileStream " + dir.resolve("in-cluster"))
        .contains("at batch 2000 ms")
        .contains(dir.resolve("in-cluster/e-vanishes.txt") + " vanished between listing and reading")
        .contains("not on a file system that this executor shares"));
  }

  /** Each batch's record values, the pids that read them, and whether each batch's source computes anywhere. */
  private record KafkaRun(List<List<String>> values, List<List<Tuple2<String, Long>>> counts, List<Long> readers,
      List<Boolean> computedAnywhere, Set<Long> clusterPids) {}

  private KafkaRun runKafka(StreamingTestHarness.Builder builder, EmbeddedKafka kafka, String topic, String group) {
    // At most 4 records of each partition per 1 s batch: 10 records a partition make batches of 4, 4 and 2.
    try (StreamingTestHarness h = builder.set("spark.streaming.kafka.maxRatePerPartition", "4").build()) {
      JavaInputDStream<ConsumerRecord<String, String>> stream = KafkaUtils.createDirectStream(h.context(),
          LocationStrategies.PreferConsistent(),
          ConsumerStrategies.<String, String>Subscribe(List.of(topic), kafka.consumerConfig(group)));
      List<Boolean> anywhere = new CopyOnWriteArrayList<>();
      stream.foreachRDD(rdd -> anywhere.add(PlanNodes.computesAnywhere(rdd.rdd())));
      JavaDStream<String> values = stream.map(ConsumerRecord::value);
      BatchCollector<String> valuesOut = h.collect(values);
      BatchCollector<Tuple2<String, Long>> counts = h.collect(values.map(v -> v.substring(0, 2)).countByValue());
      BatchCollector<Long> readers = h.collect(stream.mapPartitions(it -> {
        it.forEachRemaining(r -> { });
        return List.of(ProcessHandle.current().pid()).iterator();
      }));
      h.runBatches(BATCHES);
      Set<Long> clusterPids = cluster.processes().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
      List<Long> pids = new ArrayList<>();
      readers.batches().forEach(pids::addAll);
      return new KafkaRun(valuesOut.batches(), counts.batches(), pids, anywhere, clusterPids);
    }
  }

  @Test
  @ExtendWith(KafkaBrokerExtension.class)
  void kafkaDirectStream_readsEachOffsetRangeOnTheExecutors_withTheLocalResults(EmbeddedKafka kafka) {
    String topic = kafka.createTopic("cluster", 3);
    for (int p = 0; p < 3; p++) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        values.add("p" + p + "-" + i);
      }
      kafka.produce(topic, p, values);
    }
    KafkaRun local = runKafka(StreamingTestHarness.builder(Durations.seconds(1)).master("local[2]"), kafka, topic,
        "local");
    KafkaRun onCluster = runKafka(cluster.harness(Durations.seconds(1)), kafka, topic, "cluster");

    // Worked out by hand: batch 1 holds offsets 0..3 of each partition, batch 2 4..7, batch 3 8..9.
    assertThat(local.values().get(0)).containsExactly("p0-0", "p0-1", "p0-2", "p0-3", "p1-0", "p1-1", "p1-2", "p1-3",
        "p2-0", "p2-1", "p2-2", "p2-3");
    assertThat(local.values().get(2)).containsExactly("p0-8", "p0-9", "p1-8", "p1-9", "p2-8", "p2-9");
    assertThat(onCluster.values()).as("values, batch by batch, in order").isEqualTo(local.values());
    for (int b = 0; b < BATCHES; b++) {
      assertThat(sorted(onCluster.counts().get(b))).as("counts of batch %d", b + 1).isEqualTo(sorted(local.counts().get(b)));
    }
    assertThat(onCluster.computedAnywhere()).hasSize(BATCHES).containsOnly(true);
    // One task per offset range, each in an executor process.
    assertThat(onCluster.readers()).hasSize(3 * BATCHES).doesNotContain(ProcessHandle.current().pid());
    assertThat(onCluster.clusterPids()).containsAll(onCluster.readers());
  }

  private static List<String> sorted(List<?> records) {
    List<String> out = records.stream().map(String::valueOf).collect(Collectors.toList());
    Collections.sort(out);
    return out;
  }
}
