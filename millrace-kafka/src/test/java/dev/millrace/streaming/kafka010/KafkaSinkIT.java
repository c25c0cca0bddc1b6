package dev.millrace.streaming.kafka010;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.Tuple2;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.kafka010.testing.EmbeddedKafka;
import dev.millrace.streaming.kafka010.testing.KafkaBrokerExtension;
import dev.millrace.testkit.StreamingTestHarness;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Kafka sink against a real single-node KRaft broker. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaSinkIT {
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void broker(EmbeddedKafka broker) {
    kafka = broker;
  }

  private static List<String> values(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(ConsumerRecord::value).collect(Collectors.toList());
  }

  private static List<String> keyValues(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(r -> r.key() + "=" + r.value()).sorted().collect(Collectors.toList());
  }

  @Test
  void atLeastOnce_writesEveryRecordOfEveryBatch() {
    String topic = kafka.createTopic("sink", 1);
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      KafkaSink sink = KafkaSink.write(h.<String>input(List.of(List.of("a", "b"), List.of(), List.of("c"))), topic,
          kafka.producerConfig());
      assertThat(sink.transactional()).isFalse();
      h.runBatches(3);
      sink.close();
    }
    List<String> written = values(kafka.readAll(topic, "read_uncommitted"));
    // Batch 1's two input partitions are sent concurrently; batch 2 comes after batch 1.
    assertThat(written.subList(0, 2)).containsExactlyInAnyOrder("a", "b");
    assertThat(written.subList(2, written.size())).containsExactly("c");
  }

  @Test
  void pairStream_writesKeysAndValues() {
    String topic = kafka.createTopic("sink-pairs", 2);
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      KafkaSink sink = KafkaSink.write(h.pairInput(List.of(List.of(new Tuple2<>("k1", "v1"), new Tuple2<>("k2", "v2")))),
          topic, kafka.producerConfig());
      h.runBatches(1);
      sink.close();
    }
    assertThat(keyValues(kafka.readAll(topic, "read_uncommitted"))).containsExactly("k1=v1", "k2=v2");
  }

  private static Map<String, Object> transactional(String id) {
    Map<String, Object> cfg = kafka.producerConfig();
    cfg.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
    return cfg;
  }

  @Test
  void transactional_aReRunOfABatch_doesNotDuplicateItsOutput_forReadCommittedConsumers() {
    String topic = kafka.createTopic("sink-txn", 1);
    List<List<Tuple2<String, String>>> input = List.of(
        List.of(new Tuple2<>("a", "1"), new Tuple2<>("b", "1")),
        List.of(new Tuple2<>("c", "2")));
    // First run: both batches written and committed.
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      KafkaSink sink = KafkaSink.write(h.pairInput(input), topic, transactional("wc-" + topic));
      assertThat(sink.transactional()).isTrue();
      h.runBatches(2);
      sink.close();
    }
    // A re-run of the same batch times (as recovery would do): nothing is written twice.
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      KafkaSink sink = KafkaSink.write(h.pairInput(input), topic, transactional("wc-" + topic));
      h.runBatches(2);
      sink.close();
    }
    assertThat(keyValues(kafka.readAll(topic, "read_committed"))).containsExactly("a=1", "b=1", "c=2");
  }

  @Test
  void transactional_reRunAfterACrashMidBatch_fencesTheZombie_andCommitsTheBatchOnce() {
    String topic = kafka.createTopic("sink-zombie", 1);
    String prefix = "wc-" + topic;
    // A crashed run left batch 1000 ms half written in an open transaction.
    Map<String, Object> zombieConfig = kafka.producerConfig();
    zombieConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + "-1000");
    KafkaProducer<String, String> zombie = new KafkaProducer<>(zombieConfig);
    try {
      zombie.initTransactions();
      zombie.beginTransaction();
      zombie.send(new ProducerRecord<>(topic, 0, "a", "partial"));
      zombie.flush();

      try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
        KafkaSink sink = KafkaSink.write(h.pairInput(List.of(List.of(new Tuple2<>("a", "1"), new Tuple2<>("b", "1")))),
            topic, transactional(prefix));
        h.runBatches(1);
        sink.close();
      }
      assertThrows(KafkaException.class, zombie::commitTransaction);
    } finally {
      zombie.close(java.time.Duration.ZERO);
    }
    assertThat(keyValues(kafka.readAll(topic, "read_committed"))).containsExactly("a=1", "b=1");
    assertThat(keyValues(kafka.readAll(topic, "read_uncommitted"))).contains("a=partial", "a=1", "b=1");
  }

  @Test
  void missingSerializer_isRejectedAtDefinition() {
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      Map<String, Object> cfg = kafka.producerConfig();
      cfg.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> KafkaSink.write(h.<String>input(List.of()), "t", cfg));
      assertThat(e).hasMessageContaining("value.serializer");
    }
  }
}
