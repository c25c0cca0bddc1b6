package dev.millrace.streaming.kafka010.internal;

import dev.millrace.MillraceConf;
import dev.millrace.MillraceException;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.dstream.InputDStream;
import dev.millrace.streaming.kafka010.CanCommitOffsets;
import dev.millrace.streaming.kafka010.ConsumerStrategy;
import dev.millrace.streaming.kafka010.LocationStrategy;
import dev.millrace.streaming.kafka010.OffsetRange;
import dev.millrace.streaming.kafka010.PerPartitionConfig;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The direct Kafka stream: at each batch time it asks Kafka for the latest offsets, fixes one
 * offset range per partition (from the previous batch's end, clamped by the rate limits), and
 * returns a {@link KafkaRDD} that reads those ranges when the batch runs. No receiver, no buffer:
 * what a batch holds is decided by its ranges alone, so a batch can be re-run exactly.
 *
 * <p><b>Progress.</b> The ranges of every generated batch whose outputs have not all succeeded,
 * and the next offset of every partition, are plain data ({@link StreamProgress}). With a
 * checkpoint directory set they are written to {@code <checkpoint>/kafka-direct/stream-<id>/}
 * before the batch is handed to the scheduler, and again when a batch completes without error.
 * On a start with the same directory the stream resumes from that progress instead of the group's
 * committed offsets: reading restarts at the beginning of the earliest unfinished batch, so
 * nothing generated but unfinished is lost; only where the group committed further (offsets are
 * committed after outputs succeeded, by {@code commitAsync} or a transactional {@code KafkaSink})
 * does it start at the committed offset instead.
 *
 * <p><b>Recovery hook.</b> A metadata-checkpoint recovery that restores batch times can, before
 * {@code start}, call {@link #pendingBatches()} and {@link #restoreBatch(Time)} for each: the batch
 * is then re-run with exactly its stored ranges, and new batches continue after them.
 *
 * <p><b>Retention.</b> Each batch checks its start offsets against the earliest offsets the broker
 * still has; a gap follows {@code millrace.streaming.kafka.offsetOutOfRange}: {@code fail} (the
 * default; the batch fails with a message naming the partitions), or {@code earliest} / {@code
 * latest} (skip, log, and report the skipped counts under {@code offsetsOutOfRange} in the batch's
 * input info).
 *
 * <p>Each batch's input info carries {@code offsets} (the ranges), {@code lag} (per partition: the
 * latest offset minus the next offset to read) and a description.
 *
 * <p>Threading: batches are generated on one thread; {@link #commitAsync} may be called from any
 * thread; start, stop and compute synchronize on the stream.
 */
public final class DirectKafkaInputDStream<K, V> extends InputDStream<ConsumerRecord<K, V>>
    implements CanCommitOffsets {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(DirectKafkaInputDStream.class);

  /** Input-info metadata key: the batch's offset ranges, a {@code List<OffsetRange>}. */
  public static final String METADATA_OFFSETS = "offsets";
  /** Input-info metadata key: per-partition lag after the batch, a {@code Map<TopicPartition, Long>}. */
  public static final String METADATA_LAG = "lag";
  /** Input-info metadata key: records skipped because the broker no longer had them, per partition. */
  public static final String METADATA_OUT_OF_RANGE = "offsetsOutOfRange";

  private final LocationStrategy locationStrategy;
  private final ConsumerStrategy<K, V> consumerStrategy;
  private final PerPartitionConfig ppc;
  private final Map<String, Object> readerParams;
  private final long pollTimeoutMs;
  private final boolean allowNonConsecutiveOffsets;
  private final OffsetOutOfRangePolicy outOfRangePolicy;

  private final transient ConcurrentLinkedQueue<OffsetRange> commitQueue = new ConcurrentLinkedQueue<>();
  private final transient AtomicReference<OffsetCommitCallback> commitCallback = new AtomicReference<>();

  private transient Consumer<K, V> consumer;
  private transient ConsumerPool pool;
  private transient Map<TopicPartition, Long> currentOffsets = new HashMap<>();
  private transient TreeMap<Long, List<OffsetRange>> pending = new TreeMap<>();
  private transient ProgressStore store;
  private transient StreamProgress loaded;
  private transient boolean loadedProgress;
  private transient boolean restoredBatches;
  private final transient List<java.util.function.Consumer<Set<Long>>> startHooks = new ArrayList<>();

  public DirectKafkaInputDStream(StreamingEngine ssc, LocationStrategy locationStrategy,
      ConsumerStrategy<K, V> consumerStrategy, PerPartitionConfig ppc) {
    super(ssc, "createDirectStream");
    this.locationStrategy = Objects.requireNonNull(locationStrategy, "locationStrategy");
    this.consumerStrategy = Objects.requireNonNull(consumerStrategy, "consumerStrategy");
    this.ppc = Objects.requireNonNull(ppc, "perPartitionConfig");
    MillraceConf conf = ssc.engine().conf();
    this.readerParams = KafkaParams.forReaders(consumerStrategy.executorKafkaParams());
    this.pollTimeoutMs = conf.get(KafkaConfigKeys.CONSUMER_POLL_MS);
    this.allowNonConsecutiveOffsets = conf.get(KafkaConfigKeys.ALLOW_NON_CONSECUTIVE_OFFSETS);
    this.outOfRangePolicy = OffsetOutOfRangePolicy.parse(conf.get(KafkaConfigKeys.OFFSET_OUT_OF_RANGE));
  }

  /** The location strategy given at creation (meaningful once tasks run on several machines). */
  public LocationStrategy locationStrategy() {
    return locationStrategy;
  }

  // ------------------------------------------------------------ progress and recovery

  /** The directory this stream keeps its progress in, or null without a checkpoint directory. */
  public synchronized Path progressDirectory() {
    String dir = context().checkpointDir();
    return dir == null ? null : Paths.get(dir, "kafka-direct", "stream-" + id());
  }

  private synchronized StreamProgress loadProgress() {
    if (!loadedProgress) {
      loadedProgress = true;
      Path dir = progressDirectory();
      if (dir != null) {
        store = new ProgressStore(dir);
        loaded = store.read().orElse(null);
      }
    }
    return loaded;
  }

  /**
   * Recovery hook: the batches of a previous run that were generated but did not complete, with
   * their ranges, from the checkpoint directory; empty without one.
   */
  public synchronized SortedMap<Time, List<OffsetRange>> pendingBatches() {
    StreamProgress p = loadProgress();
    SortedMap<Time, List<OffsetRange>> out = new TreeMap<>();
    if (p != null) {
      p.pendingBatches().forEach((t, r) -> out.put(new Time(t), r));
    }
    return out;
  }

  /**
   * Recovery hook: makes batch {@code time} of a previous run read exactly its stored ranges when
   * the scheduler asks for it again, and makes new batches start after the stored next offsets.
   * Call before {@code start}, for each of {@link #pendingBatches()}.
   *
   * @throws IllegalArgumentException if {@code time} is not a pending batch
   */
  public synchronized void restoreBatch(Time time) {
    StreamProgress p = loadProgress();
    List<OffsetRange> ranges = p == null ? null : p.pendingBatches().get(time.milliseconds());
    if (ranges == null) {
      throw new IllegalArgumentException("Batch " + time + " is not a pending batch of " + this);
    }
    restoredBatches = true;
    pending.put(time.milliseconds(), ranges);
    rememberRDD(time, newRDD(ranges.toArray(new OffsetRange[0])));
  }

  /**
   * Registers {@code hook} to run at start, before the resume offsets are read, with the batch
   * times of the previous run that did not complete (empty without stored progress). A
   * transactional sink uses it to end transactions a crashed run left open. Call before start.
   */
  public synchronized void addStartHook(java.util.function.Consumer<Set<Long>> hook) {
    startHooks.add(Objects.requireNonNull(hook, "hook"));
  }

  /** The offset ranges of batch {@code time} while it has not completed, or null. */
  public synchronized List<OffsetRange> rangesOf(Time time) {
    return pending.get(time.milliseconds());
  }

  /** The consumer group of the stream ({@code group.id}), or null. */
  public String groupId() {
    Object g = consumerStrategy.executorKafkaParams().get(ConsumerConfig.GROUP_ID_CONFIG);
    return g == null ? null : g.toString();
  }

  /** The stream's {@code bootstrap.servers}, as given. */
  public String bootstrapServers() {
    return String.valueOf(consumerStrategy.executorKafkaParams().get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
  }

  /** The group's committed offsets, read without waiting for open transactions; empty without a group. */
  private Map<TopicPartition, Long> committedOffsets() {
    String group = groupId();
    if (group == null) {
      return Map.of();
    }
    Map<String, Object> adminConfig = new HashMap<>();
    consumerStrategy.executorKafkaParams().forEach((k, v) -> {
      if (AdminClientConfig.configNames().contains(k)) {
        adminConfig.put(k, v);
      }
    });
    try (Admin admin = Admin.create(adminConfig)) {
      Map<TopicPartition, Long> out = new HashMap<>();
      admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS)
          .forEach((tp, om) -> {
            if (om != null) {
              out.put(tp, om.offset());
            }
          });
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MillraceException("Interrupted while reading the committed offsets of group " + group, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new MillraceException("Cannot read the committed offsets of group " + group + " for " + this + ": " + e, e);
    }
  }

  private void writeProgress() {
    if (store != null) {
      store.write(new StreamProgress(pending, currentOffsets));
    }
  }

  // ------------------------------------------------------------ lifecycle

  @Override
  public synchronized void start() {
    StreamProgress progress = loadProgress();
    Map<TopicPartition, Long> resume = new HashMap<>();
    if (progress != null) {
      for (java.util.function.Consumer<Set<Long>> hook : startHooks) {
        hook.accept(progress.pendingBatches().keySet());
      }
      if (restoredBatches) {
        resume.putAll(progress.nextOffsets());
      } else {
        resume.putAll(progress.resumeOffsets());
        // Offsets committed past the stored ones belong to records whose outputs were acknowledged
        // (commitAsync after the outputs, or a transactional sink's commit): do not read them again.
        committedOffsets().forEach((tp, committed) ->
            resume.computeIfPresent(tp, (k, stored) -> Math.max(stored, committed)));
        if (!progress.pendingBatches().isEmpty()) {
          LOG.info("{}: {} unfinished batch(es) of the previous run; resuming at {}", this,
              progress.pendingBatches().size(), resume);
        }
      }
    }
    consumer = consumerStrategy.onStart(Collections.unmodifiableMap(resume));
    pool = new ConsumerPool(readerParams);
    currentOffsets = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      currentOffsets.put(tp, resume.containsKey(tp) ? resume.get(tp) : consumer.position(tp));
    }
    writeProgress();
  }

  @Override
  public synchronized void stop() {
    if (consumer == null) {
      return;
    }
    try {
      commitAll(true);
    } catch (RuntimeException e) {
      LOG.warn("{}: committing queued offsets at stop failed", this, e);
    }
    try {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(java.time.Duration.ofSeconds(5)));
    } finally {
      consumer = null;
      pool.close();
    }
  }

  // ------------------------------------------------------------ batches

  private KafkaRDD<K, V> newRDD(OffsetRange[] ranges) {
    return new KafkaRDD<>(context().engine(), readerParams, ranges, pollTimeoutMs, allowNonConsecutiveOffsets, pool);
  }

  /** Spark's poll that consumes nothing, then the latest offset of every assigned partition. */
  private Map<TopicPartition, Long> latestOffsets() {
    Consumer<K, V> c = consumer;
    ConsumerPolls.pollWithoutConsuming(c, Duration.ZERO, false);
    Set<TopicPartition> parts = new HashSet<>(c.assignment());
    Set<TopicPartition> revoked = new HashSet<>(currentOffsets.keySet());
    revoked.removeAll(parts);
    if (!revoked.isEmpty()) {
      throw new IllegalStateException("Previously tracked partitions " + revoked + " been revoked by Kafka because "
          + "of consumer rebalance. This is mostly due to another stream with same group id joined, please check "
          + "if there're different streaming application misconfigure to use same group id. Fundamentally "
          + "different stream should use different group id");
    }
    for (TopicPartition tp : parts) {
      if (!currentOffsets.containsKey(tp)) {
        currentOffsets.put(tp, c.position(tp));
      }
    }
    return new HashMap<>(c.endOffsets(parts));
  }

  /** Applies the out-of-range policy to offsets the broker no longer has; returns skipped counts. */
  private Map<TopicPartition, Long> checkRetention(Time time, Map<TopicPartition, Long> latest) {
    Map<TopicPartition, Long> earliest = consumer.beginningOffsets(currentOffsets.keySet());
    Map<TopicPartition, Long> skipped = new TreeMap<>(TP_ORDER);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<TopicPartition, Long> e : currentOffsets.entrySet()) {
      TopicPartition tp = e.getKey();
      long next = e.getValue();
      Long first = earliest.get(tp);
      Long last = latest.get(tp);
      boolean below = first != null && next < first;
      boolean above = last != null && next > last;
      if (!below && !above) {
        continue;
      }
      problems.add(tp + ": next offset " + next + (below ? " is before the earliest offset " + first
          + " the broker still has (deleted by retention?)" : " is after the latest offset " + last
          + " (topic recreated or truncated?)"));
      long to = outOfRangePolicy == OffsetOutOfRangePolicy.LATEST || first == null ? last : first;
      skipped.put(tp, Math.max(0, to - next));
    }
    if (problems.isEmpty()) {
      return Map.of();
    }
    if (outOfRangePolicy == OffsetOutOfRangePolicy.FAIL) {
      throw new MillraceException("Offsets out of range for " + this + " at batch " + time + ": "
          + String.join("; ", problems) + ". Records were lost or the stored offsets are stale; set "
          + KafkaConfigKeys.OFFSET_OUT_OF_RANGE.name() + "=earliest or latest to skip ahead and continue.");
    }
    skipped.forEach((tp, n) -> currentOffsets.put(tp, outOfRangePolicy == OffsetOutOfRangePolicy.LATEST
        ? latest.get(tp) : earliest.get(tp)));
    LOG.warn("{} at batch {}: {}; skipping to the {} offsets ({} records skipped per partition)", this, time,
        String.join("; ", problems), outOfRangePolicy.name().toLowerCase(java.util.Locale.ROOT), skipped);
    return skipped;
  }

  private static final Comparator<TopicPartition> TP_ORDER =
      Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  @Override
  protected synchronized RDD<ConsumerRecord<K, V>> compute(Time validTime) {
    if (consumer == null) {
      throw new IllegalStateException(this + " is not started");
    }
    Map<TopicPartition, Long> latest = latestOffsets();
    Map<TopicPartition, Long> skipped = checkRetention(validTime, latest);
    Map<TopicPartition, Long> until = RateLimits.clamp(currentOffsets, latest,
        context().batchDuration().milliseconds(), ppc);
    List<TopicPartition> order = new ArrayList<>(until.keySet());
    order.sort(TP_ORDER);
    OffsetRange[] ranges = new OffsetRange[order.size()];
    Map<TopicPartition, Long> lag = new LinkedHashMap<>();
    for (int i = 0; i < ranges.length; i++) {
      TopicPartition tp = order.get(i);
      ranges[i] = OffsetRange.create(tp, currentOffsets.get(tp), until.get(tp));
      lag.put(tp, Math.max(0, latest.get(tp) - until.get(tp)));
    }
    KafkaRDD<K, V> rdd = newRDD(ranges);

    // Recorded before the batch runs, so that a restart re-reads it if it does not complete.
    pending.put(validTime.milliseconds(), List.of(ranges));
    currentOffsets = new HashMap<>(until);
    writeProgress();

    List<OffsetRange> described = new ArrayList<>();
    for (OffsetRange r : ranges) {
      if (r.fromOffset() != r.untilOffset()) {
        described.add(r);
      }
    }
    described.sort(Comparator.comparingLong(OffsetRange::count).reversed());
    StringBuilder description = new StringBuilder();
    for (OffsetRange r : described) {
      if (description.length() > 0) {
        description.append('\n');
      }
      description.append("topic: ").append(r.topic()).append("\tpartition: ").append(r.partition())
          .append("\toffsets: ").append(r.fromOffset()).append(" to ").append(r.untilOffset())
          .append("\tcount: ").append(r.count());
    }
    Map<String, Object> metadata = new HashMap<>();
    metadata.put(METADATA_OFFSETS, List.of(ranges));
    metadata.put(METADATA_LAG, Collections.unmodifiableMap(lag));
    metadata.put(StreamInputInfo.METADATA_KEY_DESCRIPTION, description.toString());
    if (!skipped.isEmpty()) {
      metadata.put(METADATA_OUT_OF_RANGE, Collections.unmodifiableMap(skipped));
    }
    reportInput(validTime, rdd.count(), metadata);

    commitAll(false);
    return rdd;
  }

  /** After batch {@code time} completed: forgets its ranges unless the context has seen an error. */
  @Override
  public void clearMetadata(Time time) {
    super.clearMetadata(time);
    synchronized (this) {
      if (context().error() == null && pending.remove(time.milliseconds()) != null) {
        writeProgress();
      }
    }
  }

  // ------------------------------------------------------------ commits

  @Override
  public void commitAsync(OffsetRange[] offsetRanges) {
    commitAsync(offsetRanges, null);
  }

  @Override
  public void commitAsync(OffsetRange[] offsetRanges, OffsetCommitCallback callback) {
    Objects.requireNonNull(offsetRanges, "offsetRanges");
    commitCallback.set(callback);
    Collections.addAll(commitQueue, offsetRanges);
  }

  private void commitAll(boolean sync) {
    Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>();
    OffsetRange r;
    while ((r = commitQueue.poll()) != null) {
      TopicPartition tp = r.topicPartition();
      OffsetAndMetadata prev = m.get(tp);
      long offset = prev == null ? r.untilOffset() : Math.max(prev.offset(), r.untilOffset());
      m.put(tp, new OffsetAndMetadata(offset));
    }
    if (m.isEmpty()) {
      return;
    }
    OffsetCommitCallback cb = commitCallback.get();
    OffsetCommitCallback effective = (offsets, e) -> {
      if (e != null) {
        LOG.warn("{}: committing offsets {} failed", this, offsets, e);
      }
      if (cb != null) {
        cb.onComplete(offsets, e);
      }
    };
    if (sync) {
      try {
        consumer.commitSync(m);
        effective.onComplete(m, null);
      } catch (RuntimeException e) {
        effective.onComplete(m, e);
      }
    } else {
      consumer.commitAsync(m, effective);
    }
  }
}
