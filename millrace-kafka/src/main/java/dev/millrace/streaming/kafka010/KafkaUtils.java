package dev.millrace.streaming.kafka010;

import dev.millrace.MillraceConf;
import dev.millrace.api.java.JavaMillraceContext;
import dev.millrace.api.java.JavaRDD;
import dev.millrace.streaming.api.java.JavaInputDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import dev.millrace.streaming.kafka010.internal.DirectKafkaInputDStream;
import dev.millrace.streaming.kafka010.internal.KafkaConfigKeys;
import dev.millrace.streaming.kafka010.internal.KafkaParams;
import dev.millrace.streaming.kafka010.internal.KafkaRDD;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Entry points to Kafka, as Spark's {@code KafkaUtils} (spark-streaming-kafka-0-10): a direct
 * stream whose batches are offset ranges, and a dataset of fixed offset ranges.
 *
 * <pre>{@code
 * JavaInputDStream<ConsumerRecord<String, String>> stream = KafkaUtils.createDirectStream(
 *     jssc, LocationStrategies.PreferConsistent(),
 *     ConsumerStrategies.<String, String>Subscribe(List.of("lines"), kafkaParams));
 * stream.foreachRDD(rdd -> {
 *   OffsetRange[] ranges = ((HasOffsetRanges) rdd.rdd()).offsetRanges();
 *   rdd.map(ConsumerRecord::value).saveAsTextFile(...);
 *   ((CanCommitOffsets) stream.inputDStream()).commitAsync(ranges);
 * });
 * }</pre>
 *
 * <p>The stream's batches have one partition per Kafka partition, read when the batch runs (not
 * when it is generated). Configuration: {@code spark.streaming.kafka.maxRatePerPartition}, {@code
 * minRatePerPartition}, {@code consumer.poll.ms}, {@code allowNonConsecutiveOffsets} and {@code
 * millrace.streaming.kafka.offsetOutOfRange}; see {@code docs/kafka.md}. With a checkpoint
 * directory the stream stores the offset ranges of every batch it generates and resumes from them.
 *
 * <p>Call the factories while defining the streaming graph (before {@code start}), from one thread.
 */
public final class KafkaUtils {
  private KafkaUtils() {}

  /**
   * A direct stream of Kafka records, rate-limited by the context's configuration.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if the context was already started or stopped
   */
  public static <K, V> JavaInputDStream<ConsumerRecord<K, V>> createDirectStream(JavaStreamingContext jssc,
      LocationStrategy locationStrategy, ConsumerStrategy<K, V> consumerStrategy) {
    Objects.requireNonNull(jssc, "jssc");
    return createDirectStream(jssc, locationStrategy, consumerStrategy,
        defaultPerPartitionConfig(jssc.sparkContext().getConf()));
  }

  /**
   * A direct stream of Kafka records with per-partition rate limits of the caller's choosing.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if the context was already started or stopped
   */
  public static <K, V> JavaInputDStream<ConsumerRecord<K, V>> createDirectStream(JavaStreamingContext jssc,
      LocationStrategy locationStrategy, ConsumerStrategy<K, V> consumerStrategy,
      PerPartitionConfig perPartitionConfig) {
    Objects.requireNonNull(jssc, "jssc");
    return new JavaInputDStream<>(new DirectKafkaInputDStream<>(jssc.ssc(), locationStrategy, consumerStrategy,
        perPartitionConfig));
  }

  /**
   * A dataset of the records in {@code offsetRanges}, one partition per range, read when computed.
   * The parameters get Spark's reader overrides ({@code enable.auto.commit=false}, {@code
   * auto.offset.reset=none}, group id {@code spark-executor-<group.id>}).
   *
   * @throws IllegalArgumentException for {@link LocationStrategies#PreferBrokers()}, which needs a
   *     driver consumer that a single dataset does not have (Spark's rule), or without {@code bootstrap.servers}
   */
  public static <K, V> JavaRDD<ConsumerRecord<K, V>> createRDD(JavaMillraceContext jsc, Map<String, Object> kafkaParams,
      OffsetRange[] offsetRanges, LocationStrategy locationStrategy) {
    Objects.requireNonNull(jsc, "jsc");
    Objects.requireNonNull(kafkaParams, "kafkaParams");
    Objects.requireNonNull(offsetRanges, "offsetRanges");
    Objects.requireNonNull(locationStrategy, "locationStrategy");
    if (locationStrategy instanceof LocationStrategy.PreferBrokers) {
      throw new IllegalArgumentException("If you want to prefer brokers, you must provide a mapping using "
          + "PreferFixed A single KafkaRDD does not have a driver consumer and cannot look up brokers for you.");
    }
    MillraceConf conf = jsc.getConf();
    return new JavaRDD<>(new KafkaRDD<K, V>(jsc.engine(), KafkaParams.forReaders(kafkaParams), offsetRanges,
        conf.get(KafkaConfigKeys.CONSUMER_POLL_MS), conf.get(KafkaConfigKeys.ALLOW_NON_CONSECUTIVE_OFFSETS), null));
  }

  /** The limits from {@code spark.streaming.kafka.maxRatePerPartition} and {@code minRatePerPartition}. */
  static PerPartitionConfig defaultPerPartitionConfig(MillraceConf conf) {
    long max = conf.get(KafkaConfigKeys.MAX_RATE_PER_PARTITION);
    long min = conf.get(KafkaConfigKeys.MIN_RATE_PER_PARTITION);
    if (min < 1) {
      throw new IllegalArgumentException(KafkaConfigKeys.MIN_RATE_PER_PARTITION.name()
          + " must be at least 1, was " + min);
    }
    return new DefaultPerPartitionConfig(max, min);
  }

  private static final class DefaultPerPartitionConfig extends PerPartitionConfig {
    private static final long serialVersionUID = 1L;
    private final long max;
    private final long min;

    DefaultPerPartitionConfig(long max, long min) {
      this.max = max;
      this.min = min;
    }

    @Override
    public long maxRatePerPartition(TopicPartition topicPartition) {
      return max;
    }

    @Override
    public long minRatePerPartition(TopicPartition topicPartition) {
      return min;
    }
  }
}
