package dev.millrace.streaming.kafka010;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.api.java.Optional;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaInputDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import java.util.ArrayList;
import java.util.Arrays;
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
 * The program {@link KafkaGetOrCreateKillRestartIT} runs in a child JVM and kills: a running word
 * count ({@code updateStateByKey}) over a direct Kafka stream, writing every batch's full state to
 * a topic with the transactional {@code KafkaSink}, created or recovered with {@code
 * JavaStreamingContext.getOrCreate}.
 *
 * <p>Arguments: bootstrap, input topic, partitions, output topic, group, checkpoint directory,
 * transactional id prefix.
 */
public final class KafkaStatefulWordCountChild {
  private KafkaStatefulWordCountChild() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String input = args[1];
    int partitions = Integer.parseInt(args[2]);
    String output = args[3];
    String group = args[4];
    String checkpoint = args[5];
    String txn = args[6];

    if (dev.millrace.streaming.internal.checkpoint.Checkpointing.readLatest(java.nio.file.Paths.get(checkpoint)) != null) {
      System.out.println("recovering");
    }
    JavaStreamingContext ssc = JavaStreamingContext.getOrCreate(checkpoint, () -> {
      MillraceConf conf = new MillraceConf().setMaster("local[2]").setAppName("KafkaStatefulWordCountChild")
          .set("spark.streaming.kafka.maxRatePerPartition", "375");
      JavaStreamingContext c = new JavaStreamingContext(conf, Durations.milliseconds(200));
      c.checkpoint(checkpoint);

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
      JavaInputDStream<ConsumerRecord<String, String>> lines = KafkaUtils.createDirectStream(c,
          LocationStrategies.PreferConsistent(), ConsumerStrategies.<String, String>Assign(tps, kafkaParams));
      JavaPairDStream<String, Long> counts = lines
          .flatMap(r -> Arrays.asList(r.value().split(" ")).iterator())
          .mapToPair(w -> new Tuple2<>(w, 1L))
          .reduceByKey(Long::sum)
          .updateStateByKey((List<Long> news, Optional<Long> old) -> {
            long sum = old.orElse(0L);
            for (long n : news) {
              sum += n;
            }
            return Optional.of(sum);
          });
      // State every 5 batches: a restart usually recomputes some batches after the newest state
      // checkpoint from their checkpointed offset ranges before re-running the pending ones.
      counts.checkpoint(Durations.seconds(1));

      Map<String, Object> producer = new HashMap<>();
      producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, txn);
      KafkaSink.write(counts.mapValues(String::valueOf), output, producer);
      // A second, slow output: kills often land after the sink committed a batch but before the
      // batch is recorded as complete, so the restart re-runs a batch whose output is in Kafka.
      counts.foreachRDD(rdd -> Thread.sleep(40));
      return c;
    });
    ssc.start();
    System.out.println("started");
    System.out.flush();
    ssc.awaitTermination();
  }
}
