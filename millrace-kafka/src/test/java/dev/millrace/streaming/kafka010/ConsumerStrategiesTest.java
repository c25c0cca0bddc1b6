package dev.millrace.streaming.kafka010;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.streaming.kafka010.internal.KafkaParams;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsumerStrategiesTest {
  @Test
  void driverConsumer_neverAutoCommits_evenWhenAskedTo() {
    assertThat(ConsumerStrategies.driverParams(Map.of("enable.auto.commit", "true", "group.id", "g")))
        .containsEntry("enable.auto.commit", false).containsEntry("group.id", "g");
    assertThat(ConsumerStrategies.driverParams(Map.of())).containsEntry("enable.auto.commit", false);
  }

  @Test
  void readers_getSparksOverrides() {
    Map<String, Object> params = new HashMap<>();
    params.put("group.id", "wordcount");
    params.put("auto.offset.reset", "earliest");
    params.put("enable.auto.commit", true);
    params.put("receive.buffer.bytes", 1024);
    assertThat(KafkaParams.forReaders(params))
        .containsEntry("group.id", "spark-executor-wordcount")
        .containsEntry("auto.offset.reset", "none")
        .containsEntry("enable.auto.commit", false)
        .containsEntry("receive.buffer.bytes", 65536);
    params.put("receive.buffer.bytes", 1 << 20);
    assertThat(KafkaParams.forReaders(params)).containsEntry("receive.buffer.bytes", 1 << 20);
  }

  @Test
  void strategies_areCopiesOfTheirArguments_andRejectNulls() {
    Map<String, Object> params = new HashMap<>(Map.of("group.id", "g"));
    ConsumerStrategy<String, String> s = ConsumerStrategies.Subscribe(List.of("t"), params);
    params.put("group.id", "changed");
    assertThat(s.executorKafkaParams()).containsEntry("group.id", "g");
    assertThrows(NullPointerException.class, () -> ConsumerStrategies.Subscribe(null, params));
    assertThrows(NullPointerException.class, () -> ConsumerStrategies.Assign(List.of(), null));
  }
}
