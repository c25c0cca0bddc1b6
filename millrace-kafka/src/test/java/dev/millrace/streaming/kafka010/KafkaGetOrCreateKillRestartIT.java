package dev.millrace.streaming.kafka010;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.streaming.kafka010.testing.EmbeddedKafka;
import dev.millrace.streaming.kafka010.testing.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running word count ({@code updateStateByKey}) over a direct Kafka stream, writing each batch's
 * full state with the transactional {@code KafkaSink}, in a child JVM created or recovered with
 * {@code JavaStreamingContext.getOrCreate}; killed with SIGKILL at seeded moments and recovered,
 * again and again. Read with {@code read_committed}, the newest count of every word equals its
 * count in the input, and no word's count ever goes down: each re-run batch read exactly the
 * offsets fixed for it before the crash, and state recomputed after recovery matches.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaGetOrCreateKillRestartIT {
  private static final int PARTITIONS = 3;
  private static final int LINES = 4500;
  private static final int CYCLES = 10;

  @Test
  void killedAtSeededMomentsAndRecoveredWithGetOrCreate_runningCountsEqualTheInputExactly(EmbeddedKafka kafka,
      @TempDir Path dir) throws Exception {
    long seed = Long.getLong("millrace.kafka.killSeed", System.nanoTime());
    String why = "seed " + seed + " (rerun with -Dmillrace.kafka.killSeed=" + seed + ")";
    System.out.println("KafkaGetOrCreateKillRestartIT " + why);
    Random random = new Random(seed);
    String input = kafka.createTopic("state-in", PARTITIONS);
    String output = kafka.createTopic("state-out", 2);
    String group = "state-" + input;

    Map<String, Long> expected = new TreeMap<>();
    try (KafkaProducer<String, String> p = new KafkaProducer<>(kafka.producerConfig())) {
      for (int i = 0; i < LINES; i++) {
        StringBuilder line = new StringBuilder();
        int words = 1 + random.nextInt(6);
        for (int w = 0; w < words; w++) {
          String word = "w" + random.nextInt(40);
          expected.merge(word, 1L, Long::sum);
          line.append(w == 0 ? "" : " ").append(word);
        }
        p.send(new ProducerRecord<>(input, i % PARTITIONS, null, line.toString()));
      }
      p.flush();
    }
    Map<TopicPartition, Long> end = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      end.put(new TopicPartition(input, p), (long) (LINES / PARTITIONS));
    }

    Path checkpoint = dir.resolve("checkpoint");
    Path log = dir.resolve("child.log");
    List<String> kills = new ArrayList<>();
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      Process child = startChild(kafka, input, output, group, checkpoint, log);
      awaitStarted(child, log, why);
      long runMs = 100 + random.nextInt(1400);
      Thread.sleep(runMs);
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      kills.add(runMs + "ms->" + committed(kafka, group));
    }
    Process last = startChild(kafka, input, output, group, checkpoint, log);
    try {
      awaitStarted(last, log, why);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!CheckpointedOffsets.drained(checkpoint, end) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(CheckpointedOffsets.drained(checkpoint, end)).as("all input processed; %s; kills %s\n%s", why,
          kills, tail(log)).isTrue();
    } finally {
      last.destroyForcibly();
      last.waitFor(30, TimeUnit.SECONDS);
    }
    long recoveries = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter("recovering"::equals).count();
    assertThat(recoveries).as("starts that recovered from a checkpoint; %s", why).isGreaterThanOrEqualTo(CYCLES / 2);

    System.out.println("getOrCreate kill/restart " + why + ": committed input offsets after each kill: " + kills);
    Map<String, Long> newest = new TreeMap<>();
    List<String> decreases = new ArrayList<>();
    for (ConsumerRecord<String, String> r : kafka.readAll(output, "read_committed")) {
      long count = Long.parseLong(r.value());
      Long before = newest.put(r.key(), count);
      if (before != null && before > count) {
        decreases.add(r.key() + ": " + before + " then " + count + " (partition " + r.partition() + " offset "
            + r.offset() + ")");
      }
    }
    assertThat(decreases).as("running counts never go down; %s; kills %s", why, kills).isEmpty();
    assertThat(newest).as("newest running counts read with read_committed; %s; kills %s", why, kills)
        .isEqualTo(expected);
    assertThat(committed(kafka, group)).as("input offsets committed with the output; %s", why).isEqualTo(end);
  }

  private static Map<TopicPartition, Long> committed(EmbeddedKafka kafka, String group) throws Exception {
    Map<TopicPartition, Long> out = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> m =
        kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    m.forEach((tp, om) -> out.put(tp, om.offset()));
    return out;
  }

  private static Process startChild(EmbeddedKafka kafka, String input, String output, String group, Path checkpoint,
      Path log) throws IOException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), KafkaStatefulWordCountChild.class.getName(),
        kafka.bootstrapServers(), input, Integer.toString(PARTITIONS), output, group, checkpoint.toString(),
        "state-" + output);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return pb.start();
  }

  private int starts;

  /** Waits until the child printed "started" (one more time than before) or died. */
  private void awaitStarted(Process child, Path log, String why) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      int now = countStarts(log);
      if (now > starts) {
        starts = now;
        return;
      }
      if (!child.isAlive()) {
        throw new AssertionError("child exited with " + child.exitValue() + " before starting; " + why + "\n"
            + tail(log));
      }
      Thread.sleep(20);
    }
    throw new AssertionError("child did not start within 60 s; " + why + "\n" + tail(log));
  }

  private static int countStarts(Path log) throws IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    int n = 0;
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (line.equals("started")) {
        n++;
      }
    }
    return n;
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
