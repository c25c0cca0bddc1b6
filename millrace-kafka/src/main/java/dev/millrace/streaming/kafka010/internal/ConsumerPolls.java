package dev.millrace.streaming.kafka010.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Polls of the driver consumer that keep its group membership and metadata fresh without consuming. */
public final class ConsumerPolls {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerPolls.class);

  private ConsumerPolls() {}

  /**
   * Polls a subscribed consumer until the group gave it partitions (or {@code attempts} polls of
   * {@code pollMs} passed), without consuming.
   */
  public static <K, V> void awaitAssignment(Consumer<K, V> consumer, boolean suppressNoOffset, int attempts,
      long pollMs) {
    for (int i = 0; i < attempts && consumer.assignment().isEmpty(); i++) {
      pollWithoutConsuming(consumer, Duration.ofMillis(pollMs), suppressNoOffset);
    }
  }

  /**
   * One poll that consumes nothing (Spark's "paranoid poll"): pauses the assignment first, and
   * seeks back to the lowest offset of any record the poll still returns (partitions assigned
   * during the poll were not paused yet).
   *
   * @param suppressNoOffset whether to ignore a missing position (the caller seeks explicitly; KAFKA-3370)
   */
  public static <K, V> void pollWithoutConsuming(Consumer<K, V> consumer, Duration timeout, boolean suppressNoOffset) {
    consumer.pause(consumer.assignment());
    ConsumerRecords<K, V> records;
    try {
      records = consumer.poll(timeout);
    } catch (NoOffsetForPartitionException e) {
      if (!suppressNoOffset) {
        throw e;
      }
      LOG.warn("Catching NoOffsetForPartitionException since auto.offset.reset is none; seeking explicitly");
      consumer.pause(consumer.assignment());
      return;
    }
    if (!records.isEmpty()) {
      Map<TopicPartition, Long> lowest = new HashMap<>();
      for (ConsumerRecord<K, V> r : records) {
        lowest.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
      }
      lowest.forEach((tp, off) -> {
        LOG.info("poll returned messages, seeking {} to {} to compensate", tp, off);
        consumer.seek(tp, off);
      });
    }
    consumer.pause(consumer.assignment());
  }
}
