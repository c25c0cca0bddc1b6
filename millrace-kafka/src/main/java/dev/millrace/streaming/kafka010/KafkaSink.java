package dev.millrace.streaming.kafka010;

import dev.millrace.Tuple2;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.kafka010.internal.KafkaSinkWriter;
import dev.millrace.streaming.internal.dstream.DStream;
import dev.millrace.streaming.kafka010.internal.DirectKafkaInputDStream;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes every batch of a stream to a Kafka topic. An output operation, like {@code print()}.
 *
 * <pre>{@code
 * Map<String, Object> config = Map.of(
 *     "bootstrap.servers", "localhost:9092",
 *     "key.serializer", StringSerializer.class,
 *     "value.serializer", LongSerializer.class,
 *     "transactional.id", "wordcount-out");          // omit for at-least-once
 * KafkaSink.write(counts, "counts", config);
 * }</pre>
 *
 * <p><b>At-least-once (default).</b> Without {@code transactional.id}, one idempotent producer per
 * sink sends each batch's records and flushes; the batch succeeds only when Kafka acknowledged every
 * record, else it fails with the first error. A batch that is re-run (after a failure or a restart)
 * is written again, so readers may see duplicates, never gaps.
 *
 * <p><b>Exactly-once per batch (transactions).</b> With {@code transactional.id = P}, batch {@code T}
 * is written in one Kafka transaction by a producer whose {@code transactional.id} is {@code P-<T in
 * ms>}. Before writing, the producer initializes its transactions, which fences any earlier producer
 * with the same id (a zombie of a crashed run) and aborts its open transaction. Inside the
 * transaction the sink also commits a marker (the batch time, as the metadata of a committed offset
 * of consumer group {@code millrace-sink-P} on partition 0 of the output topic); a batch whose time
 * is not after the last committed marker was already written and is skipped. Hence: for consumers
 * with {@code isolation.level=read_committed}, each batch time's records appear exactly once, as
 * long as batches of one sink are written in time order (the default {@code concurrentJobs=1}) and
 * {@code P} is used by this sink only. A re-run batch must hold the same records to give the same
 * output; the direct Kafka stream's stored offset ranges provide that when batches are recovered at
 * their original times. Consumers with {@code read_uncommitted} may see aborted attempts.
 *
 * <p><b>Kafka in, Kafka out.</b> When the sink's stream is computed from direct Kafka streams (with
 * a {@code group.id}) on the same cluster (equal {@code bootstrap.servers}), each transaction also
 * commits those streams' input offsets of the batch (the {@code untilOffset}s) to their groups, so
 * output and input progress are committed atomically; and at start, before resuming, the
 * transactions a killed run left open are ended (aborted, or completed if they were committing).
 * A recovery with {@code JavaStreamingContext.getOrCreate} (or a new context with the stream's
 * checkpoint directory) then counts every input record in exactly one committed transaction,
 * whatever moment the previous run was killed at: re-run batches read the offset ranges fixed for
 * them before the crash, and a batch whose transaction had committed is skipped.
 *
 * <p>Transactions need the local runtime: all partitions of a batch share one producer.
 *
 * <p>Threading: records of a batch are sent from the runtime's worker threads through one
 * thread-safe producer; batches are written one at a time.
 */
public final class KafkaSink implements AutoCloseable {
  private final KafkaSinkWriter<?, ?, ?> writer;

  private KafkaSink(KafkaSinkWriter<?, ?, ?> writer) {
    this.writer = writer;
  }

  /**
   * Writes each record of every batch of {@code stream} as the value of a record with a null key.
   * {@code key.serializer} defaults to a byte-array serializer.
   *
   * @return a handle whose {@link #close()} releases the sink's producer once the context stopped
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code bootstrap.servers} or {@code value.serializer} is missing
   */
  public static <V> KafkaSink write(JavaDStream<V> stream, String topic, Map<String, Object> producerConfig) {
    Objects.requireNonNull(stream, "stream");
    Map<String, Object> config = new HashMap<>(Objects.requireNonNull(producerConfig, "producerConfig"));
    config.putIfAbsent(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    KafkaSinkWriter<V, Object, V> writer = new KafkaSinkWriter<>(topic, config, v -> null, v -> v);
    connectSources(stream.dstream(), writer);
    stream.dstream().foreachRDD(writer::writeBatch, "KafkaSink.write");
    return new KafkaSink(writer);
  }

  /**
   * Writes each pair of every batch of {@code stream} as a record with that key and value.
   *
   * @return a handle whose {@link #close()} releases the sink's producer once the context stopped
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code bootstrap.servers} or a serializer is missing
   */
  public static <K, V> KafkaSink write(JavaPairDStream<K, V> stream, String topic,
      Map<String, Object> producerConfig) {
    Objects.requireNonNull(stream, "stream");
    Map<String, Object> config = new HashMap<>(Objects.requireNonNull(producerConfig, "producerConfig"));
    KafkaSinkWriter<Tuple2<K, V>, K, V> writer = new KafkaSinkWriter<>(topic, config, Tuple2::_1, Tuple2::_2);
    connectSources(stream.dstream(), writer);
    stream.dstream().foreachRDD(writer::writeBatch, "KafkaSink.write");
    return new KafkaSink(writer);
  }

  /** Finds the direct Kafka streams upstream of {@code stream}, each once. */
  private static void connectSources(DStream<?> stream, KafkaSinkWriter<?, ?, ?> writer) {
    Set<DStream<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<DStream<?>> todo = new ArrayDeque<>(List.of(stream));
    while (!todo.isEmpty()) {
      DStream<?> s = todo.pop();
      if (seen.add(s)) {
        if (s instanceof DirectKafkaInputDStream) {
          writer.addSource((DirectKafkaInputDStream<?, ?>) s);
        }
        todo.addAll(s.dependencies());
      }
    }
  }

  /** Whether batches are written in transactions ({@code transactional.id} was given). */
  public boolean transactional() {
    return writer.transactional();
  }

  /** Closes the sink's producer and admin client; call after the context stopped. Idempotent. */
  @Override
  public void close() {
    writer.close();
  }
}
