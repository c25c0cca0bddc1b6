package dev.millrace.streaming.kafka010;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.streaming.kafka010.testing.EmbeddedKafka;
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
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One seeded kill-and-restart run of a Kafka word count in child JVMs: writes random lines to a
 * 3-partition input topic (remembering each word's count), starts the child job (a class taking
 * {@code bootstrap input partitions output group checkpoint transactionalIdPrefix} and printing
 * {@code started} once it runs), SIGKILLs it at seeded moments, then lets a last child run until the
 * checkpointed progress has read the whole topic. The seed comes from {@code
 * -Dmillrace.kafka.killSeed} or the clock and is named in every failure.
 */
final class KillRestartRun {
  static final int PARTITIONS = 3;
  private static final int LINES = 4500;

  final String why;
  final String input;
  final String output;
  final String group;
  final Path checkpoint;
  final Path log;
  final Map<String, Long> expected = new TreeMap<>();
  final Map<TopicPartition, Long> end = new HashMap<>();
  final List<String> kills = new ArrayList<>();
  private final EmbeddedKafka kafka;
  private final Class<?> child;
  private final Random random;
  private int starts;

  KillRestartRun(EmbeddedKafka kafka, Path dir, String prefix, Class<?> child) throws Exception {
    long seed = Long.getLong("millrace.kafka.killSeed", System.nanoTime());
    this.why = "seed " + seed + " (rerun with -Dmillrace.kafka.killSeed=" + seed + ")";
    System.out.println(child.getSimpleName() + " kill/restart " + why);
    this.kafka = kafka;
    this.child = child;
    this.random = new Random(seed);
    this.input = kafka.createTopic(prefix + "-in", PARTITIONS);
    this.output = kafka.createTopic(prefix + "-out", 2);
    this.group = prefix + "-" + input;
    this.checkpoint = dir.resolve("checkpoint");
    this.log = dir.resolve("child.log");
    produceInput();
  }

  private void produceInput() {
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
    for (int p = 0; p < PARTITIONS; p++) {
      end.put(new TopicPartition(input, p), (long) (LINES / PARTITIONS));
    }
  }

  /** Starts a child, lets it run 100–1,500 ms after it started, kills it; {@code cycles} times. */
  void killAtSeededMoments(int cycles) throws Exception {
    for (int cycle = 0; cycle < cycles; cycle++) {
      Process p = startChild();
      awaitStarted(p);
      long runMs = 100 + random.nextInt(1400);
      Thread.sleep(runMs);
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      kills.add(runMs + "ms->" + committed());
    }
  }

  /** Runs a last child until the checkpointed progress has read the whole input (at most 60 s). */
  void runUntilDrained() throws Exception {
    Process last = startChild();
    try {
      awaitStarted(last);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!CheckpointedOffsets.drained(checkpoint, end) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(CheckpointedOffsets.drained(checkpoint, end)).as("all input processed; %s; kills %s\n%s", why,
          kills, tail()).isTrue();
    } finally {
      last.destroyForcibly();
      last.waitFor(30, TimeUnit.SECONDS);
    }
    System.out.println(child.getSimpleName() + " " + why + ": committed input offsets after each kill: " + kills);
  }

  /** The group's committed input offsets. */
  Map<TopicPartition, Long> committed() throws Exception {
    Map<TopicPartition, Long> out = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> m =
        kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    m.forEach((tp, om) -> out.put(tp, om.offset()));
    return out;
  }

  /** The children's log lines. */
  List<String> logLines() throws IOException {
    return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
  }

  private Process startChild() throws IOException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), child.getName(),
        kafka.bootstrapServers(), input, Integer.toString(PARTITIONS), output, group, checkpoint.toString(),
        "tx-" + output);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return pb.start();
  }

  /** Waits until the child printed "started" (one more time than before) or died. */
  private void awaitStarted(Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      int now = (int) logLines().stream().filter("started"::equals).count();
      if (now > starts) {
        starts = now;
        return;
      }
      if (!p.isAlive()) {
        throw new AssertionError("child exited with " + p.exitValue() + " before starting; " + why + "\n" + tail());
      }
      Thread.sleep(20);
    }
    throw new AssertionError("child did not start within 60 s; " + why + "\n" + tail());
  }

  /** The last 40 lines of the children's log. */
  String tail() throws IOException {
    List<String> lines = logLines();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
