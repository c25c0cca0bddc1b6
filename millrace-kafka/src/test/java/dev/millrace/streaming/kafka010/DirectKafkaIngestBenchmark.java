package dev.millrace.streaming.kafka010;

import dev.millrace.MillraceConf;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaInputDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import dev.millrace.streaming.kafka010.testing.EmbeddedKafka;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sustained ingest of the direct Kafka stream: a backlog of records in a 3-partition topic on a
 * local single-node KRaft broker (in this JVM, or an external one), read by a direct stream with
 * 1 s batches (each reading at most {@code maxRatePerPartition} records per partition) whose output
 * counts records and value bytes. Prints each batch and the sustained rate: records read per
 * second of batch processing, summed over all non-empty batches (reading from Kafka is the whole
 * work of a batch here).
 *
 * <p>Run (from the repository root):
 *
 * <pre>
 * mvn -q -o -pl millrace-kafka -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/kafka-cp.txt -Dmdep.includeScope=test
 * java -Xmx1g -cp millrace-kafka/target/test-classes:millrace-kafka/target/classes:millrace-core/target/classes:$(cat /tmp/kafka-cp.txt) \
 *     dev.millrace.streaming.kafka010.DirectKafkaIngestBenchmark [records=3000000] [valueBytes=100] [maxRatePerPartition=200000] [bootstrap]
 * </pre>
 */
public final class DirectKafkaIngestBenchmark {
  private DirectKafkaIngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    long records = args.length > 0 ? Long.parseLong(args[0]) : 3_000_000L;
    int valueBytes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    long maxRate = args.length > 2 ? Long.parseLong(args[2]) : 200_000L;
    EmbeddedKafka broker = null;
    String bootstrap;
    if (args.length > 3) {
      bootstrap = args[3];
    } else {
      broker = EmbeddedKafka.start();
      bootstrap = broker.bootstrapServers();
    }
    try {
      run(bootstrap, broker, records, valueBytes, maxRate);
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  private static void run(String bootstrap, EmbeddedKafka broker, long records, int valueBytes, long maxRate)
      throws Exception {
    String topic = "ingest-" + System.nanoTime();
    if (broker != null) {
      topic = broker.createTopic("ingest", 3);
    } else {
      try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 3, (short) 1))).all().get();
      }
    }
    byte[] value = new byte[valueBytes];
    Arrays.fill(value, (byte) 'x');
    long t0 = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
        ProducerConfig.LINGER_MS_CONFIG, 20,
        ProducerConfig.ACKS_CONFIG, "1"))) {
      for (long i = 0; i < records; i++) {
        p.send(new ProducerRecord<>(topic, (int) (i % 3), null, value));
      }
      p.flush();
    }
    double produceS = (System.nanoTime() - t0) / 1e9;
    System.out.printf("produced %,d records of %d value bytes in %.1f s%n", records, valueBytes, produceS);

    MillraceConf conf = new MillraceConf().setMaster("local[2]").setAppName("DirectKafkaIngestBenchmark")
        .set("spark.streaming.kafka.maxRatePerPartition", Long.toString(maxRate));
    JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.seconds(1));
    Map<String, Object> params = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.GROUP_ID_CONFIG, "bench-" + topic,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
        ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 50 * 1024 * 1024,
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    JavaInputDStream<ConsumerRecord<byte[], byte[]>> stream = KafkaUtils.createDirectStream(ssc,
        LocationStrategies.PreferConsistent(), ConsumerStrategies.<byte[], byte[]>Subscribe(List.of(topic), params));
    AtomicLong total = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    List<long[]> batches = new ArrayList<>();
    stream.foreachRDD((rdd, time) -> {
      long start = System.nanoTime();
      List<long[]> parts = rdd.rdd().context().runtime().runJob(rdd.rdd(), (p, it) -> {
        long n = 0;
        long bytes = 0;
        while (it.hasNext()) {
          ConsumerRecord<byte[], byte[]> r = it.next();
          n++;
          bytes += r.serializedValueSize() + Math.max(0, r.serializedKeySize());
        }
        return new long[] {n, bytes};
      }, rdd.rdd().allPartitions());
      long n = 0;
      long bytes = 0;
      for (long[] p : parts) {
        n += p[0];
        bytes += p[1];
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      synchronized (batches) {
        batches.add(new long[] {time.milliseconds(), n, bytes, ms});
      }
      System.out.printf("batch %d: %,d records, %.1f MB, processed in %d ms%n", time.milliseconds(), n,
          bytes / 1e6, ms);
      if (total.addAndGet(n) >= records) {
        done.countDown();
      }
    });
    long s0 = System.nanoTime();
    ssc.start();
    if (!done.await(10, TimeUnit.MINUTES)) {
      System.out.println("timed out");
    }
    double wallS = (System.nanoTime() - s0) / 1e9;
    ssc.stop(true, false);

    long sumRecords = 0;
    long sumBytes = 0;
    long sumMs = 0;
    int nonEmpty = 0;
    synchronized (batches) {
      for (long[] b : batches) {
        if (b[1] > 0) {
          nonEmpty++;
          sumRecords += b[1];
          sumBytes += b[2];
          sumMs += b[3];
        }
      }
    }
    System.out.printf("%nread %,d records in %.1f s wall (start to last batch)%n", total.get(), wallS);
    System.out.printf("| batches | records | MB | processing s | records/s | MB/s |%n|---|---|---|---|---|---|%n"
        + "| %d | %,d | %.1f | %.2f | %,.0f | %.1f |%n", nonEmpty, sumRecords, sumBytes / 1e6, sumMs / 1000.0,
        sumRecords / (sumMs / 1000.0), sumBytes / 1e6 / (sumMs / 1000.0));
  }
}
