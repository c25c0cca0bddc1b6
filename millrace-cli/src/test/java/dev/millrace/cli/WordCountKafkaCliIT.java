package dev.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.streaming.kafka010.testing.EmbeddedKafka;
import dev.millrace.streaming.kafka010.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/millrace wordcount --kafka} as a user runs it: a real process reading a real
 * single-node KRaft broker (started in this test JVM, one per JVM).
 */
@ExtendWith(KafkaBrokerExtension.class)
class WordCountKafkaCliIT {
  private static final Path ROOT = Paths.get("").toAbsolutePath().getParent();
  private static final Path SCRIPT = ROOT.resolve("bin/millrace");
  private static final Path JAR = ROOT.resolve("millrace-cli/target/millrace.jar");
  private static final Pattern COUNT = Pattern.compile("^\\((.+),(\\d+)\\)$");
  private static final String DASHES = "-------------------------------------------";
  private static EmbeddedKafka kafka;

  @TempDir Path tmp;

  @BeforeAll
  static void broker(EmbeddedKafka broker) {
    kafka = broker;
  }

  private Process start(String name, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(SCRIPT.toString());
    command.add("wordcount");
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectOutput(tmp.resolve(name + "-out.txt").toFile())
        .redirectError(tmp.resolve(name + "-err.txt").toFile());
    pb.environment().put("MILLRACE_JAR", JAR.toString());
    return pb.start();
  }

  private String read(String file) throws IOException {
    return Files.readString(tmp.resolve(file));
  }

  /** Sums the printed counts of every batch, checking the print() format on the way. */
  private static Map<String, Long> totals(String printed) {
    Map<String, Long> totals = new TreeMap<>();
    String[] lines = printed.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith("Time: ")) {
        assertThat(lines[i - 1]).isEqualTo(DASHES);
        assertThat(lines[i]).matches("Time: \\d+ ms");
        assertThat(lines[i + 1]).isEqualTo(DASHES);
      }
      Matcher m = COUNT.matcher(lines[i]);
      if (m.matches()) {
        totals.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
      }
    }
    return totals;
  }

  private static void produce(String topic, int partition, String value, int times) {
    try (KafkaProducer<String, String> p = new KafkaProducer<>(kafka.producerConfig())) {
      for (int i = 0; i < times; i++) {
        p.send(new ProducerRecord<>(topic, partition, null, value));
      }
      p.flush();
    }
  }

  private static Map<TopicPartition, Long> committed(String group) throws Exception {
    Map<TopicPartition, Long> out = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : kafka.admin().listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).entrySet()) {
      out.put(e.getKey(), e.getValue().offset());
    }
    return out;
  }

  @Test
  void kafkaTopic_countsEveryRecordsValueAsALine_commitsTheOffsets_andARestartGoesOnFromThem() throws Exception {
    String topic = kafka.createTopic("cli-words", 3);
    produce(topic, 0, "to be or not to be", 50);
    produce(topic, 1, "that is the question", 30);
    produce(topic, 2, "be quick", 20);
    produce(topic, 2, null, 1); // a tombstone: no line, no failure

    // 40 records/s per partition and 500 ms batches: 20 per partition per batch, so partition 0
    // takes three batches.
    Process first = start("first", List.of("--kafka", kafka.bootstrapServers(), "--topic", topic, "--group", "cli-g",
        "--batch", "500ms", "--duration", "6s", "--top", "100", "--no-ui",
        "--conf", "spark.streaming.kafka.maxRatePerPartition=40"));
    assertThat(first.waitFor(90, TimeUnit.SECONDS)).as("the first run ended").isTrue();
    assertThat(first.exitValue()).as(read("first-err.txt")).isZero();

    Map<String, Long> expected = new TreeMap<>(Map.of("to", 100L, "be", 120L, "or", 50L, "not", 50L, "that", 30L,
        "is", 30L, "the", 30L, "question", 30L, "quick", 20L));
    assertThat(totals(read("first-out.txt"))).isEqualTo(expected);
    String out = read("first-out.txt");
    assertThat(out.split("Time: ", -1).length - 1).as("batches printed").isGreaterThanOrEqualTo(3);
    assertThat(read("first-err.txt")).contains("101 records received");
    assertThat(committed("cli-g")).containsExactly(Map.entry(new TopicPartition(topic, 0), 50L),
        Map.entry(new TopicPartition(topic, 1), 30L), Map.entry(new TopicPartition(topic, 2), 21L));

    // Restarted with the same group, the command counts only what came after; SIGTERM stops it
    // gracefully once the new lines are printed. Its web UI lists the Kafka keys with the others
    // and /metrics shows the stream's lag.
    produce(topic, 1, "question marks", 7);
    Process second = start("second", List.of("--kafka", kafka.bootstrapServers(), "--topic", topic, "--group", "cli-g",
        "--batch", "500ms", "--top", "100", "--conf", "millrace.ui.port=0"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!totals(read("second-out.txt")).equals(Map.of("question", 7L, "marks", 7L))) {
      assertThat(second.isAlive()).as(read("second-err.txt")).isTrue();
      assertThat(System.nanoTime()).as("the new lines to be printed").isLessThan(deadline);
      Thread.onSpinWait();
      second.waitFor(50, TimeUnit.MILLISECONDS);
    }
    Matcher ui = Pattern.compile("web UI at (http://\\S+/)").matcher(read("second-err.txt"));
    assertThat(ui.find()).as(read("second-err.txt")).isTrue();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String env = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ui.group(1) + "environment/")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    assertThat(env).contains("millrace.streaming.kafka.maxRatePerPartition", "spark.streaming.kafka.maxRatePerPartition",
        "millrace.streaming.kafka.offsetOutOfRange", "millrace.ui.port", "millrace.streaming.backpressure.enabled");
    String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ui.group(1) + "metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).containsPattern("(?m)^millrace_streaming_stream_lag\\{[^}]*stream_id=\"0\"[^}]*\\} 0$");
    second.destroy(); // SIGTERM
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(totals(read("second-out.txt"))).isEqualTo(Map.of("question", 7L, "marks", 7L));
    assertThat(read("second-err.txt")).contains("7 records received");
    assertThat(committed("cli-g")).containsEntry(new TopicPartition(topic, 1), 37L);
  }

  /** Sums the counts saved by {@code --output PREFIX} in every batch directory that was completed. */
  private static Map<String, Long> saved(Path dir) throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return counts;
    }
    try (java.util.stream.Stream<Path> dirs = Files.list(dir)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        if (!d.getFileName().toString().startsWith("counts-") || !Files.exists(d.resolve("_SUCCESS"))) {
          continue;
        }
        try (java.util.stream.Stream<Path> parts = Files.list(d)) {
          for (Path p : (Iterable<Path>) parts::iterator) {
            if (p.getFileName().toString().startsWith("part-")) {
              for (String line : Files.readAllLines(p)) {
                Matcher m = COUNT.matcher(line);
                assertThat(m.matches()).as(line).isTrue();
                counts.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
              }
            }
          }
        }
      }
    }
    return counts;
  }

  @Test
  void kafkaWithCheckpoint_killedAndRestarted_savesEveryWordOnce_andInspectShowsTheOffsetRanges() throws Exception {
    String topic = kafka.createTopic("cli-ck", 2);
    produce(topic, 0, "to be or not to be", 60);
    produce(topic, 1, "that is the question", 40);
    Path out = tmp.resolve("out");
    Path ck = tmp.resolve("ck");
    // 50 records/s per partition and 200 ms batches: 10 per partition per batch, so partition 0
    // takes six batches and the kill lands with records still to read.
    List<String> args = List.of("--kafka", kafka.bootstrapServers(), "--topic", topic, "--group", "cli-ck-g",
        "--checkpoint", ck.toString(), "--output", out.resolve("counts").toString(), "--batch", "200ms", "--top", "100",
        "--no-ui", "--no-progress", "--conf", "spark.streaming.kafka.maxRatePerPartition=50");
    Process first = start("ck1", args);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (read("ck1-out.txt").split("Time: ", -1).length - 1 < 2) {
      assertThat(first.isAlive()).as(read("ck1-err.txt")).isTrue();
      assertThat(System.nanoTime()).as("two batches to be printed").isLessThan(deadline);
      first.waitFor(20, TimeUnit.MILLISECONDS);
    }
    first.destroyForcibly(); // SIGKILL
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Map<String, Long> beforeKill = saved(out);
    assertThat(beforeKill.getOrDefault("be", 0L)).as("saved before the kill").isLessThan(120L);
    // The checkpoint the kill left holds the offset ranges of the newest batch, which had records.
    String killed = inspect(ck, "inspect-killed.txt");
    assertThat(killed).contains("input-createDirectStream-0 (createDirectStream, kafka-offsets progress v1")
        .containsPattern("batch \\d+ ms: \\d+ records: " + Pattern.quote(topic) + "-0 \\[\\d+, \\d+\\)");

    produce(topic, 1, "question marks", 5); // arrives while the job is down
    Process second = start("ck2", args);
    Map<String, Long> expected = new TreeMap<>(Map.of("to", 120L, "be", 120L, "or", 60L, "not", 60L, "that", 40L,
        "is", 40L, "the", 40L, "question", 45L, "marks", 5L));
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!saved(out).equals(expected) && System.nanoTime() < deadline && second.isAlive()) {
      second.waitFor(50, TimeUnit.MILLISECONDS);
    }
    second.destroy(); // SIGTERM: a graceful stop
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(saved(out)).as("counts saved across the kill; restart log:%n%s", read("ck2-err.txt"))
        .isEqualTo(expected);

    String after = inspect(ck, "inspect-after.txt");
    assertThat(after).contains("input-createDirectStream-0 (createDirectStream, kafka-offsets progress v1",
        "pending batches:       none");
  }

  /** Runs {@code bin/millrace checkpoint inspect DIR} and returns what it printed. */
  private String inspect(Path ck, String file) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "checkpoint", "inspect", ck.toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve(file).toFile());
    pb.environment().put("MILLRACE_JAR", JAR.toString());
    Process inspect = pb.start();
    assertThat(inspect.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String printed = read(file);
    assertThat(inspect.exitValue()).as(printed).isZero();
    return printed;
  }

  @Test
  void kafkaWithoutTopic_orTopicWithoutKafka_isAUsageError() throws Exception {
    Process p = start("usage", List.of("--kafka", "127.0.0.1:9"));
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(read("usage-err.txt")).contains("--kafka needs --topic");
    Process q = start("usage2", List.of("--topic", "t", "--socket", "127.0.0.1:9"));
    assertThat(q.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(q.exitValue()).isEqualTo(2);
    assertThat(read("usage2-err.txt")).contains("--topic goes with --kafka");
  }
}
