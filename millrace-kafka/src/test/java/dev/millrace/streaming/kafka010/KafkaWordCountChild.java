package dev.millrace.streaming.kafka010;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaInputDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The program {@link KafkaKillRestartIT} runs in a child JVM and kills: a Kafka-in, Kafka-out word
 * count (direct stream, {@code read_committed}, checkpoint directory, transactional sink).
 *
 * <p>Arguments: bootstrap, input topic, partitions, output topic, group, checkpoint directory,
 * transactional id prefix.
 */
public final class KafkaWordCountChild {
  private KafkaWordCountChild() {}

  public static void main(String[] args) throws Exception {
    KillRestartChildArgs a = KillRestartChildArgs.parse(args);
    String checkpoint = a.checkpoint();

    MillraceConf conf = new MillraceConf().setMaster("local[2]").setAppName("KafkaWordCountChild")
        .set("spark.streaming.kafka.maxRatePerPartition", "250");
    JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.milliseconds(200));
    ssc.checkpoint(checkpoint);

    JavaInputDStream<ConsumerRecord<String, String>> lines = a.lines(ssc);
    JavaPairDStream<String, String> counts = lines
        .flatMap(r -> Arrays.asList(r.value().split(" ")).iterator())
        .mapToPair(w -> new Tuple2<>(w, 1L))
        .reduceByKey(Long::sum)
        .mapValues(String::valueOf);

    KafkaSink.write(counts, a.output(), a.producerConfig());
    // A second, slow output: the batch completes well after the sink committed, so kills often land
    // between the two, where a batch is written but not yet recorded as complete.
    counts.foreachRDD(rdd -> Thread.sleep(120));

    ssc.start();
    System.out.println("started");
    System.out.flush();
    ssc.awaitTermination();
  }
}
