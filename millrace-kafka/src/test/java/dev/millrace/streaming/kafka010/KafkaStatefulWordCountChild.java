package dev.millrace.streaming.kafka010;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.api.java.Optional;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaInputDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

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
    KillRestartChildArgs a = KillRestartChildArgs.parse(args);
    String checkpoint = a.checkpoint();

    if (dev.millrace.streaming.internal.checkpoint.Checkpointing.readLatest(java.nio.file.Paths.get(checkpoint)) != null) {
      System.out.println("recovering");
    }
    JavaStreamingContext ssc = JavaStreamingContext.getOrCreate(checkpoint, () -> {
      MillraceConf conf = new MillraceConf().setMaster("local[2]").setAppName("KafkaStatefulWordCountChild")
          .set("spark.streaming.kafka.maxRatePerPartition", "375");
      JavaStreamingContext c = new JavaStreamingContext(conf, Durations.milliseconds(200));
      c.checkpoint(checkpoint);

      JavaInputDStream<ConsumerRecord<String, String>> lines = a.lines(c);
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

      KafkaSink.write(counts.mapValues(String::valueOf), a.output(), a.producerConfig());
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
