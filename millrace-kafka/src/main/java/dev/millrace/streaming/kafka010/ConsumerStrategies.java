package dev.millrace.streaming.kafka010;

import dev.millrace.streaming.kafka010.internal.ConsumerPolls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The {@link ConsumerStrategy} choices, as in Spark: {@code Subscribe} to a list of topics,
 * {@code SubscribePattern} for topics matching a regular expression (both through the consumer
 * group, so partitions added later are picked up), or {@code Assign} a fixed list of partitions.
 * Each takes the Kafka consumer parameters and optionally the offsets to start at. The driver
 * consumer they create never auto-commits ({@code enable.auto.commit} is forced to {@code false}).
 *
 * <p>The factories and the strategies are immutable and thread-safe.
 *
 * <pre>{@code
 * Map<String, Object> kafkaParams = Map.of(
 *     "bootstrap.servers", "localhost:9092",
 *     "key.deserializer", StringDeserializer.class,
 *     "value.deserializer", StringDeserializer.class,
 *     "group.id", "wordcount",
 *     "auto.offset.reset", "earliest");
 * ConsumerStrategy<String, String> s = ConsumerStrategies.Subscribe(List.of("lines"), kafkaParams);
 * }</pre>
 */
public final class ConsumerStrategies {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsumerStrategies.class);

  private ConsumerStrategies() {}

  /** Subscribe to {@code topics}, starting at {@code offsets} where given. */
  public static <K, V> ConsumerStrategy<K, V> Subscribe(Collection<String> topics, Map<String, Object> kafkaParams,
      Map<TopicPartition, Long> offsets) {
    return new Subscribe<>(new ArrayList<>(Objects.requireNonNull(topics, "topics")),
        new HashMap<>(Objects.requireNonNull(kafkaParams, "kafkaParams")),
        new HashMap<>(Objects.requireNonNull(offsets, "offsets")));
  }

  /** Subscribe to {@code topics}, starting at the committed offsets or {@code auto.offset.reset}. */
  public static <K, V> ConsumerStrategy<K, V> Subscribe(Collection<String> topics, Map<String, Object> kafkaParams) {
    return Subscribe(topics, kafkaParams, Map.of());
  }

  /** Subscribe to every topic matching {@code pattern}, starting at {@code offsets} where given. */
  public static <K, V> ConsumerStrategy<K, V> SubscribePattern(Pattern pattern, Map<String, Object> kafkaParams,
      Map<TopicPartition, Long> offsets) {
    return new SubscribePattern<>(Objects.requireNonNull(pattern, "pattern"),
        new HashMap<>(Objects.requireNonNull(kafkaParams, "kafkaParams")),
        new HashMap<>(Objects.requireNonNull(offsets, "offsets")));
  }

  /** Subscribe to every topic matching {@code pattern}. */
  public static <K, V> ConsumerStrategy<K, V> SubscribePattern(Pattern pattern, Map<String, Object> kafkaParams) {
    return SubscribePattern(pattern, kafkaParams, Map.of());
  }

  /** Read exactly {@code topicPartitions}, starting at {@code offsets} where given. */
  public static <K, V> ConsumerStrategy<K, V> Assign(Collection<TopicPartition> topicPartitions,
      Map<String, Object> kafkaParams, Map<TopicPartition, Long> offsets) {
    return new Assign<>(new ArrayList<>(Objects.requireNonNull(topicPartitions, "topicPartitions")),
        new HashMap<>(Objects.requireNonNull(kafkaParams, "kafkaParams")),
        new HashMap<>(Objects.requireNonNull(offsets, "offsets")));
  }

  /** Read exactly {@code topicPartitions}. */
  public static <K, V> ConsumerStrategy<K, V> Assign(Collection<TopicPartition> topicPartitions,
      Map<String, Object> kafkaParams) {
    return Assign(topicPartitions, kafkaParams, Map.of());
  }

  /** How long a subscribing strategy waits for the group to assign partitions at start, in polls of 100 ms. */
  private static final int JOIN_POLLS = 300;
  private static final long JOIN_POLL_MS = 100;

  /**
   * The driver consumer's parameters: the user's, with {@code enable.auto.commit=false}, since
   * automatic commits of the driver's position could move the group's committed offsets backwards
   * past what {@code commitAsync} or a transactional sink committed.
   */
  static Map<String, Object> driverParams(Map<String, Object> kafkaParams) {
    Map<String, Object> p = new HashMap<>(kafkaParams);
    Object auto = p.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
    if (auto != null && Boolean.parseBoolean(auto.toString())) {
      LOG.warn("overriding {} to false for the driver consumer of a direct stream; commit with commitAsync",
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
    }
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return p;
  }

  /** Seeks to {@code currentOffsets} if any, else to the strategy's offsets, as Spark does. */
  private static Map<TopicPartition, Long> toSeek(Map<TopicPartition, Long> current,
      Map<TopicPartition, Long> offsets) {
    return current.isEmpty() ? offsets : current;
  }

  private static <K, V> void seekAndPause(Consumer<K, V> consumer, Map<TopicPartition, Long> toSeek) {
    toSeek.forEach((tp, off) -> {
      if (consumer.assignment().contains(tp)) {
        consumer.seek(tp, off);
      }
    });
    consumer.pause(consumer.assignment());
  }

  /** A strategy built from the user's Kafka parameters and optional starting offsets. */
  private abstract static class WithParams<K, V> extends ConsumerStrategy<K, V> {
    private static final long serialVersionUID = 1L;
    final HashMap<String, Object> kafkaParams;
    final HashMap<TopicPartition, Long> offsets;

    WithParams(HashMap<String, Object> kafkaParams, HashMap<TopicPartition, Long> offsets) {
      this.kafkaParams = kafkaParams;
      this.offsets = offsets;
    }

    @Override
    public Map<String, Object> executorKafkaParams() {
      return new HashMap<>(kafkaParams);
    }
  }

  /**
   * A strategy that joins the consumer group and lets it assign partitions: waits for the
   * assignment, then seeks to the offsets to start at and pauses the consumer.
   */
  private abstract static class Subscribing<K, V> extends WithParams<K, V> {
    private static final long serialVersionUID = 1L;

    Subscribing(HashMap<String, Object> kafkaParams, HashMap<TopicPartition, Long> offsets) {
      super(kafkaParams, offsets);
    }

    /** Subscribes {@code consumer} to this strategy's topics. */
    abstract void subscribe(KafkaConsumer<K, V> consumer);

    @Override
    public Consumer<K, V> onStart(Map<TopicPartition, Long> currentOffsets) {
      KafkaConsumer<K, V> consumer = new KafkaConsumer<>(driverParams(kafkaParams));
      subscribe(consumer);
      Map<TopicPartition, Long> seek = toSeek(currentOffsets, offsets);
      ConsumerPolls.awaitAssignment(consumer, !seek.isEmpty() && resetIsNone(kafkaParams), JOIN_POLLS, JOIN_POLL_MS);
      seekAndPause(consumer, seek);
      return consumer;
    }
  }

  static final class Subscribe<K, V> extends Subscribing<K, V> {
    private static final long serialVersionUID = 1L;
    private final List<String> topics;

    Subscribe(List<String> topics, HashMap<String, Object> kafkaParams, HashMap<TopicPartition, Long> offsets) {
      super(kafkaParams, offsets);
      this.topics = topics;
    }

    @Override
    void subscribe(KafkaConsumer<K, V> consumer) {
      consumer.subscribe(topics);
    }

    @Override
    public String toString() {
      return "Subscribe(" + describe(topics) + ")";
    }
  }

  static final class SubscribePattern<K, V> extends Subscribing<K, V> {
    private static final long serialVersionUID = 1L;
    private final Pattern pattern;

    SubscribePattern(Pattern pattern, HashMap<String, Object> kafkaParams, HashMap<TopicPartition, Long> offsets) {
      super(kafkaParams, offsets);
      this.pattern = pattern;
    }

    @Override
    void subscribe(KafkaConsumer<K, V> consumer) {
      consumer.subscribe(pattern);
    }

    @Override
    public String toString() {
      return "SubscribePattern(" + pattern + ")";
    }
  }

  static final class Assign<K, V> extends WithParams<K, V> {
    private static final long serialVersionUID = 1L;
    private final List<TopicPartition> topicPartitions;

    Assign(List<TopicPartition> topicPartitions, HashMap<String, Object> kafkaParams,
        HashMap<TopicPartition, Long> offsets) {
      super(kafkaParams, offsets);
      this.topicPartitions = topicPartitions;
    }

    @Override
    public Consumer<K, V> onStart(Map<TopicPartition, Long> currentOffsets) {
      KafkaConsumer<K, V> consumer = new KafkaConsumer<>(driverParams(kafkaParams));
      consumer.assign(topicPartitions);
      Map<TopicPartition, Long> seek = toSeek(currentOffsets, offsets);
      seek.forEach((tp, off) -> {
        if (topicPartitions.contains(tp)) {
          consumer.seek(tp, off);
        }
      });
      ConsumerPolls.pollWithoutConsuming(consumer, Duration.ZERO,
          !seek.isEmpty() && ConsumerStrategy.resetIsNone(kafkaParams));
      return consumer;
    }

    @Override
    public String toString() {
      return "Assign(" + topicPartitions + ")";
    }
  }
}
