package dev.millrace.streaming.kafka010;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.MillraceConf;
import dev.millrace.MillraceException;
import dev.millrace.api.java.JavaMillraceContext;
import dev.millrace.internal.rdd.ComputesAnywhere;
import dev.millrace.internal.rdd.PlanNodes;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.kafka010.testing.EmbeddedKafka;
import dev.millrace.streaming.kafka010.testing.KafkaBrokerExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A batch of Kafka records is computed where a cluster runtime ships it: the serialized dataset
 * alone (no driver, no consumer pool) reads each offset range with a consumer it makes from the
 * parameters it carries, honouring the poll timeout and {@code allowNonConsecutiveOffsets} it was
 * built with. Against a real broker.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaRDDElsewhereIT {
  private static EmbeddedKafka kafka;
  private static String topic;
  private JavaMillraceContext jsc;

  @BeforeAll
  static void topic(EmbeddedKafka broker) {
    kafka = broker;
    topic = kafka.createTopic("elsewhere", 3);
    for (int p = 0; p < 3; p++) {
      int partition = p;
      kafka.produce(topic, p, IntStream.range(0, 5).mapToObj(i -> "p" + partition + "-" + i).collect(Collectors.toList()));
    }
  }

  private JavaMillraceContext context(String... settings) {
    MillraceConf conf = new MillraceConf(false).setMaster("local[2]").setAppName("kafka-elsewhere");
    for (int i = 0; i < settings.length; i += 2) {
      conf.set(settings[i], settings[i + 1]);
    }
    jsc = new JavaMillraceContext(conf);
    return jsc;
  }

  @org.junit.jupiter.api.AfterEach
  void stop() {
    if (jsc != null) {
      jsc.stop();
    }
  }

  private static Object shipped(Object o) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    }
  }

  private static List<String> values(Iterator<?> records) {
    List<String> out = new ArrayList<>();
    records.forEachRemaining(r -> out.add(String.valueOf(((ConsumerRecord<?, ?>) r).value())));
    return out;
  }

  @Test
  void aShippedBatch_readsEachRangeOnItsOwn_withTheRecordsTheDriverWouldRead() throws Exception {
    OffsetRange[] ranges = {OffsetRange.create(topic, 0, 1, 4), OffsetRange.create(topic, 1, 0, 5),
        OffsetRange.create(topic, 2, 3, 3)};
    RDD<ConsumerRecord<String, String>> rdd = KafkaUtils.<String, String>createRDD(context(),
        kafka.consumerConfig("elsewhere"), ranges, LocationStrategies.PreferConsistent()).rdd();
    assertThat(PlanNodes.computesAnywhere(rdd)).isTrue();
    List<String> onDriver = values(rdd.collect().iterator());

    List<String> elsewhere = new ArrayList<>();
    for (int p = 0; p < ranges.length; p++) {
      // One copy per task, as an executor deserializes it; nothing of the driver comes along.
      ComputesAnywhere copy = (ComputesAnywhere) shipped(rdd);
      List<String> reports = new ArrayList<>();
      elsewhere.addAll(values(copy.computeRemotely(p, reports::add)));
      assertThat(reports).isEmpty();
    }
    assertThat(elsewhere).containsExactly("p0-1", "p0-2", "p0-3", "p1-0", "p1-1", "p1-2", "p1-3", "p1-4");
    assertThat(elsewhere).isEqualTo(onDriver);
  }

  @Test
  void aShippedBatch_keepsThePollTimeoutAndTheOffsetRule() throws Exception {
    // Offsets 5..7 of partition 0 do not exist yet: the range cannot be read within the poll timeout.
    OffsetRange[] missing = {OffsetRange.create(topic, 0, 4, 7)};
    RDD<ConsumerRecord<String, String>> consecutive = KafkaUtils.<String, String>createRDD(
        context("spark.streaming.kafka.consumer.poll.ms", "321"), kafka.consumerConfig("elsewhere"), missing,
        LocationStrategies.PreferConsistent()).rdd();
    ComputesAnywhere copy = (ComputesAnywhere) shipped(consecutive);
    MillraceException e = assertThrows(MillraceException.class, () -> values(copy.computeRemotely(0, r -> {})));
    assertThat(e).hasMessageContaining("after polling for 321 ms").hasMessageContaining(topic + " 0 5");
    jsc.stop();

    RDD<ConsumerRecord<String, String>> gaps = KafkaUtils.<String, String>createRDD(
        context("spark.streaming.kafka.consumer.poll.ms", "321", "spark.streaming.kafka.allowNonConsecutiveOffsets",
            "true"), kafka.consumerConfig("elsewhere"), missing, LocationStrategies.PreferConsistent()).rdd();
    ComputesAnywhere gapsCopy = (ComputesAnywhere) shipped(gaps);
    MillraceException e2 = assertThrows(MillraceException.class, () -> values(gapsCopy.computeRemotely(0, r -> {})));
    // The non-consecutive reader reads up to the end of the log and then fails on the missing offsets.
    assertThat(e2).hasMessageContaining("Failed to get records for compacted").hasMessageContaining("at offset 5");
  }
}
