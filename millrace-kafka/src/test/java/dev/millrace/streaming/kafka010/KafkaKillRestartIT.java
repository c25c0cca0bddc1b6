package dev.millrace.streaming.kafka010;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.streaming.kafka010.testing.EmbeddedKafka;
import dev.millrace.streaming.kafka010.testing.KafkaBrokerExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
  private static final int CYCLES = 10;

  @Test
  void killedAtSeededMomentsAndRestarted_countsEveryInputWordExactlyOnce(EmbeddedKafka kafka, @TempDir Path dir)
      throws Exception {
    KillRestartRun run = new KillRestartRun(kafka, dir, "wc", KafkaWordCountChild.class);
    run.killAtSeededMoments(CYCLES);
    // Done when the checkpointed progress has read everything and no pending batch has records.
    run.runUntilDrained();

    Map<String, Long> counted = new TreeMap<>();
    for (ConsumerRecord<String, String> r : kafka.readAll(run.output, "read_committed")) {
      counted.merge(r.key(), Long.parseLong(r.value()), Long::sum);
    }
    assertThat(counted).as("word counts read with read_committed; %s; kills %s", run.why, run.kills)
        .isEqualTo(run.expected);
    assertThat(run.committed()).as("input offsets committed with the output; %s", run.why).isEqualTo(run.end);
  }
}
