package dev.millrace.streaming.kafka010.internal;

import dev.millrace.MillraceConf;
import dev.millrace.MillraceException;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.checkpoint.Checkpointing;
import dev.millrace.streaming.internal.checkpoint.MetadataCheckpoint;
import dev.millrace.streaming.internal.checkpoint.SourceProgress;
import dev.millrace.streaming.internal.dstream.InputDStream;
import dev.millrace.streaming.internal.scheduler.rate.IngestionRate;
import dev.millrace.streaming.internal.scheduler.rate.RateController;
import dev.millrace.streaming.kafka010.CanCommitOffsets;
import dev.millrace.streaming.kafka010.ConsumerStrategy;
import dev.millrace.streaming.kafka010.LocationStrategy;
import dev.millrace.streaming.kafka010.OffsetRange;
import dev.millrace.streaming.kafka010.PerPartitionConfig;
import dev.millrace.streaming.scheduler.StreamInputInfo;
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
import java.util.TreeSet;
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
 * <p><b>Progress and recovery.</b> The stream is a {@link SourceProgress} of kind {@code
 * kafka-offsets} ({@link KafkaOffsetsProgress}): every metadata checkpoint holds the offset ranges
 * of each generated batch the engine may run again (pending batches, batches after the newest state
 * checkpoint of a stateful operator, and the batches a window over the stream still remembers),
 * always including the newest generated batch, plus the batches whose outputs the stream has not
 * seen succeed. Recovery with {@code JavaStreamingContext.getOrCreate} restores them before {@code
 * start}: each re-run batch time reads exactly the ranges fixed for it before the crash, so its
 * records, and any state computed from them, are the same; new batches continue from the newest
 * restored batch's {@code untilOffset}s. A batch at or before the checkpoint's time whose ranges
 * were no longer needed is empty.
 *
 * <p><b>Plain restart.</b> A new context (not {@code getOrCreate}) with the same checkpoint
 * directory reads the stream's progress from the newest metadata checkpoint there instead of the
 * group's committed offsets: reading restarts at the beginning of the earliest unfinished batch
 * (pending when the checkpoint was written, generated after it, or whose output failed), else after
 * the newest batch, so nothing generated but unfinished is lost; only where the group committed
 * further (offsets are committed after outputs succeeded, by {@code commitAsync} or a transactional
 * {@code KafkaSink}) does it start at the committed offset instead. Batch times are not kept.
 *
 * <p><b>Retention.</b> Each batch checks its start offsets against the earliest offsets the broker
 * still has; a gap follows {@code millrace.streaming.kafka.offsetOutOfRange}: {@code fail} (the
 * default; the batch fails with a message naming the partitions), or {@code earliest} / {@code
 * latest} (skip, log, and report the skipped counts under {@code offsetsOutOfRange} in the batch's
 * input info).
 *
 * <p>Each batch's input info carries {@code offsets} (the ranges), {@code lag} (per partition: the
 * latest offset minus the next offset to read) and a description; {@link #lag()} is their sum at the
 * latest batch.
 *
 * <p><b>Backpressure.</b> With {@code spark.streaming.backpressure.enabled} the stream has a {@link
 * RateController}; each batch then reads at most Spark's {@code maxMessagesPerPartition} per
 * partition: the controller's latest estimate (before the first one, {@code
 * backpressure.initialRate}) split over the partitions by lag, capped by {@code
 * maxRatePerPartition}, times the batch seconds, raised to {@code minRatePerPartition} (see {@link
 * RateLimits}).
 *
 * <p>Threading: batches are generated on one thread; {@link #commitAsync} may be called from any
 * thread; start, stop, compute and the progress methods synchronize on the stream.
 */
public final class DirectKafkaInputDStream<K, V> extends InputDStream<ConsumerRecord<K, V>>
    implements CanCommitOffsets, SourceProgress {
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
  /** Where reading resumes per partition after a restart (from a checkpoint), for partitions assigned late. */
  private transient Map<TopicPartition, Long> resumeOffsets = Map.of();
  /** The ranges of generated (or restored) batches that may still be needed, by batch time in ms. */
  private final transient TreeMap<Long, List<OffsetRange>> batchRanges = new TreeMap<>();
  /** Batches generated whose outputs this stream has not seen succeed (no clearMetadata yet). */
  private final transient TreeSet<Long> unfinished = new TreeSet<>();
  /** The checkpoint time of a restore; batches up to it without ranges are empty. Null without one. */
  private transient Long restoredUpTo;
  private final transient List<java.util.function.Consumer<Set<Long>>> startHooks = new ArrayList<>();
  private transient volatile IngestionRate rate;
  /** Records between the latest offsets and the end of the last generated batch; -1 before it. */
  private transient volatile long lastLag = -1;

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

  // ------------------------------------------------------------ checkpoint progress (SourceProgress)

  @Override
  public String progressKind() {
    return KafkaOffsetsProgress.KIND;
  }

  @Override
  public int progressVersion() {
    return KafkaOffsetsProgress.VERSION;
  }

  /**
   * The oldest batch whose ranges are kept: what the engine may re-run or recompute, and what a
   * window over this stream remembers.
   */
  private long keepFrom(long oldestNeeded) {
    long keep = oldestNeeded;
    dev.millrace.streaming.Duration remember = rememberDuration();
    if (!batchRanges.isEmpty() && remember != null) {
      keep = Math.min(keep, batchRanges.lastKey() - remember.milliseconds() + slideDuration().milliseconds());
    }
    return keep;
  }

  /** The batches from {@code oldestNeeded} on, the remembered ones, and always the newest (where reading goes on). */
  @Override
  public synchronized List<Time> progressTimes(Time oldestNeeded) {
    if (batchRanges.isEmpty()) {
      return List.of();
    }
    long keep = keepFrom(oldestNeeded.milliseconds());
    List<Time> out = new ArrayList<>();
    for (long t : batchRanges.tailMap(keep, true).keySet()) {
      out.add(new Time(t));
    }
    if (out.isEmpty()) {
      out.add(new Time(batchRanges.lastKey()));
    }
    return out;
  }

  @Override
  public synchronized byte[] encodeProgress(Time batchTime) {
    return KafkaOffsetsProgress.encodeRanges(knownRanges(batchTime));
  }

  @Override
  public synchronized String describeProgress(Time batchTime) {
    return KafkaOffsetsProgress.describe(knownRanges(batchTime));
  }

  private List<OffsetRange> knownRanges(Time batchTime) {
    List<OffsetRange> ranges = batchRanges.get(batchTime.milliseconds());
    if (ranges == null) {
      throw new IllegalStateException(this + " no longer knows the offset ranges of batch " + batchTime);
    }
    return ranges;
  }

  /** Whether the context failed, and the batches whose outputs the stream has not seen succeed. */
  @Override
  public synchronized byte[] encodeStreamProgress() {
    return KafkaOffsetsProgress.encodeStream(context().error() != null, unfinished);
  }

  /** Forgets the ranges of batches before {@code oldestNeeded} (but the newest) once a checkpoint has the rest. */
  @Override
  public synchronized void checkpointWritten(Time oldestNeeded) {
    if (batchRanges.isEmpty()) {
      return;
    }
    long newest = batchRanges.lastKey();
    long keep = Math.min(keepFrom(oldestNeeded.milliseconds()), newest);
    batchRanges.headMap(keep, false).clear();
    if (context().error() == null) {
      // Batches before oldestNeeded completed (the engine re-runs none of them), whatever this stream saw.
      unfinished.headSet(oldestNeeded.milliseconds(), false).clear();
    }
  }

  /**
   * Takes over the ranges of the checkpoint's batches: each of them, when computed again, reads
   * exactly those ranges; new batches start at the newest batch's {@code untilOffset}s.
   *
   * @throws IllegalArgumentException naming the stream and batch if the progress cannot be read
   */
  @Override
  public synchronized void restoreProgress(int version, byte[] streamProgress, SortedMap<Time, byte[]> batches,
      Time checkpointTime) {
    if (consumer != null) {
      throw new IllegalStateException(this + " is started already; progress is restored before start");
    }
    TreeMap<Long, List<OffsetRange>> ranges = new TreeMap<>();
    for (Map.Entry<Time, byte[]> e : batches.entrySet()) {
      try {
        ranges.put(e.getKey().milliseconds(), KafkaOffsetsProgress.decodeRanges(version, e.getValue()));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("Cannot restore " + this + " (" + operatorId() + ") from the checkpoint: "
            + "the offset ranges of batch " + e.getKey() + ": " + ex.getMessage(), ex);
      }
    }
    KafkaOffsetsProgress.StreamState state;
    try {
      state = KafkaOffsetsProgress.decodeStream(version, streamProgress);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("Cannot restore " + this + " (" + operatorId() + ") from the checkpoint: "
          + ex.getMessage(), ex);
    }
    batchRanges.clear();
    batchRanges.putAll(ranges);
    unfinished.clear();
    unfinished.addAll(state.unfinished());
    unfinished.addAll(ranges.tailMap(checkpointTime.milliseconds(), false).keySet());
    restoredUpTo = checkpointTime.milliseconds();
  }

  /**
   * Registers {@code hook} to run at start, before reading begins, with the batch times of the
   * previous run whose outputs may not have completed (empty on a first start). A transactional
   * sink uses it to end transactions a crashed run left open. Call before start.
   */
  public synchronized void addStartHook(java.util.function.Consumer<Set<Long>> hook) {
    startHooks.add(Objects.requireNonNull(hook, "hook"));
  }

  /** The offset ranges fixed for batch {@code time} while the stream keeps them (at least until it completed), or null. */
  public synchronized List<OffsetRange> rangesOf(Time time) {
    return batchRanges.get(time.milliseconds());
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

  /** Where a plain restart resumes, and the batches of the previous run that may be unfinished. */
  private record StoredResume(Map<TopicPartition, Long> offsets, Set<Long> unfinished, int unfinishedBatches) {}

  /**
   * A plain restart (no recovery) with a checkpoint directory: this stream's progress in the newest
   * metadata checkpoint there, turned into resume offsets; null if there is none.
   */
  private StoredResume storedResume() {
    String dir = context().checkpointDir();
    if (dir == null) {
      return null;
    }
    MetadataCheckpoint cp;
    try {
      cp = Checkpointing.readLatest(Paths.get(dir));
    } catch (RuntimeException e) {
      LOG.warn("{}: the checkpoint in {} cannot be read ({}); starting from the consumer strategy's offsets", this,
          dir, e.getMessage());
      return null;
    }
    if (cp == null) {
      return null;
    }
    MetadataCheckpoint.InputProgress mine = null;
    for (MetadataCheckpoint.InputProgress p : cp.inputs()) {
      if (p.operatorId().equals(operatorId()) && p.kind().equals(KafkaOffsetsProgress.KIND)) {
        mine = p;
      }
    }
    if (mine == null || mine.batches().isEmpty()) {
      return null;
    }
    TreeMap<Long, List<OffsetRange>> ranges = new TreeMap<>();
    KafkaOffsetsProgress.StreamState state;
    try {
      for (Map.Entry<Long, byte[]> e : mine.batches().entrySet()) {
        ranges.put(e.getKey(), KafkaOffsetsProgress.decodeRanges(mine.version(), e.getValue()));
      }
      state = KafkaOffsetsProgress.decodeStream(mine.version(), mine.streamProgress());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot resume " + this + " (" + operatorId() + ") from the checkpoint in "
          + dir + ": " + e.getMessage() + ". Start with a fresh checkpoint directory to read from the group's "
          + "committed offsets instead.", e);
    }
    // Unfinished: what the engine had not completed (pending, or generated after the checkpoint's
    // time) and the stream had not seen succeed; after a failed output, whatever the stream had not
    // seen succeed (the engine counts a failed batch as done).
    Set<Long> open = new TreeSet<>();
    for (long t : state.unfinished()) {
      if (state.failed() || cp.pendingTimesMs().contains(t) || t > cp.checkpointTimeMs()) {
        open.add(t);
      }
    }
    Map<TopicPartition, Long> resume = new HashMap<>();
    for (OffsetRange r : ranges.lastEntry().getValue()) {
      resume.put(r.topicPartition(), r.untilOffset());
    }
    int unfinishedBatches = 0;
    for (Map.Entry<Long, List<OffsetRange>> e : ranges.descendingMap().entrySet()) {
      if (open.contains(e.getKey())) {
        unfinishedBatches++;
        for (OffsetRange r : e.getValue()) {
          resume.put(r.topicPartition(), r.fromOffset());
        }
      }
    }
    Set<Long> leftover = new TreeSet<>(state.unfinished());
    leftover.addAll(open);
    return new StoredResume(resume, leftover, unfinishedBatches);
  }

  // ------------------------------------------------------------ lifecycle

  @Override
  public synchronized void start() {
    Map<TopicPartition, Long> resume = new HashMap<>();
    Set<Long> leftover = new TreeSet<>(unfinished);
    if (restoredUpTo != null) {
      if (!batchRanges.isEmpty()) {
        for (OffsetRange r : batchRanges.lastEntry().getValue()) {
          resume.put(r.topicPartition(), r.untilOffset());
        }
      }
      LOG.info("{}: restored the offset ranges of {} batch(es) from the checkpoint of batch {} ms; new batches "
          + "start at {}", this, batchRanges.size(), restoredUpTo, resume);
    } else {
      StoredResume stored = storedResume();
      if (stored != null) {
        resume.putAll(stored.offsets());
        leftover.addAll(stored.unfinished());
        // Offsets committed past the stored ones belong to records whose outputs were acknowledged
        // (commitAsync after the outputs, or a transactional sink's commit): do not read them again.
        committedOffsets().forEach((tp, committed) ->
            resume.computeIfPresent(tp, (k, from) -> Math.max(from, committed)));
        LOG.info("{}: resuming from the checkpoint in {} ({} unfinished batch(es) of the previous run) at {}", this,
            context().checkpointDir(), stored.unfinishedBatches(), resume);
      }
    }
    for (java.util.function.Consumer<Set<Long>> hook : startHooks) {
      hook.accept(Collections.unmodifiableSet(leftover));
    }
    resumeOffsets = Map.copyOf(resume);
    consumer = consumerStrategy.onStart(Collections.unmodifiableMap(resume));
    pool = new ConsumerPool(readerParams);
    // No stream-wide cap: maxRatePerPartition caps each partition's share instead (Spark's rule).
    rate = RateController.forStream(context(), id(), 0);
    currentOffsets = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      currentOffsets.put(tp, resume.containsKey(tp) ? resume.get(tp) : consumer.position(tp));
    }
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
        // A partition the group assigned after start (e.g. once a killed run's member expired):
        // where the checkpoint says reading goes on, else the consumer's position.
        Long resume = resumeOffsets.get(tp);
        if (resume != null) {
          c.seek(tp, resume);
        }
        currentOffsets.put(tp, resume != null ? resume : c.position(tp));
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
    long time = validTime.milliseconds();
    List<OffsetRange> known = batchRanges.get(time);
    if (known != null) {
      // A batch fixed before (restored from a checkpoint, or computed again): exactly its ranges.
      OffsetRange[] ranges = known.toArray(new OffsetRange[0]);
      Map<TopicPartition, Long> latest = latestOffsets();
      Map<TopicPartition, Long> lag = new LinkedHashMap<>();
      for (OffsetRange r : ranges) {
        Long last = latest.get(r.topicPartition());
        lag.put(r.topicPartition(), last == null ? 0 : Math.max(0, last - r.untilOffset()));
      }
      return report(validTime, ranges, lag, Map.of());
    }
    if (restoredUpTo != null && time <= restoredUpTo) {
      // Completed before the checkpoint it was restored from, and no longer needed: nothing to read.
      LOG.debug("{}: batch {} completed before the checkpoint; it is empty", this, validTime);
      return report(validTime, new OffsetRange[0], Map.of(), Map.of());
    }
    if (!batchRanges.isEmpty() && time < batchRanges.lastKey()) {
      throw new IllegalStateException(this + ": batch " + validTime + " is older than batch "
          + new Time(batchRanges.lastKey()) + ", which was fixed already, and its ranges are not known");
    }
    Map<TopicPartition, Long> latest = latestOffsets();
    Map<TopicPartition, Long> skipped = checkRetention(validTime, latest);
    Map<TopicPartition, Long> until = RateLimits.clamp(currentOffsets, latest,
        context().batchDuration().milliseconds(), ppc, backpressureRate());
    List<TopicPartition> order = new ArrayList<>(until.keySet());
    order.sort(TP_ORDER);
    OffsetRange[] ranges = new OffsetRange[order.size()];
    Map<TopicPartition, Long> lag = new LinkedHashMap<>();
    for (int i = 0; i < ranges.length; i++) {
      TopicPartition tp = order.get(i);
      ranges[i] = OffsetRange.create(tp, currentOffsets.get(tp), until.get(tp));
      lag.put(tp, Math.max(0, latest.get(tp) - until.get(tp)));
    }
    // Kept before the batch runs; the engine's checkpoint after generating the batch holds them, so a
    // restart re-reads exactly them if the batch does not complete.
    batchRanges.put(time, List.of(ranges));
    unfinished.add(time);
    currentOffsets = new HashMap<>(until);
    return report(validTime, ranges, lag, skipped);
  }

  /** Reports the batch's input info and returns its dataset. */
  private KafkaRDD<K, V> report(Time validTime, OffsetRange[] ranges, Map<TopicPartition, Long> lag,
      Map<TopicPartition, Long> skipped) {
    long totalLag = 0;
    for (long l : lag.values()) {
      totalLag += l;
    }
    if (!lag.isEmpty()) {
      lastLag = totalLag;
    }
    KafkaRDD<K, V> rdd = newRDD(ranges);
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

  /**
   * The records per second the next batch may read with backpressure: the controller's latest
   * estimate (a double, as in Spark), or before the first one its limit ({@code initialRate});
   * 0 for none (backpressure off, or no initial rate).
   */
  private double backpressureRate() {
    if (rate instanceof RateController controller && controller.latestEstimate().isPresent()) {
      return controller.latestEstimate().getAsDouble();
    }
    long limit = rate == null ? IngestionRate.UNLIMITED : rate.currentLimit();
    return limit == IngestionRate.UNLIMITED ? 0 : limit;
  }

  /** The stream's backpressure rate source (fixed and unlimited with backpressure off); null before start. */
  public IngestionRate ingestionRate() {
    return rate;
  }

  /**
   * Records waiting in Kafka for this stream as of the latest batch: per partition, the latest
   * offset when the batch was generated minus the batch's end, summed. Empty before the first
   * batch. Never calls Kafka (the consumer belongs to the batch generator thread).
   */
  @Override
  public java.util.OptionalLong lag() {
    long l = lastLag;
    return l < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(l);
  }

  /**
   * After batch {@code time} completed: unless the context has seen an error, the batch counts as
   * finished. Its ranges are kept until a metadata checkpoint no longer needs them ({@link
   * #checkpointWritten}); without metadata checkpoints they are forgotten now.
   */
  @Override
  public void clearMetadata(Time time) {
    super.clearMetadata(time);
    synchronized (this) {
      if (context().error() == null) {
        unfinished.remove(time.milliseconds());
        if (context().checkpointing() == null) {
          batchRanges.remove(time.milliseconds());
        }
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
