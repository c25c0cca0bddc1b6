package dev.millrace.streaming.kafka010;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaInputDStream;
import dev.millrace.streaming.internal.scheduler.rate.RateController;
import dev.millrace.streaming.kafka010.internal.DirectKafkaInputDStream;
import dev.millrace.streaming.kafka010.testing.EmbeddedKafka;
import dev.millrace.streaming.kafka010.testing.KafkaBrokerExtension;
import dev.millrace.streaming.scheduler.StreamingListener;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import dev.millrace.testkit.StreamingTestHarness;
import dev.millrace.util.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Backpressure of the direct stream against a real broker: a backlog of 12,000 records (6 s of
 * work) in front of a job that processes 2 records per ms of the manual clock, with 1 s batches.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DirectKafkaBackpressureIT {
  private static final int[] BACKLOG = {6000, 4000, 2000};
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void broker(EmbeddedKafka broker) {
    kafka = broker;
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  void backlogFarLargerThanABatch_withBackpressure_batchesFollowTheEstimateSplitByLag() {
    String topic = kafka.createTopic("backpressure", 3);
    for (int p = 0; p < 3; p++) {
      int partition = p;
      kafka.produce(topic, p, IntStream.range(0, BACKLOG[p]).mapToObj(i -> partition + "-" + i)
          .collect(Collectors.toList()));
    }
    try (StreamingTestHarness h = StreamingTestHarness.builder(Durations.seconds(1))
        .set("spark.streaming.backpressure.enabled", "true")
        .set("spark.streaming.backpressure.initialRate", "500").build()) {
      ManualClock clock = h.clock();
      JavaInputDStream<ConsumerRecord<String, String>> stream = KafkaUtils.createDirectStream(h.context(),
          LocationStrategies.PreferConsistent(),
          ConsumerStrategies.<String, String>Subscribe(List.of(topic), kafka.consumerConfig("g-backpressure")));
      DirectKafkaInputDStream<?, ?> direct = (DirectKafkaInputDStream<?, ?>) stream.inputDStream();
      List<long[]> counts = new CopyOnWriteArrayList<>();
      stream.foreachRDD(rdd -> {
        OffsetRange[] ranges = ((HasOffsetRanges) rdd.rdd()).offsetRanges();
        long records = rdd.count();
        long[] perPartition = new long[ranges.length];
        for (int i = 0; i < ranges.length; i++) {
          perPartition[i] = ranges[i].count();
        }
        assertThat(records).isEqualTo(perPartition[0] + perPartition[1] + perPartition[2]);
        counts.add(perPartition);
        clock.advance(records / 2); // the job's cost: 2 records per ms
      });
      h.start();
      // Registered after the stream's rate controller, so it hears of a batch after the controller.
      AtomicInteger heard = new AtomicInteger();
      h.context().addStreamingListener(new StreamingListener() {
        @Override
        public void onBatchCompleted(StreamingListenerBatchCompleted e) {
          heard.incrementAndGet();
        }
      });
      RateController controller = (RateController) direct.ingestionRate();

      List<OptionalDouble> estimateBefore = new ArrayList<>();
      long read = 0;
      for (int k = 1; read < 12_000; k++) {
        assertThat(k).as("batches to drain the backlog").isLessThanOrEqualTo(10);
        estimateBefore.add(controller.latestEstimate());
        h.runBatches(1);
        int batch = k;
        await(() -> heard.get() >= batch, "the controller to hear of batch " + k);
        long[] c = counts.get(k - 1);
        read += c[0] + c[1] + c[2];
        assertThat(direct.lag()).hasValue(12_000 - read);
      }

      // Batch 1: initialRate 500/s split by lag 6000:4000:2000 -> 250, 166.67, 83.33, truncated.
      assertThat(counts.get(0)).containsExactly(250, 166, 83);
      // Batch 2: still no estimate (the PID needs two batches); lags 5750:3834:1917 of 11501.
      assertThat(estimateBefore.get(1)).isEmpty();
      assertThat(counts.get(1)).containsExactly(249, 166, 83);
      // After batch 2 the estimate is the processing rate: 498 records in 249 ms = 2000/s.
      assertThat(estimateBefore.get(2).orElseThrow()).isCloseTo(2000.0, org.assertj.core.data.Offset.offset(0.01));
      // From then on each batch is Spark's maxMessagesPerPartition of the estimate published before it.
      long[] remaining = {BACKLOG[0], BACKLOG[1], BACKLOG[2]};
      for (int k = 1; k <= counts.size(); k++) {
        long[] c = counts.get(k - 1);
        if (k >= 3) {
          double rate = estimateBefore.get(k - 1).orElseThrow();
          double totalLag = remaining[0] + remaining[1] + remaining[2];
          for (int p = 0; p < 3; p++) {
            long expected = Math.min(remaining[p], Math.max((long) (remaining[p] / totalLag * rate), 1));
            assertThat(c[p]).as("batch %d partition %d", k, p).isEqualTo(expected);
          }
          assertThat(c[0] + c[1] + c[2]).as("batch %d", k).isLessThanOrEqualTo((long) Math.ceil(rate));
        }
        for (int p = 0; p < 3; p++) {
          remaining[p] -= c[p];
        }
      }
      StringBuilder series = new StringBuilder("batch\testimate_before\tp0\tp1\tp2\ttotal\n");
      for (int k = 1; k <= counts.size(); k++) {
        long[] c = counts.get(k - 1);
        OptionalDouble e = estimateBefore.get(k - 1);
        series.append(k).append('\t').append(e.isPresent() ? String.format(java.util.Locale.ROOT, "%.1f", e.getAsDouble())
            : "-").append('\t').append(c[0]).append('\t').append(c[1]).append('\t').append(c[2]).append('\t')
            .append(c[0] + c[1] + c[2]).append('\n');
      }
      try {
        java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "backpressure-kafka.tsv"), series);
      } catch (java.io.IOException ex) {
        throw new java.io.UncheckedIOException(ex);
      }
      // Nothing lost, nothing twice; and no batch came near the 12,000 a batch without backpressure takes.
      assertThat(remaining).containsExactly(0, 0, 0);
      assertThat(counts).allSatisfy(c -> assertThat(c[0] + c[1] + c[2]).isLessThanOrEqualTo(2100));
      assertThat(counts.size()).isGreaterThanOrEqualTo(7);
    }
  }
}
