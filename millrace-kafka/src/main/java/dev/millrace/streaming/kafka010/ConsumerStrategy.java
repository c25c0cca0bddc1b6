package dev.millrace.streaming.kafka010;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;

/**
 * How a direct Kafka stream creates and configures the consumer that tracks offsets on the
 * driver (the thread that generates batches). The port of Spark's {@code ConsumerStrategy}; obtain
 * one from {@link ConsumerStrategies}.
 *
 * <p>Subclasses must be serializable plain data (topics, parameters, offsets) so that a stream can
 * be rebuilt from them. {@link #onStart} is called once, on the context's start thread.
 *
 * @param <K> type of the record keys
 * @param <V> type of the record values
 */
public abstract class ConsumerStrategy<K, V> implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Kafka parameters of the consumers that read the batches' records. The stream applies Spark's
   * overrides on top of them ({@code enable.auto.commit=false}, {@code auto.offset.reset=none}, a
   * group id of its own).
   */
  public abstract Map<String, Object> executorKafkaParams();

  /**
   * Creates the driver consumer, subscribed or assigned, and positioned: at {@code currentOffsets}
   * when not empty (a restart from stored offsets), else at the strategy's own starting offsets,
   * else wherever the group's committed offsets or {@code auto.offset.reset} put it.
   *
   * @param currentOffsets offsets to resume from, possibly empty; never modified
   */
  public abstract Consumer<K, V> onStart(Map<TopicPartition, Long> currentOffsets);

  /** Whether {@code auto.offset.reset} is {@code none}, which makes the first poll fail before a seek. */
  static boolean resetIsNone(Map<String, Object> kafkaParams) {
    Object aor = kafkaParams.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
    return aor != null && aor.toString().toUpperCase(Locale.ROOT).equals("NONE");
  }

  /** A readable form of the topics for messages. */
  static String describe(List<String> topics) {
    return String.join(",", topics);
  }
}
