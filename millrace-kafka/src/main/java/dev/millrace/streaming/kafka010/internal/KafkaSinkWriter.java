package dev.millrace.streaming.kafka010.internal;

import dev.millrace.MillraceException;
import dev.millrace.api.java.function.Function;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Time;
import java.io.Serializable;
import java.time.Duration;
import dev.millrace.streaming.kafka010.OffsetRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Writes batches to a Kafka topic for {@code KafkaSink}: at-least-once with one shared producer,
 * or one transaction per batch with a producer whose transactional id is derived from the batch
 * time (see {@code KafkaSink} for the exact guarantee).
 *
 * <p>Batches are written one at a time ({@code writeBatch} is synchronized); within a batch,
 * worker threads send through one thread-safe producer.
 *
 * @param <T> type of the stream's records
 * @param <K> type of the Kafka record keys
 * @param <V> type of the Kafka record values
 */
public final class KafkaSinkWriter<T, K, V> implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String MARKER_PREFIX = "millrace-batch:";

  private final String topic;
  private final Map<String, Object> config;
  private final Function<T, K> keyOf;
  private final Function<T, V> valueOf;
  private final String transactionalPrefix;
  private transient Producer<K, V> sharedProducer;
  private transient Admin admin;
  private final transient Map<String, ConsumerGroupMetadata> groupMetadata = new HashMap<>();
  /** The last batch time this sink knows to be committed: read once, then kept up to date. */
  private transient Long lastCommitted;
  private final transient List<DirectKafkaInputDStream<?, ?>> sources = new ArrayList<>();

  /**
   * @throws IllegalArgumentException if {@code bootstrap.servers} or a serializer is missing
   */
  public KafkaSinkWriter(String topic, Map<String, Object> config, Function<T, K> keyOf, Function<T, V> valueOf) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.config = new HashMap<>(config);
    this.keyOf = keyOf;
    this.valueOf = valueOf;
    for (String required : new String[] {ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG}) {
      if (!config.containsKey(required)) {
        throw new IllegalArgumentException("KafkaSink producer config must contain " + required);
      }
    }
    Object tid = this.config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    this.transactionalPrefix = tid == null ? null : tid.toString();
    if (transactionalPrefix != null) {
      Object idem = config.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
      if (idem != null && !Boolean.parseBoolean(idem.toString())) {
        throw new IllegalArgumentException("KafkaSink with transactional.id needs enable.idempotence=true");
      }
      this.config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      this.config.put(ProducerConfig.ACKS_CONFIG, "all");
      // Each batch starts a new transactional producer, whose first requests are often retried
      // (coordinator lookups); Kafka's 100 ms default backoff made a batch cost ~270 ms here, 5 ms ~60 ms.
      this.config.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 5);
    }
  }

  /**
   * Makes each transaction also commit the input offsets of the batch for {@code stream}, a direct
   * Kafka stream upstream of the sink on the same cluster, and makes the stream's start end any
   * transaction a crashed run left open. Call before start.
   */
  public void addSource(DirectKafkaInputDStream<?, ?> stream) {
    if (transactionalPrefix == null) {
      return;
    }
    if (stream.groupId() != null && stream.bootstrapServers().equals(String.valueOf(
        config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)))) {
      sources.add(stream);
    }
    stream.addStartHook(this::endLeftoverTransactions);
  }

  /**
   * Ends the transactions that a previous run may have left open for the batches it did not
   * complete: initializing a producer with each such transactional id aborts an open transaction
   * and waits for one that was being committed to finish.
   */
  public void endLeftoverTransactions(Set<Long> batchTimes) {
    for (long t : batchTimes) {
      Map<String, Object> cfg = new HashMap<>(config);
      cfg.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(new Time(t)));
      try (KafkaProducer<K, V> p = new KafkaProducer<>(cfg)) {
        p.initTransactions();
      }
    }
  }

  public boolean transactional() {
    return transactionalPrefix != null;
  }

  /** The transactional id of batch {@code time}: {@code <prefix>-<time in ms>}. */
  public String transactionalId(Time time) {
    return transactionalPrefix + "-" + time.milliseconds();
  }

  /** The consumer group whose committed offset metadata records the last committed batch time. */
  public String markerGroup() {
    return "millrace-sink-" + transactionalPrefix;
  }

  /**
   * Writes one batch.
   *
   * @throws MillraceException naming the topic and batch time if a record could not be written
   */
  public synchronized void writeBatch(RDD<T> rdd, Time time) {
    if (transactionalPrefix == null) {
      writeAtLeastOnce(rdd, time);
    } else {
      writeTransaction(rdd, time);
    }
  }

  private void writeAtLeastOnce(RDD<T> rdd, Time time) {
    if (sharedProducer == null) {
      sharedProducer = new KafkaProducer<>(config);
    }
    Producer<K, V> p = sharedProducer;
    AtomicReference<Exception> error = new AtomicReference<>();
    send(rdd, p, error);
    p.flush();
    if (error.get() != null) {
      throw new MillraceException("KafkaSink could not write batch " + time + " to topic " + topic + ": "
          + error.get(), error.get());
    }
  }

  private void writeTransaction(RDD<T> rdd, Time time) {
    Map<String, Object> cfg = new HashMap<>(config);
    String tid = transactionalId(time);
    cfg.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, tid);
    KafkaProducer<K, V> p = new KafkaProducer<>(cfg);
    boolean committed = false;
    try {
      // Fences a zombie with the same id and aborts its unfinished transaction.
      p.initTransactions();
      if (lastCommitted == null) {
        lastCommitted = lastCommittedBatch();
      }
      if (lastCommitted >= time.milliseconds()) {
        return;
      }
      p.beginTransaction();
      AtomicReference<Exception> error = new AtomicReference<>();
      try {
        send(rdd, p, error);
        p.flush();
      } catch (RuntimeException e) {
        error.compareAndSet(null, e);
      }
      if (error.get() != null) {
        try {
          p.abortTransaction();
        } catch (RuntimeException ignored) {
          // the producer may be fenced or failed already; the transaction then ends by timeout or fencing
        }
        throw new MillraceException("KafkaSink could not write batch " + time + " to topic " + topic
            + " in transaction " + tid + ": " + error.get(), error.get());
      }
      p.sendOffsetsToTransaction(
          Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0, MARKER_PREFIX + time.milliseconds())),
          standalone(markerGroup()));
      for (DirectKafkaInputDStream<?, ?> source : sources) {
        List<OffsetRange> ranges = source.rangesOf(time);
        if (ranges != null && !ranges.isEmpty()) {
          Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
          for (OffsetRange r : ranges) {
            offsets.put(r.topicPartition(), new OffsetAndMetadata(r.untilOffset()));
          }
          p.sendOffsetsToTransaction(offsets, standalone(source.groupId()));
        }
      }
      p.commitTransaction();
      committed = true;
      lastCommitted = time.milliseconds();
    } finally {
      // After a commit nothing is left to send; otherwise closing aborts what is open.
      p.close(committed ? Duration.ZERO : Duration.ofSeconds(5));
    }
  }

  private void send(RDD<T> rdd, Producer<K, V> p, AtomicReference<Exception> error) {
    Callback cb = (md, e) -> {
      if (e != null) {
        error.compareAndSet(null, e);
      }
    };
    rdd.foreachPartition(it -> {
      while (it.hasNext() && error.get() == null) {
        T t = it.next();
        p.send(new ProducerRecord<>(topic, keyOf.call(t), valueOf.call(t)), cb);
      }
    });
  }

  /**
   * The metadata of a group the sink commits offsets to without being one of its members
   * (generation -1, no member id): the broker accepts such transactional commits.
   */
  private ConsumerGroupMetadata standalone(String groupId) {
    // Kafka's supported way to obtain it: from a consumer of that group that never joined.
    return groupMetadata.computeIfAbsent(groupId, g -> {
      Map<String, Object> cc = new HashMap<>();
      cc.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
      cc.put(ConsumerConfig.GROUP_ID_CONFIG, g);
      cc.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      cc.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cc)) {
        return c.groupMetadata();
      }
    });
  }

  /** The batch time of the last committed transaction of this sink, or -1. */
  long lastCommittedBatch() {
    if (admin == null) {
      Map<String, Object> ac = new HashMap<>();
      config.forEach((k, v) -> {
        if (AdminClientConfig.configNames().contains(k)) {
          ac.put(k, v);
        }
      });
      admin = Admin.create(ac);
    }
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets = admin
          .listConsumerGroupOffsets(markerGroup(), new ListConsumerGroupOffsetsOptions().requireStable(true))
          .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
      OffsetAndMetadata om = offsets.get(new TopicPartition(topic, 0));
      if (om == null || om.metadata() == null || !om.metadata().startsWith(MARKER_PREFIX)) {
        return -1;
      }
      return Long.parseLong(om.metadata().substring(MARKER_PREFIX.length()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MillraceException("Interrupted while reading the KafkaSink marker of " + markerGroup(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new MillraceException("KafkaSink cannot read its committed-batch marker (group " + markerGroup()
          + "): " + e, e);
    }
  }

  /** Closes the shared producer and the admin client. */
  public synchronized void close() {
    if (sharedProducer != null) {
      sharedProducer.close(Duration.ofSeconds(5));
      sharedProducer = null;
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
      admin = null;
    }
  }
}
