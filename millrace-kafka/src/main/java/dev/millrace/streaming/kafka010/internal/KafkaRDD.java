package dev.millrace.streaming.kafka010.internal;

import dev.millrace.MillraceException;
import dev.millrace.internal.EngineContext;
import dev.millrace.internal.rdd.ComputesAnywhere;
import dev.millrace.internal.rdd.Dependency;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.kafka010.HasOffsetRanges;
import dev.millrace.streaming.kafka010.OffsetRange;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A batch of Kafka records: one partition per offset range, each read from Kafka when computed,
 * with a consumer of its own (borrowed from the stream's pool, or a new one for {@code createRDD} and
 * on an executor).
 *
 * <p>By default a range must hold consecutive offsets, as in Spark: a gap (a compacted topic, a
 * transaction marker, an aborted record under {@code read_committed}) fails the task and names
 * {@code spark.streaming.kafka.allowNonConsecutiveOffsets}. With that key set, a range is read until
 * the consumer's position reaches its end, so markers and records skipped by the isolation level
 * are passed over, and the count is the number of records actually read.
 *
 * <p>The dataset {@link ComputesAnywhere}: its offset ranges, reader parameters (already fixed for
 * readers by {@link KafkaParams#forReaders}), poll timeout and {@code allowNonConsecutiveOffsets}
 * travel with it, the consumer pool does not. A cluster runtime ships it to the executors, where
 * each task reads its own range with a consumer it creates from those parameters and closes when
 * the range is read; on the driver the stream's pool lends the consumers.
 *
 * <p>Safe to compute partitions from several threads at once (each has its own consumer).
 *
 * @param <K> type of the record keys
 * @param <V> type of the record values
 */
public final class KafkaRDD<K, V> extends RDD<ConsumerRecord<K, V>> implements HasOffsetRanges, ComputesAnywhere {
  private static final long serialVersionUID = 1L;
  private static final Cleaner CLEANER = Cleaner.create();

  private final Map<String, Object> kafkaParams;
  private final OffsetRange[] ranges;
  private final long pollTimeoutMs;
  private final boolean allowNonConsecutiveOffsets;
  private final transient ConsumerPool pool;

  /**
   * @param kafkaParams reader parameters (already fixed by {@link KafkaParams#forReaders})
   * @param pool consumers to reuse, or null to create and close one per partition
   * @throws IllegalArgumentException if a parameter the readers need is missing
   */
  public KafkaRDD(EngineContext context, Map<String, Object> kafkaParams, OffsetRange[] ranges, long pollTimeoutMs,
      boolean allowNonConsecutiveOffsets, ConsumerPool pool) {
    super(context, "KafkaRDD");
    this.kafkaParams = Collections.unmodifiableMap(new java.util.HashMap<>(kafkaParams));
    this.ranges = ranges.clone();
    this.pollTimeoutMs = pollTimeoutMs;
    this.allowNonConsecutiveOffsets = allowNonConsecutiveOffsets;
    this.pool = pool;
    if (!kafkaParams.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException("Kafka parameters must contain " + ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    }
  }

  @Override
  public OffsetRange[] offsetRanges() {
    return ranges.clone();
  }

  @Override
  public int numPartitions() {
    return ranges.length;
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of();
  }

  /** Counts from the ranges when offsets are consecutive (no read needed), else by reading, as Spark does. */
  @Override
  public long count() {
    if (allowNonConsecutiveOffsets) {
      return super.count();
    }
    long n = 0;
    for (OffsetRange r : ranges) {
      n += r.count();
    }
    return n;
  }

  @Override
  public boolean isEmpty() {
    if (allowNonConsecutiveOffsets) {
      return super.isEmpty();
    }
    return count() == 0;
  }

  @Override
  protected Iterator<ConsumerRecord<K, V>> compute(int partition) {
    OffsetRange range = ranges[partition];
    if (range.count() == 0) {
      return Collections.emptyIterator();
    }
    return new RangeReader<>(this, range);
  }

  /** One borrowed consumer; closed by the cleaner if its reader is dropped before giving it back. */
  private static final class Lease<K, V> implements Runnable {
    final Consumer<K, V> consumer;
    volatile boolean returned;

    Lease(Consumer<K, V> consumer) {
      this.consumer = consumer;
    }

    @Override
    public void run() {
      if (!returned) {
        returned = true;
        ConsumerPool.closeQuietly(consumer);
      }
    }
  }

  /** Reads one range, record by record, fetching a poll's worth at a time. */
  private static final class RangeReader<K, V> implements Iterator<ConsumerRecord<K, V>> {
    private final KafkaRDD<K, V> rdd;
    private final OffsetRange range;
    private final TopicPartition tp;
    private Lease<K, V> lease;
    private Iterator<ConsumerRecord<K, V>> buffer = Collections.emptyIterator();
    private long nextOffset;
    private ConsumerRecord<K, V> pending;
    private boolean done;

    RangeReader(KafkaRDD<K, V> rdd, OffsetRange range) {
      this.rdd = rdd;
      this.range = range;
      this.tp = range.topicPartition();
      this.nextOffset = range.fromOffset();
    }

    private Consumer<K, V> consumer() {
      if (lease == null) {
        Consumer<K, V> c;
        if (rdd.pool != null) {
          c = rdd.pool.borrow(tp);
        } else {
          c = new KafkaConsumer<>(rdd.kafkaParams);
          c.assign(List.of(tp));
        }
        c.seek(tp, range.fromOffset());
        lease = new Lease<>(c);
        CLEANER.register(this, lease);
      }
      return lease.consumer;
    }

    private void release() {
      done = true;
      buffer = Collections.emptyIterator();
      if (lease != null && !lease.returned) {
        lease.returned = true;
        if (rdd.pool != null) {
          rdd.pool.giveBack(tp, lease.consumer);
        } else {
          ConsumerPool.closeQuietly(lease.consumer);
        }
      }
    }

    private void poll() {
      try {
        buffer = consumer().poll(Duration.ofMillis(rdd.pollTimeoutMs)).records(tp).iterator();
      } catch (RuntimeException e) {
        release();
        throw new MillraceException("Reading " + range + " failed at offset " + nextOffset + ": " + e, e);
      }
    }

    @Override
    public boolean hasNext() {
      if (pending != null) {
        return true;
      }
      if (done) {
        return false;
      }
      if (rdd.allowNonConsecutiveOffsets) {
        return fetchNonConsecutive();
      }
      if (nextOffset >= range.untilOffset()) {
        release();
        return false;
      }
      return fetchConsecutive();
    }

    private boolean fetchConsecutive() {
      if (!buffer.hasNext()) {
        poll();
        if (!buffer.hasNext()) {
          release();
          throw new MillraceException("Failed to get records for " + rdd.kafkaParams.get(ConsumerConfig.GROUP_ID_CONFIG)
              + " " + tp.topic() + " " + tp.partition() + " " + nextOffset + " after polling for "
              + rdd.pollTimeoutMs + " ms (spark.streaming.kafka.consumer.poll.ms); if the topic is transactional "
              + "or compacted, enable spark.streaming.kafka.allowNonConsecutiveOffsets");
        }
      }
      ConsumerRecord<K, V> r = buffer.next();
      if (r.offset() != nextOffset) {
        // A stale buffer after a seek elsewhere: seek and fetch once more, as Spark does.
        consumer().seek(tp, nextOffset);
        poll();
        r = buffer.hasNext() ? buffer.next() : null;
        if (r == null || r.offset() != nextOffset) {
          release();
          throw new MillraceException("Got wrong record for " + rdd.kafkaParams.get(ConsumerConfig.GROUP_ID_CONFIG)
              + " " + tp.topic() + " " + tp.partition() + " even after seeking to offset " + nextOffset + " got offset "
              + (r == null ? "none" : Long.toString(r.offset())) + " instead. If this is a compacted or transactional "
              + "topic, consider enabling spark.streaming.kafka.allowNonConsecutiveOffsets");
        }
      }
      pending = r;
      return true;
    }

    private boolean fetchNonConsecutive() {
      while (true) {
        if (buffer.hasNext()) {
          ConsumerRecord<K, V> r = buffer.next();
          if (r.offset() >= range.untilOffset()) {
            release();
            return false;
          }
          if (r.offset() < nextOffset) {
            continue;
          }
          pending = r;
          return true;
        }
        long position = consumer().position(tp);
        if (position >= range.untilOffset()) {
          release();
          return false;
        }
        poll();
        if (!buffer.hasNext() && consumer().position(tp) == position) {
          release();
          throw new MillraceException("Failed to get records for compacted "
              + rdd.kafkaParams.get(ConsumerConfig.GROUP_ID_CONFIG) + " " + tp.topic() + " " + tp.partition()
              + " at offset " + position + " (range " + range + ") after polling for " + rdd.pollTimeoutMs + " ms");
        }
      }
    }

    @Override
    public ConsumerRecord<K, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException("Can't call getNext() once untilOffset has been reached");
      }
      ConsumerRecord<K, V> r = pending;
      pending = null;
      nextOffset = r.offset() + 1;
      if (!rdd.allowNonConsecutiveOffsets && nextOffset >= range.untilOffset()) {
        release();
      }
      return r;
    }
  }
}
