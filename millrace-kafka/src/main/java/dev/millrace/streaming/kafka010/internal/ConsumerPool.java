package dev.millrace.streaming.kafka010.internal;

import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reusable consumers of one stream's readers, one or more per partition: creating a Kafka consumer
 * costs far more than a batch of a busy partition, so tasks borrow one assigned to their partition
 * and give it back when their range is read. A consumer is used by one task at a time.
 *
 * <p>A task that stops early (e.g. {@code take}) never gives its consumer back; its reader closes
 * such a consumer once the reader is unreachable. Thread-safe.
 */
public final class ConsumerPool implements AutoCloseable {
  private final Map<String, Object> params;
  private final Map<TopicPartition, Deque<Consumer<Object, Object>>> idle = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** A pool of consumers made with {@code params} (already fixed for readers). */
  public ConsumerPool(Map<String, Object> params) {
    this.params = java.util.Collections.unmodifiableMap(new java.util.HashMap<>(params));
  }

  /** A consumer assigned to {@code tp} (position unspecified), from the pool or new. */
  @SuppressWarnings("unchecked")
  public <K, V> Consumer<K, V> borrow(TopicPartition tp) {
    if (closed) {
      throw new IllegalStateException("The Kafka consumer pool was closed (the stream stopped)");
    }
    Deque<Consumer<Object, Object>> q = idle.get(tp);
    Consumer<Object, Object> c = q == null ? null : q.pollFirst();
    if (c == null) {
      c = new KafkaConsumer<>(params);
      c.assign(java.util.List.of(tp));
    }
    return (Consumer<K, V>) c;
  }

  /** Gives back a consumer borrowed for {@code tp}. */
  @SuppressWarnings("unchecked")
  public void giveBack(TopicPartition tp, Consumer<?, ?> consumer) {
    if (closed) {
      closeQuietly(consumer);
      return;
    }
    idle.computeIfAbsent(tp, k -> new ConcurrentLinkedDeque<>()).addFirst((Consumer<Object, Object>) consumer);
  }

  /** Closes every idle consumer; borrowed ones are closed when given back. */
  @Override
  public void close() {
    closed = true;
    for (Deque<Consumer<Object, Object>> q : idle.values()) {
      Consumer<Object, Object> c;
      while ((c = q.pollFirst()) != null) {
        closeQuietly(c);
      }
    }
  }

  /** Closes {@code c}, ignoring errors. */
  static void closeQuietly(Consumer<?, ?> c) {
    try {
      c.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(1)));
    } catch (RuntimeException e) {
      // closing is best effort
    }
  }
}
