package dev.millrace.streaming.kafka010;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.streaming.kafka010.testing.EmbeddedKafka;
import dev.millrace.streaming.kafka010.testing.KafkaBrokerExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
  private static final int CYCLES = 10;

  @Test
  void killedAtSeededMomentsAndRecoveredWithGetOrCreate_runningCountsEqualTheInputExactly(EmbeddedKafka kafka,
      @TempDir Path dir) throws Exception {
    KillRestartRun run = new KillRestartRun(kafka, dir, "state", KafkaStatefulWordCountChild.class);
    run.killAtSeededMoments(CYCLES);
    run.runUntilDrained();
    long recoveries = run.logLines().stream().filter("recovering"::equals).count();
    assertThat(recoveries).as("starts that recovered from a checkpoint; %s", run.why)
        .isGreaterThanOrEqualTo(CYCLES / 2);

    Map<String, Long> newest = new TreeMap<>();
    List<String> decreases = new ArrayList<>();
    for (ConsumerRecord<String, String> r : kafka.readAll(run.output, "read_committed")) {
      long count = Long.parseLong(r.value());
      Long before = newest.put(r.key(), count);
      if (before != null && before > count) {
        decreases.add(r.key() + ": " + before + " then " + count + " (partition " + r.partition() + " offset "
            + r.offset() + ")");
      }
    }
    assertThat(decreases).as("running counts never go down; %s; kills %s", run.why, run.kills).isEmpty();
    assertThat(newest).as("newest running counts read with read_committed; %s; kills %s", run.why, run.kills)
        .isEqualTo(run.expected);
    assertThat(run.committed()).as("input offsets committed with the output; %s", run.why).isEqualTo(run.end);
  }
}
