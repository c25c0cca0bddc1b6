package dev.millrace.streaming.kafka010.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.internal.config.ConfigKey;
import dev.millrace.internal.config.ConfigKeys;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KafkaConfigKeyProviderTest {
  private static List<String> names(List<ConfigKey<?>> keys) {
    return keys.stream().map(ConfigKey::name).collect(Collectors.toList());
  }

  @Test
  void allKeys_listTheCoreKeysThenTheKafkaKeys_throughTheServiceLoader() {
    List<String> all = names(ConfigKeys.all());
    List<String> core = names(ConfigKeys.core());
    assertThat(all.subList(0, core.size())).isEqualTo(core);
    assertThat(all).containsSubsequence(
        "millrace.streaming.kafka.maxRatePerPartition", "millrace.streaming.kafka.minRatePerPartition",
        "millrace.streaming.kafka.consumer.poll.ms", "millrace.streaming.kafka.allowNonConsecutiveOffsets",
        "millrace.streaming.kafka.offsetOutOfRange");
    assertThat(all).doesNotHaveDuplicates();
    assertThat(ConfigKeys.all().stream().filter(k -> k.name().equals("millrace.streaming.kafka.maxRatePerPartition"))
        .findFirst().orElseThrow().sparkAlias()).isEqualTo("spark.streaming.kafka.maxRatePerPartition");
  }
}
