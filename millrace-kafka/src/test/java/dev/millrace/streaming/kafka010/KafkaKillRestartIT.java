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
 * A Kafka-in, Kafka-out word count in a child JVM, killed with SIGKILL at seeded moments and
 * restarted as a new context (not {@code getOrCreate}) with the same checkpoint directory, again
 * and again, so the stream resumes from the offsets in the newest metadata checkpoint; read with {@code read_committed},
 * its output adds up to exactly the word counts of the input: nothing lost, nothing twice.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaKillRestartIT {
  private static final int PARTITIONS = 3;
  private static final int LINES = 4500;
  private static final int CYCLES = 10;

  @Test
  void killedAtSeededMomentsAndRestarted_countsEveryInputWordExactlyOnce(EmbeddedKafka kafka, @TempDir Path dir)
      throws Exception {
    long seed = Long.getLong("millrace.kafka.killSeed", System.nanoTime());
    String why = "seed " + seed + " (rerun with -Dmillrace.kafka.killSeed=" + seed + ")";
    Random random = new Random(seed);
    String input = kafka.createTopic("wc-in", PARTITIONS);
    String output = kafka.createTopic("wc-out", 2);
    String group = "wc-" + input;

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
      // Done when the checkpointed progress has read everything and no pending batch has records.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!CheckpointedOffsets.drained(checkpoint, end) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(CheckpointedOffsets.drained(checkpoint, end)).as("all input processed; %s; kills %s\n%s", why, kills, tail(log)).isTrue();
    } finally {
      last.destroyForcibly();
      last.waitFor(30, TimeUnit.SECONDS);
    }

    System.out.println("kill/restart " + why + ": committed input offsets after each kill: " + kills);
    Map<String, Long> counted = new TreeMap<>();
    for (ConsumerRecord<String, String> r : kafka.readAll(output, "read_committed")) {
      counted.merge(r.key(), Long.parseLong(r.value()), Long::sum);
    }
    assertThat(counted).as("word counts read with read_committed; %s; kills %s", why, kills).isEqualTo(expected);
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
        "-cp", System.getProperty("java.class.path"), KafkaWordCountChild.class.getName(),
        kafka.bootstrapServers(), input, Integer.toString(PARTITIONS), output, group, checkpoint.toString(),
        "wc-" + output);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return pb.start();
  }

  /** Waits until the child printed "started" (one more time than before) or died. */
  private static void awaitStarted(Process child, Path log, String why) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int before = STARTS;
    while (System.nanoTime() < deadline) {
      int starts = countStarts(log);
      if (starts > before) {
        STARTS = starts;
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

  private static int STARTS;

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
