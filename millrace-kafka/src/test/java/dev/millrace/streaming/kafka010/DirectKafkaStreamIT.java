package dev.millrace.streaming.kafka010;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.MillraceException;
import dev.millrace.api.java.JavaRDD;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Durations;
import dev.millrace.Tuple2;
import dev.millrace.streaming.api.java.JavaInputDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.internal.checkpoint.Checkpointing;
import dev.millrace.streaming.internal.checkpoint.MetadataCheckpoint;
import dev.millrace.streaming.kafka010.internal.KafkaOffsetsProgress;
import dev.millrace.streaming.kafka010.internal.DirectKafkaInputDStream;
import dev.millrace.streaming.kafka010.testing.EmbeddedKafka;
import dev.millrace.streaming.kafka010.testing.KafkaBrokerExtension;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import dev.millrace.streaming.scheduler.StreamingListener;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The direct stream against a real single-node KRaft broker. */
@ExtendWith(KafkaBrokerExtension.class)
class DirectKafkaStreamIT {
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void broker(EmbeddedKafka broker) {
    kafka = broker;
  }

  private static List<String> values(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + i).collect(Collectors.toList());
  }

  private static StreamingTestHarness harness(Duration batch, String... settings) {
    StreamingTestHarness.Builder b = StreamingTestHarness.builder(batch);
    for (int i = 0; i < settings.length; i += 2) {
      b.set(settings[i], settings[i + 1]);
    }
    return b.build();
  }

  private static JavaInputDStream<ConsumerRecord<String, String>> subscribe(StreamingTestHarness h, String topic,
      String group) {
    return KafkaUtils.createDirectStream(h.context(), LocationStrategies.PreferConsistent(),
        ConsumerStrategies.<String, String>Subscribe(List.of(topic), kafka.consumerConfig(group)));
  }

  /** Captures each batch's input info of every stream, delivered by the listener bus. */
  private static final class InputInfos implements StreamingListener {
    final BlockingQueue<Map<Integer, StreamInputInfo>> batches = new LinkedBlockingQueue<>();

    @Override
    public void onBatchCompleted(StreamingListenerBatchCompleted e) {
      batches.add(e.batchInfo().streamIdToInputInfo());
    }

    StreamInputInfo next(int streamId) throws InterruptedException {
      Map<Integer, StreamInputInfo> m = batches.poll(20, TimeUnit.SECONDS);
      assertThat(m).as("a completed batch").isNotNull();
      return m.get(streamId);
    }
  }

  private static List<OffsetRange> ranges(String topic, long[][] fromUntil) {
    List<OffsetRange> out = new ArrayList<>();
    for (int p = 0; p < fromUntil.length; p++) {
      out.add(OffsetRange.create(topic, p, fromUntil[p][0], fromUntil[p][1]));
    }
    return out;
  }

  @Test
  void threePartitions_eachBatchHasOnePartitionPerKafkaPartition_andReadsEachRecordOnce() throws Exception {
    String topic = kafka.createTopic("three", 3);
    for (int p = 0; p < 3; p++) {
      kafka.produce(topic, p, values("p" + p + "-", 10));
    }
    try (StreamingTestHarness h = harness(Durations.seconds(1))) {
      JavaInputDStream<ConsumerRecord<String, String>> stream = subscribe(h, topic, "g-three");
      List<List<OffsetRange>> seenRanges = new CopyOnWriteArrayList<>();
      List<Integer> partitions = new CopyOnWriteArrayList<>();
      stream.foreachRDD(rdd -> {
        seenRanges.add(List.of(((HasOffsetRanges) rdd.rdd()).offsetRanges()));
        partitions.add(rdd.getNumPartitions());
      });
      BatchCollector<String> out = h.collect(stream.map(ConsumerRecord::value));
      h.runBatches(1);
      kafka.produce(topic, 1, values("late-", 5));
      h.runBatches(2);

      List<String> expectedFirst = new ArrayList<>();
      for (int p = 0; p < 3; p++) {
        expectedFirst.addAll(values("p" + p + "-", 10));
      }
      assertThat(out.batch(1)).containsExactlyElementsOf(expectedFirst);
      assertThat(out.batch(2)).containsExactlyElementsOf(values("late-", 5));
      assertThat(out.batch(3)).isEmpty();
      assertThat(partitions).containsExactly(3, 3, 3);
      assertThat(seenRanges.get(0)).containsExactlyElementsOf(ranges(topic, new long[][] {{0, 10}, {0, 10}, {0, 10}}));
      assertThat(seenRanges.get(1)).containsExactlyElementsOf(ranges(topic, new long[][] {{10, 10}, {10, 15}, {10, 10}}));
    }
  }

  @Test
  void maxRatePerPartition_limitsEachPartitionPerBatch_andLagIsReported() throws Exception {
    String topic = kafka.createTopic("rate", 3);
    kafka.produce(topic, 0, values("a", 10));
    kafka.produce(topic, 1, values("b", 3));
    try (StreamingTestHarness h = harness(Durations.seconds(1), "spark.streaming.kafka.maxRatePerPartition", "4")) {
      InputInfos infos = new InputInfos();
      h.context().addStreamingListener(infos);
      JavaInputDStream<ConsumerRecord<String, String>> stream = subscribe(h, topic, "g-rate");
      int id = stream.inputDStream().id();
      BatchCollector<String> out = h.collect(stream.map(ConsumerRecord::value));
      h.runBatches(3);

      // 1 s x 4 records/s = 4 records per partition per batch.
      assertThat(out.batch(1)).containsExactly("a0", "a1", "a2", "a3", "b0", "b1", "b2");
      assertThat(out.batch(2)).containsExactly("a4", "a5", "a6", "a7");
      assertThat(out.batch(3)).containsExactly("a8", "a9");

      StreamInputInfo first = infos.next(id);
      assertThat(first.numRecords()).isEqualTo(7);
      assertThat(first.metadata().get(DirectKafkaInputDStream.METADATA_OFFSETS))
          .isEqualTo(ranges(topic, new long[][] {{0, 4}, {0, 3}, {0, 0}}));
      assertThat(first.metadata().get(DirectKafkaInputDStream.METADATA_LAG)).isEqualTo(Map.of(
          new TopicPartition(topic, 0), 6L, new TopicPartition(topic, 1), 0L, new TopicPartition(topic, 2), 0L));
      assertThat(first.metadataDescription()).contains(
          "topic: " + topic + "\tpartition: 0\toffsets: 0 to 4\tcount: 4\n"
              + "topic: " + topic + "\tpartition: 1\toffsets: 0 to 3\tcount: 3");
      StreamInputInfo second = infos.next(id);
      assertThat(((Map<?, ?>) second.metadata().get(DirectKafkaInputDStream.METADATA_LAG))
          .get(new TopicPartition(topic, 0))).isEqualTo(2L);
    }
  }

  @Test
  void perPartitionConfig_givesEachPartitionItsOwnLimit_withTheMinimumPerBatch() {
    String topic = kafka.createTopic("ppc", 2);
    kafka.produce(topic, 0, values("a", 5));
    kafka.produce(topic, 1, values("b", 5));
    PerPartitionConfig ppc = new PerPartitionConfig() {
      private static final long serialVersionUID = 1L;

      @Override
      public long maxRatePerPartition(TopicPartition tp) {
        return tp.partition() == 0 ? 1 : 5;
      }
    };
    try (StreamingTestHarness h = harness(Durations.milliseconds(500))) {
      JavaInputDStream<ConsumerRecord<String, String>> stream = KafkaUtils.createDirectStream(h.context(),
          LocationStrategies.PreferConsistent(),
          ConsumerStrategies.<String, String>Subscribe(List.of(topic), kafka.consumerConfig("g-ppc")), ppc);
      BatchCollector<String> out = h.collect(stream.map(ConsumerRecord::value));
      h.runBatches(2);
      // Partition 0: max((long) (0.5 s x 1/s), 1) = 1; partition 1: (long) (0.5 s x 5/s) = 2.
      assertThat(out.batch(1)).containsExactly("a0", "b0", "b1");
      assertThat(out.batch(2)).containsExactly("a1", "b2", "b3");
    }
  }

  @Test
  void commitAsync_isVisibleInTheGroupsCommittedOffsets_afterTheNextBatch_andAtStop() throws Exception {
    String topic = kafka.createTopic("commit", 3);
    for (int p = 0; p < 3; p++) {
      kafka.produce(topic, p, values("x", p + 1));
    }
    String group = "g-commit";
    CountDownLatch committed = new CountDownLatch(1);
    List<Map<TopicPartition, OffsetAndMetadata>> callbacks = new CopyOnWriteArrayList<>();
    try (StreamingTestHarness h = harness(Durations.seconds(1))) {
      JavaInputDStream<ConsumerRecord<String, String>> stream = subscribe(h, topic, group);
      stream.foreachRDD(rdd -> {
        OffsetRange[] ranges = ((HasOffsetRanges) rdd.rdd()).offsetRanges();
        rdd.count();
        ((CanCommitOffsets) stream.inputDStream()).commitAsync(ranges, (offsets, e) -> {
          if (e == null) {
            callbacks.add(offsets);
            committed.countDown();
          }
        });
      });
      h.runBatches(1);
      assertThat(committedOffsets(group)).isEmpty();
      kafka.produce(topic, 0, values("y", 4));
      h.runBatches(1);
      // Queued by batch 1's output, sent when batch 2 was generated.
      assertThat(awaitCommitted(group, Map.of(
          new TopicPartition(topic, 0), 1L, new TopicPartition(topic, 1), 2L, new TopicPartition(topic, 2), 3L)))
          .isTrue();
    }
    // Stopping commits what the second batch queued.
    assertThat(committedOffsets(group)).isEqualTo(Map.of(
        new TopicPartition(topic, 0), 5L, new TopicPartition(topic, 1), 2L, new TopicPartition(topic, 2), 3L));
    assertThat(committed.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(callbacks).hasSize(2);
  }

  private static boolean awaitCommitted(String group, Map<TopicPartition, Long> expected) throws Exception {
    for (int i = 0; i < 200; i++) {
      if (committedOffsets(group).equals(expected)) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  private static Map<TopicPartition, Long> committedOffsets(String group) throws Exception {
    Map<TopicPartition, Long> out = new HashMap<>();
    kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
        .forEach((tp, om) -> out.put(tp, om.offset()));
    return out;
  }

  @Test
  void assignWithOffsets_startsThere_andCreateRDDReadsFixedRanges() {
    String topic = kafka.createTopic("assign", 2);
    kafka.produce(topic, 0, values("a", 6));
    kafka.produce(topic, 1, values("b", 6));
    TopicPartition p0 = new TopicPartition(topic, 0);
    TopicPartition p1 = new TopicPartition(topic, 1);
    try (StreamingTestHarness h = harness(Durations.seconds(1))) {
      JavaInputDStream<ConsumerRecord<String, String>> stream = KafkaUtils.createDirectStream(h.context(),
          LocationStrategies.PreferBrokers(), ConsumerStrategies.<String, String>Assign(List.of(p0, p1),
              kafka.consumerConfig("g-assign"), Map.of(p0, 4L, p1, 5L)));
      BatchCollector<String> out = h.collect(stream.map(ConsumerRecord::value));
      h.runBatches(1);
      assertThat(out.batch(1)).containsExactly("a4", "a5", "b5");

      JavaRDD<ConsumerRecord<String, String>> rdd = KafkaUtils.createRDD(h.context().sparkContext(),
          kafka.consumerConfig("g-rdd"), new OffsetRange[] {OffsetRange.create(p1, 1, 3), OffsetRange.create(p0, 0, 2)},
          LocationStrategies.PreferConsistent());
      assertThat(rdd.getNumPartitions()).isEqualTo(2);
      assertThat(rdd.map(ConsumerRecord::value).collect()).containsExactly("b1", "b2", "a0", "a1");
      assertThat(((HasOffsetRanges) rdd.rdd()).offsetRanges()[0]).isEqualTo(OffsetRange.create(p1, 1, 3));
      assertThat(rdd.map(ConsumerRecord::value).take(1)).containsExactly("b1");

      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaUtils.createRDD(
          h.context().sparkContext(), kafka.consumerConfig("g-rdd"), new OffsetRange[0],
          LocationStrategies.PreferBrokers()));
      assertThat(e).hasMessageContaining("PreferFixed");
    }
  }

  @Test
  void subscribePattern_readsEveryMatchingTopic() {
    String a = kafka.createTopic("pattern-x", 1);
    kafka.produce(a, 0, values("x", 2));
    try (StreamingTestHarness h = harness(Durations.seconds(1))) {
      JavaInputDStream<ConsumerRecord<String, String>> stream = KafkaUtils.createDirectStream(h.context(),
          LocationStrategies.PreferConsistent(), ConsumerStrategies.<String, String>SubscribePattern(
              java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(a)), kafka.consumerConfig("g-pattern")));
      BatchCollector<String> out = h.collect(stream.map(ConsumerRecord::value));
      h.runBatches(1);
      assertThat(out.batch(1)).containsExactly("x0", "x1");
    }
  }

  /** Partition 0: committed a0..a2 (offsets 0-2, marker 3), aborted x0,x1 (4-5, marker 6), committed a3,a4 (7-8, marker 9). */
  private static String transactionalTopic() {
    String topic = kafka.createTopic("txn", 1);
    Map<String, Object> cfg = kafka.producerConfig();
    cfg.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "writer-" + topic);
    try (KafkaProducer<String, String> p = new KafkaProducer<>(cfg)) {
      p.initTransactions();
      p.beginTransaction();
      for (String v : List.of("a0", "a1", "a2")) {
        p.send(new ProducerRecord<>(topic, 0, v, v));
      }
      p.commitTransaction();
      p.beginTransaction();
      for (String v : List.of("x0", "x1")) {
        p.send(new ProducerRecord<>(topic, 0, v, v));
      }
      p.flush();
      p.abortTransaction();
      p.beginTransaction();
      for (String v : List.of("a3", "a4")) {
        p.send(new ProducerRecord<>(topic, 0, v, v));
      }
      p.commitTransaction();
    }
    return topic;
  }

  private static Map<String, Object> isolation(String group, String level) {
    Map<String, Object> cfg = kafka.consumerConfig(group);
    cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, level);
    return cfg;
  }

  @Test
  void transactionalTopic_withNonConsecutiveOffsetsAllowed_readsCommittedRecordsOnly() throws Exception {
    String topic = transactionalTopic();
    try (StreamingTestHarness h = harness(Durations.seconds(1),
        "spark.streaming.kafka.allowNonConsecutiveOffsets", "true")) {
      InputInfos infos = new InputInfos();
      h.context().addStreamingListener(infos);
      JavaInputDStream<ConsumerRecord<String, String>> stream = KafkaUtils.createDirectStream(h.context(),
          LocationStrategies.PreferConsistent(),
          ConsumerStrategies.<String, String>Subscribe(List.of(topic), isolation("g-rc", "read_committed")));
      BatchCollector<String> out = h.collect(stream.map(ConsumerRecord::value));
      h.runBatches(2);
      assertThat(out.batch(1)).containsExactly("a0", "a1", "a2", "a3", "a4");
      assertThat(out.batch(2)).isEmpty();
      StreamInputInfo info = infos.next(stream.inputDStream().id());
      assertThat(info.numRecords()).isEqualTo(5);
      assertThat(info.metadata().get(DirectKafkaInputDStream.METADATA_OFFSETS))
          .isEqualTo(List.of(OffsetRange.create(topic, 0, 0, 10)));
    }
  }

  @Test
  void transactionalTopic_readUncommitted_seesAbortedRecordsButNoMarkers() {
    String topic = transactionalTopic();
    try (StreamingTestHarness h = harness(Durations.seconds(1),
        "spark.streaming.kafka.allowNonConsecutiveOffsets", "true")) {
      JavaInputDStream<ConsumerRecord<String, String>> stream = KafkaUtils.createDirectStream(h.context(),
          LocationStrategies.PreferConsistent(),
          ConsumerStrategies.<String, String>Subscribe(List.of(topic), isolation("g-ru", "read_uncommitted")));
      BatchCollector<Long> offsets = h.collect(stream.map(ConsumerRecord::offset));
      h.runBatches(1);
      assertThat(offsets.batch(1)).containsExactly(0L, 1L, 2L, 4L, 5L, 7L, 8L);
    }
  }

  @Test
  void transactionalTopic_withoutNonConsecutiveOffsets_failsNamingTheSetting() {
    String topic = transactionalTopic();
    try (StreamingTestHarness h = harness(Durations.seconds(1), "spark.streaming.kafka.consumer.poll.ms", "500")) {
      JavaInputDStream<ConsumerRecord<String, String>> stream = KafkaUtils.createDirectStream(h.context(),
          LocationStrategies.PreferConsistent(),
          ConsumerStrategies.<String, String>Subscribe(List.of(topic), isolation("g-strict", "read_committed")));
      h.collect(stream.map(ConsumerRecord::value));
      MillraceException e = assertThrows(MillraceException.class, () -> h.runBatches(1));
      assertThat(e).hasStackTraceContaining("allowNonConsecutiveOffsets");
    }
  }

  private static String topicWithDeletedHead(TopicPartition[] tpOut) throws Exception {
    String topic = kafka.createTopic("retention", 1);
    kafka.produce(topic, 0, values("r", 10));
    TopicPartition tp = new TopicPartition(topic, 0);
    kafka.admin().deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(6))).all().get();
    tpOut[0] = tp;
    return topic;
  }

  @Test
  void offsetDeletedByRetention_failsByDefault_withAClearMessage() throws Exception {
    TopicPartition[] tp = new TopicPartition[1];
    topicWithDeletedHead(tp);
    try (StreamingTestHarness h = harness(Durations.seconds(1))) {
      JavaInputDStream<ConsumerRecord<String, String>> stream = KafkaUtils.createDirectStream(h.context(),
          LocationStrategies.PreferConsistent(), ConsumerStrategies.<String, String>Assign(List.of(tp[0]),
              kafka.consumerConfig("g-ret-fail"), Map.of(tp[0], 2L)));
      h.collect(stream.map(ConsumerRecord::value));
      MillraceException e = assertThrows(MillraceException.class, () -> h.runBatches(1));
      assertThat(e).hasMessageContaining("Offsets out of range")
          .hasMessageContaining(tp[0] + ": next offset 2 is before the earliest offset 6")
          .hasMessageContaining("millrace.streaming.kafka.offsetOutOfRange=earliest or latest");
    }
  }

  @Test
  void offsetDeletedByRetention_withEarliestPolicy_skipsAhead_andReportsTheSkippedCount() throws Exception {
    TopicPartition[] tp = new TopicPartition[1];
    topicWithDeletedHead(tp);
    try (StreamingTestHarness h = harness(Durations.seconds(1), "millrace.streaming.kafka.offsetOutOfRange", "earliest")) {
      InputInfos infos = new InputInfos();
      h.context().addStreamingListener(infos);
      JavaInputDStream<ConsumerRecord<String, String>> stream = KafkaUtils.createDirectStream(h.context(),
          LocationStrategies.PreferConsistent(), ConsumerStrategies.<String, String>Assign(List.of(tp[0]),
              kafka.consumerConfig("g-ret-earliest"), Map.of(tp[0], 2L)));
      BatchCollector<String> out = h.collect(stream.map(ConsumerRecord::value));
      h.runBatches(1);
      assertThat(out.batch(1)).containsExactly("r6", "r7", "r8", "r9");
      assertThat(infos.next(stream.inputDStream().id()).metadata().get(DirectKafkaInputDStream.METADATA_OUT_OF_RANGE))
          .isEqualTo(Map.of(tp[0], 4L));
    }
  }

  @Test
  void restartWithTheSameCheckpointDirectory_resumesFromStoredOffsets_notTheGroupsCommittedOnes(@TempDir Path dir)
      throws Exception {
    String topic = kafka.createTopic("restart", 2);
    kafka.produce(topic, 0, values("a", 3));
    kafka.produce(topic, 1, values("b", 2));
    String group = "g-restart";
    try (StreamingTestHarness h = harness(Durations.seconds(1))) {
      h.context().checkpoint(dir.toString());
      BatchCollector<String> out = h.collect(subscribe(h, topic, group).map(ConsumerRecord::value));
      h.runBatches(2);
      assertThat(out.batch(1)).containsExactly("a0", "a1", "a2", "b0", "b1");
    }
    kafka.produce(topic, 0, values("c", 2));
    // No offsets were committed: without the stored progress, auto.offset.reset=earliest would re-read all.
    try (StreamingTestHarness h = harness(Durations.seconds(1))) {
      h.context().checkpoint(dir.toString());
      BatchCollector<String> out = h.collect(subscribe(h, topic, group).map(ConsumerRecord::value));
      h.runBatches(1);
      assertThat(out.batch(1)).containsExactly("c0", "c1");
    }
  }

  @Test
  void restartAfterAFailedBatch_reReadsThatBatchsRanges(@TempDir Path dir) throws Exception {
    String topic = kafka.createTopic("rerun", 1);
    kafka.produce(topic, 0, values("a", 2));
    String group = "g-rerun";
    try (StreamingTestHarness h = harness(Durations.seconds(1))) {
      h.context().checkpoint(dir.toString());
      JavaInputDStream<ConsumerRecord<String, String>> stream = subscribe(h, topic, group);
      BatchCollector<String> out = h.collect(stream.map(ConsumerRecord::value));
      stream.foreachRDD((rdd, time) -> {
        if (time.milliseconds() == 2000) {
          throw new IllegalStateException("output failed");
        }
      });
      h.runBatches(1);
      kafka.produce(topic, 0, values("b", 2));
      assertThrows(MillraceException.class, () -> h.runBatches(1));
      assertThat(out.batch(2)).containsExactly("b0", "b1");
    }
    // The metadata checkpoint holds the failed batch's ranges and marks it unfinished.
    MetadataCheckpoint cp = Checkpointing.readLatest(dir);
    MetadataCheckpoint.InputProgress progress = cp.inputs().get(0);
    assertThat(progress.kind()).isEqualTo("kafka-offsets");
    assertThat(KafkaOffsetsProgress.decodeRanges(progress.version(), progress.batches().get(2000L)))
        .containsExactly(OffsetRange.create(topic, 0, 2, 4));
    assertThat(KafkaOffsetsProgress.decodeStream(progress.version(), progress.streamProgress()).unfinished())
        .contains(2000L);
    try (StreamingTestHarness h = harness(Durations.seconds(1))) {
      h.context().checkpoint(dir.toString());
      JavaInputDStream<ConsumerRecord<String, String>> stream = subscribe(h, topic, group);
      BatchCollector<String> out = h.collect(stream.map(ConsumerRecord::value));
      h.runBatches(1);
      assertThat(out.batch(1)).containsExactly("b0", "b1");
    }
  }

  /** Copies a checkpoint directory as a crash would leave it (files being written may vanish meanwhile). */
  private static void snapshot(Path from, Path to) {
    try (java.util.stream.Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        try {
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target);
          }
        } catch (java.nio.file.NoSuchFileException gone) {
          // a temporary file renamed or an old checkpoint deleted while copying
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JavaPairDStream<String, Long> runningCounts(JavaInputDStream<ConsumerRecord<String, String>> in) {
    JavaPairDStream<String, Long> counts = in.mapToPair(r -> new Tuple2<>(r.value(), 1L))
        .updateStateByKey((List<Long> news, dev.millrace.api.java.Optional<Long> old) -> {
          long sum = old.orElse(0L);
          for (long n : news) {
            sum += n;
          }
          return dev.millrace.api.java.Optional.of(sum);
        });
    counts.checkpoint(Durations.seconds(3));
    return counts;
  }

  private static Map<String, Long> asMap(List<Tuple2<String, Long>> batch) {
    Map<String, Long> m = new java.util.TreeMap<>();
    batch.forEach(t -> m.put(t._1(), t._2()));
    return m;
  }

  @Test
  void recoveryWithGetOrCreate_reRunsPendingBatchesWithTheirRanges_recomputesStateFromThem_andContinuesAfter(
      @TempDir Path dir) throws Exception {
    String topic = kafka.createTopic("recover", 1);
    String group = "g-recover";
    Path live = dir.resolve("live");
    Path crashed = dir.resolve("crashed");
    // Batches 1..5 read: x | y | x | x y | y. State is checkpointed at 3 s; the process "dies" while
    // batch 5 runs: the copy of its checkpoint directory taken then is what a restart finds.
    List<List<String>> script = List.of(List.of("x"), List.of("y"), List.of("x"), List.of("x", "y"), List.of("y"));
    try (StreamingTestHarness h = harness(Durations.seconds(1))) {
      h.context().checkpoint(live.toString());
      JavaPairDStream<String, Long> counts = runningCounts(subscribe(h, topic, group));
      BatchCollector<Tuple2<String, Long>> out = h.collect(counts);
      counts.foreachRDD((rdd, time) -> {
        if (time.milliseconds() == 5000) {
          snapshot(live, crashed);
        }
      });
      for (List<String> batch : script) {
        kafka.produce(topic, 0, batch);
        h.runBatches(1);
      }
      assertThat(asMap(out.batch(5))).isEqualTo(Map.of("x", 3L, "y", 3L));
    }
    MetadataCheckpoint cp = Checkpointing.readLatest(crashed);
    assertThat(cp.pendingTimesMs()).containsExactly(5000L);
    assertThat(cp.inputs().get(0).batches()).containsKeys(4000L, 5000L);

    // Records that arrived after the crash belong to later batches, not to the re-run ones.
    kafka.produce(topic, 0, List.of("z", "z"));
    try (StreamingTestHarness h = harness(Durations.seconds(1))) {
      JavaInputDStream<ConsumerRecord<String, String>> in = subscribe(h, topic, group);
      List<Map.Entry<Long, List<OffsetRange>>> seen = new CopyOnWriteArrayList<>();
      in.foreachRDD((rdd, time) -> seen.add(Map.entry(time.milliseconds(),
          List.of(((HasOffsetRanges) rdd.rdd()).offsetRanges()))));
      BatchCollector<Tuple2<String, Long>> out = h.collect(runningCounts(in));
      assertThat(h.recoverFrom(crashed.toString())).isTrue();
      h.runBatches(1);
      // Batch 5 again: state of 3 s plus batch 4 (recomputed from its stored range) plus batch 5.
      assertThat(out.times()).containsExactly(new dev.millrace.streaming.Time(5000), new dev.millrace.streaming.Time(6000));
      assertThat(asMap(out.batch(1))).isEqualTo(Map.of("x", 3L, "y", 3L));
      assertThat(asMap(out.batch(2))).isEqualTo(Map.of("x", 3L, "y", 3L, "z", 2L));
      assertThat(seen).containsExactly(Map.entry(5000L, List.of(OffsetRange.create(topic, 0, 5, 6))),
          Map.entry(6000L, List.of(OffsetRange.create(topic, 0, 6, 8))));
    }
  }
}
