package dev.millrace.streaming.kafka010;

import dev.millrace.streaming.api.java.JavaInputDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What {@link KillRestartRun} passes to a child job, and the Kafka input and transactional output
 * every such child uses: the input's partitions assigned, read {@code read_committed} from the
 * earliest offset without auto-commit, the output written with the given transactional id.
 */
record KillRestartChildArgs(String bootstrap, String input, int partitions, String output, String group,
    String checkpoint, String transactionalId) {
  static KillRestartChildArgs parse(String[] args) {
    return new KillRestartChildArgs(args[0], args[1], Integer.parseInt(args[2]), args[3], args[4], args[5], args[6]);
  }

  /** The direct stream of the input topic's lines. */
  JavaInputDStream<ConsumerRecord<String, String>> lines(JavaStreamingContext ssc) {
    Map<String, Object> kafkaParams = new HashMap<>();
    kafkaParams.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    kafkaParams.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    kafkaParams.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    kafkaParams.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    kafkaParams.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    kafkaParams.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    kafkaParams.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      tps.add(new TopicPartition(input, p));
    }
    return KafkaUtils.createDirectStream(ssc, LocationStrategies.PreferConsistent(),
        ConsumerStrategies.<String, String>Assign(tps, kafkaParams));
  }

  /** The transactional producer configuration of the output sink. */
  Map<String, Object> producerConfig() {
    Map<String, Object> producer = new HashMap<>();
    producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return producer;
  }
}
