package dev.millrace.streaming.internal.dstream;

import dev.millrace.MillraceException;
import dev.millrace.Tuple2;
import dev.millrace.api.java.function.FlatMapFunction;
import dev.millrace.api.java.function.Function;
import dev.millrace.api.java.function.Function2;
import dev.millrace.api.java.function.VoidFunction2;
import dev.millrace.internal.rdd.CreationScope;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.StreamingEngine;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A discretized stream: a sequence of datasets, one per batch time, each computed from the
 * parents' datasets of the same time.
 *
 * <p>The port of Spark's {@code DStream}. A stream is defined before its context starts; at start
 * it is {@linkplain #initialize(Time) initialized} with the zero time, and afterwards {@link
 * #getOrCompute(Time)} gives the dataset of any valid batch time ({@code zeroTime + k * slide}),
 * computing it once and keeping it for {@link #rememberDuration()}. Datasets are plans; computing
 * one runs nothing.
 *
 * <p>Operators are package-private subclasses, reached through the methods here (and through
 * {@code JavaDStream}). {@code getOrCompute} is called by the job generator thread; the
 * remembered datasets are in a concurrent map because the UI and {@code slice} read them too.
 *
 * @param <T> type of the records
 */
public abstract class DStream<T> implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Duration TEN_SECONDS = Durations.seconds(10);

  private final transient StreamingEngine ssc;
  private final int id;
  private final String operation;
  private final String creationSite;
  private final String creationSiteLong;
  private final transient NavigableMap<Time, RDD<T>> generatedRDDs = new ConcurrentSkipListMap<>();

  private volatile Time zeroTime;
  private Duration rememberDuration;
  private StorageLevel storageLevel = StorageLevel.NONE();
  private boolean mustCheckpoint;
  private Duration checkpointDuration;
  private String name;
  private volatile String operatorId;
  private volatile Time noDatasetsUpTo;

  protected DStream(StreamingEngine ssc, String operation) {
    this.ssc = Objects.requireNonNull(ssc, "ssc");
    ssc.assertDefinable();
    this.id = ssc.graph().nextStreamId();
    this.operation = operation;
    CallSite.Site site = CallSite.of(operation);
    this.creationSite = site.shortForm();
    this.creationSiteLong = site.longForm();
  }

  // ------------------------------------------------------------ to implement

  /** Time between two datasets of this stream. */
  public abstract Duration slideDuration();

  /** The streams this one reads. */
  public abstract List<DStream<?>> dependencies();

  /**
   * Builds the dataset of batch {@code validTime} from the parents' datasets; null when this
   * stream has no dataset at that time.
   */
  protected abstract RDD<T> compute(Time validTime);

  // ------------------------------------------------------------ identity

  public final StreamingEngine context() {
    return ssc;
  }

  /** The stream's id: its position in the order streams were created in its context. */
  public final int id() {
    return id;
  }

  /** The operation that made this stream, e.g. {@code flatMap}. */
  public final String operation() {
    return operation;
  }

  /**
   * Where the user's code created this stream, in Spark's short form: the engine method called and
   * the user's file and line, e.g. {@code print at WordCount.java:42}; just the operation when no
   * user frame was found.
   */
  public final String creationSite() {
    return creationSite;
  }

  /**
   * The long form of {@link #creationSite()}: the engine method's frame and the frames below it,
   * one per line (at most 20), as Spark's {@code CallSite.longForm}.
   */
  public final String creationSiteLong() {
    return creationSiteLong;
  }

  /** The name given with {@code name(String)}, or null. */
  public final String name() {
    return name;
  }

  /** Names this stream; the name identifies its state in checkpoints across code changes. */
  public DStream<T> setName(String name) {
    this.name = name;
    return this;
  }

  @Override
  public String toString() {
    return "stream " + id + " (" + (name != null ? name : operation) + ")";
  }

  // ------------------------------------------------------------ lifecycle

  /** Whether the context has started this stream. */
  public final boolean isInitialized() {
    return zeroTime != null;
  }

  public final Time zeroTime() {
    return zeroTime;
  }

  public final Duration rememberDuration() {
    return rememberDuration;
  }

  /** The checkpoint interval of this stream, or null when it is not checkpointed. */
  public final Duration checkpointDuration() {
    return checkpointDuration;
  }

  /** Whether this stream's datasets must be checkpointed (stateful streams). */
  public final boolean mustCheckpoint() {
    return mustCheckpoint;
  }

  /** Marks this stream as one whose datasets must be checkpointed; called by stateful operators. */
  protected final void setMustCheckpoint() {
    this.mustCheckpoint = true;
  }

  /** Default checkpoint interval when the user gives none: Spark's slide rounded up to at least 10 s. */
  protected Duration defaultCheckpointDuration() {
    long slide = slideDuration().milliseconds();
    return new Duration(slide * (long) Math.ceil((double) TEN_SECONDS.milliseconds() / slide));
  }

  /**
   * Sets the zero time and the remember duration of this stream and its parents. Called once, by
   * the graph, when the context starts.
   */
  public void initialize(Time time) {
    if (zeroTime != null && !zeroTime.equals(time)) {
      throw new IllegalStateException("ZeroTime is already initialized to " + zeroTime
          + ", cannot initialize it again to " + time);
    }
    zeroTime = time;
    if (mustCheckpoint && checkpointDuration == null) {
      checkpointDuration = defaultCheckpointDuration();
    }
    Duration minRemember = minRememberDuration();
    if (rememberDuration == null || rememberDuration.less(minRemember)) {
      rememberDuration = minRemember;
    }
    for (DStream<?> d : dependencies()) {
      d.initialize(zeroTime);
    }
  }

  /**
   * The least this stream remembers its datasets for: Spark's rule, the slide, or twice the
   * checkpoint interval for a checkpointed stream.
   */
  protected Duration minRememberDuration() {
    Duration minRemember = slideDuration();
    if (checkpointDuration != null && minRemember.lessEq(checkpointDuration)) {
      minRemember = checkpointDuration.times(2);
    }
    return minRemember;
  }

  /** How long parents must keep their datasets for this stream; windows need more. */
  protected Duration parentRememberDuration() {
    return rememberDuration;
  }

  /** Keeps datasets for at least {@code duration}, and makes parents keep what this stream needs. */
  public void remember(Duration duration) {
    if (duration != null && (rememberDuration == null || duration.greater(rememberDuration))) {
      rememberDuration = duration;
    }
    for (DStream<?> d : dependencies()) {
      d.remember(parentRememberDuration());
    }
  }

  /**
   * Checks this stream and its parents once before start.
   *
   * @throws IllegalArgumentException when the slide is not a multiple of the batch interval
   */
  public void validateAtStart() {
    Duration batch = ssc.batchDuration();
    if (!slideDuration().isMultipleOf(batch)) {
      throw new IllegalArgumentException("The slide duration of " + this + " (" + slideDuration()
          + ") must be a multiple of the batch duration (" + batch + ")");
    }
    if (checkpointDuration != null && !checkpointDuration.isMultipleOf(slideDuration())) {
      throw new IllegalArgumentException("The checkpoint interval for " + this + " has been set to "
          + checkpointDuration + " which not a multiple of its slide time (" + slideDuration() + "). "
          + "Please set it to a multiple of " + slideDuration() + ".");
    }
    for (DStream<?> d : dependencies()) {
      d.validateAtStart();
    }
  }

  // ------------------------------------------------------------ state checkpoints

  /**
   * The kind of per-key state this stream keeps across batches ({@code updateStateByKey}, {@code
   * mapWithState}, {@code reduceByKeyAndWindow}), or null for a stream without such state.
   */
  public String stateKind() {
    return null;
  }

  /**
   * The state as of batch {@code time} as checkpoint entries, one partition per state partition,
   * or null when this stream keeps no state. Reading the result materializes the state.
   */
  public RDD<dev.millrace.streaming.internal.checkpoint.StateEntry> stateForCheckpoint(Time time) {
    return null;
  }

  /**
   * How many keys this stream's state holds, as of the newest batch whose state is complete (every
   * partition computed); empty for a stream without state or before its first complete state.
   * Never computes anything: a metric for the UI. Thread-safe.
   */
  public java.util.OptionalLong stateSize() {
    return java.util.OptionalLong.empty();
  }

  /**
   * For {@link #stateSize()}: the size of the newest generated dataset that is a complete {@link
   * dev.millrace.internal.rdd.MaterializingRDD}, each record weighing {@code sizeOf}.
   */
  protected final java.util.OptionalLong newestHeldSize(
      dev.millrace.internal.rdd.MaterializingRDD.SizeOf<? super T> sizeOf) {
    for (RDD<T> rdd : generatedRDDs.descendingMap().values()) {
      if (rdd instanceof dev.millrace.internal.rdd.MaterializingRDD<T> m) {
        java.util.OptionalLong size = m.heldSize(sizeOf);
        if (size.isPresent()) {
          return size;
        }
      }
    }
    return java.util.OptionalLong.empty();
  }

  /** The stable id of this stream's state in checkpoints, assigned at start; null if stateless. */
  public final String operatorId() {
    return operatorId;
  }

  /** Sets the stable id of this stream's state in checkpoints; called once at start. */
  public final void setOperatorId(String id) {
    this.operatorId = id;
  }

  /**
   * Restores the state read from a checkpoint as this stream's dataset of batch {@code time}, the
   * state's batch; with {@code checkpoint} null, this stateful stream starts without state after
   * {@code time} (an operator added since the checkpoint was written). Either way the stream has
   * no dataset before {@code time} any more. Called on recovery, before the context starts.
   *
   * @throws UnsupportedOperationException for a stream that keeps no state
   */
  public void restoreState(Time time, dev.millrace.streaming.internal.checkpoint.StateCheckpoint checkpoint) {
    throw new UnsupportedOperationException(this + " keeps no state to restore");
  }

  /** Makes batches up to {@code time} have no dataset unless one was remembered; see {@link #restoreState}. */
  protected final void setNoDatasetsUpTo(Time time) {
    this.noDatasetsUpTo = time;
  }

  /** The entries of a state checkpoint as (key, entry) pairs, for {@link #restoreState} implementations. */
  protected static List<Tuple2<Object, dev.millrace.streaming.internal.checkpoint.StateEntry>> entriesOf(
      dev.millrace.streaming.internal.checkpoint.StateCheckpoint checkpoint) {
    List<Tuple2<Object, dev.millrace.streaming.internal.checkpoint.StateEntry>> out = new ArrayList<>();
    for (List<dev.millrace.streaming.internal.checkpoint.StateEntry> part : checkpoint.partitions()) {
      for (dev.millrace.streaming.internal.checkpoint.StateEntry e : part) {
        out.add(new Tuple2<>(e.key(), e));
      }
    }
    return out;
  }

  /** Whether the datasets (and state) of this stream are checkpointed at batch {@code time}. */
  public final boolean isCheckpointTime(Time time) {
    return checkpointDuration != null && zeroTime != null
        && time.minus(zeroTime).isMultipleOf(checkpointDuration);
  }

  // ------------------------------------------------------------ datasets by time

  /**
   * Whether {@code time} is a batch time of this stream: after the zero time, at a whole number of
   * slides from it.
   */
  public final boolean isTimeValid(Time time) {
    if (zeroTime == null) {
      throw new MillraceException(this + " has not been initialized");
    }
    return time.greater(zeroTime) && time.minus(zeroTime).isMultipleOf(slideDuration());
  }

  /**
   * The dataset of batch {@code time}: the remembered one, or a newly computed one (persisted if
   * this stream is), or null if {@code time} is not a batch time of this stream.
   *
   * @throws MillraceException naming this stream and the time, if computing it failed
   */
  public final RDD<T> getOrCompute(Time time) {
    RDD<T> rdd = generatedRDDs.get(time);
    if (rdd != null) {
      return rdd;
    }
    if (!isTimeValid(time)) {
      return null;
    }
    Time floor = noDatasetsUpTo;
    if (floor != null && time.lessEq(floor)) {
      return null;
    }
    String scope = "stream " + id + " (" + (name != null ? name : operation) + ") at batch " + time;
    try {
      rdd = CreationScope.with(scope, () -> compute(time));
    } catch (MillraceException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new MillraceException("Computing " + scope + " failed: " + e, e);
    }
    if (rdd != null) {
      if (storageLevel.isValid()) {
        rdd.persist(storageLevel);
      }
      if (rdd instanceof dev.millrace.internal.rdd.MaterializingRDD<T> m && isCheckpointTime(time)) {
        // As Spark's getOrCompute marks the batch's RDD for checkpointing: a cluster runtime writes
        // the state where it is kept and cuts its lineage there.
        m.markCheckpointDue();
      }
      generatedRDDs.put(time, rdd);
    }
    return rdd;
  }

  /** The remembered datasets, by time; read-only. */
  public final Map<Time, RDD<T>> generatedRDDs() {
    return java.util.Collections.unmodifiableMap(generatedRDDs);
  }

  /** Records a dataset for a time, e.g. one restored from a checkpoint. */
  protected final void rememberRDD(Time time, RDD<T> rdd) {
    if (rdd instanceof dev.millrace.internal.rdd.MaterializingRDD<T> m) {
      // Restored state: a cluster runtime checkpoints it where it keeps it, so its lineage (the
      // restored entries) is let go at once.
      m.markCheckpointDue();
    }
    generatedRDDs.put(time, rdd);
  }

  /**
   * Forgets datasets older than {@code time - rememberDuration}, here and in the parents. Called
   * after batch {@code time} completed.
   */
  public void clearMetadata(Time time) {
    Time oldest = time.minus(rememberDuration);
    NavigableMap<Time, RDD<T>> old = generatedRDDs.headMap(oldest, true);
    for (RDD<T> rdd : old.values()) {
      if (rdd.getStorageLevel().isValid()) {
        rdd.unpersist();
      }
      if (rdd instanceof dev.millrace.internal.rdd.MaterializingRDD<T> m) {
        // Kept by a cluster runtime: it may drop the partitions now (locally, nothing happens).
        m.release();
      }
    }
    old.clear();
    for (DStream<?> d : dependencies()) {
      d.clearMetadata(time);
    }
  }

  /**
   * The datasets of every batch time in {@code [fromTime, toTime]} (both aligned down to this
   * stream's slide), as Spark's {@code slice}.
   *
   * @throws MillraceException if the stream has not been initialized
   * @throws IllegalArgumentException if the times are not multiples of the slide from the zero time
   */
  public List<RDD<T>> slice(Time fromTime, Time toTime) {
    if (!isInitialized()) {
      throw new MillraceException(this + " has not been initialized");
    }
    Time alignedTo = toTime.minus(zeroTime).isMultipleOf(slideDuration())
        ? toTime : toTime.floor(slideDuration(), zeroTime);
    Time alignedFrom = fromTime.minus(zeroTime).isMultipleOf(slideDuration())
        ? fromTime : fromTime.floor(slideDuration(), zeroTime);
    List<RDD<T>> out = new ArrayList<>();
    for (Time t : alignedFrom.to(alignedTo, slideDuration())) {
      if (t.greater(zeroTime)) {
        RDD<T> rdd = getOrCompute(t);
        if (rdd != null) {
          out.add(rdd);
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------ persistence and checkpointing

  public DStream<T> persist(StorageLevel level) {
    if (isInitialized()) {
      throw new UnsupportedOperationException(
          "Cannot change storage level of a DStream after streaming context has started");
    }
    this.storageLevel = Objects.requireNonNull(level, "level");
    return this;
  }

  public DStream<T> persist() {
    return persist(StorageLevel.MEMORY_ONLY_SER());
  }

  public DStream<T> cache() {
    return persist();
  }

  public StorageLevel storageLevel() {
    return storageLevel;
  }

  /** Checkpoints this stream's datasets every {@code interval}. */
  public DStream<T> checkpoint(Duration interval) {
    if (isInitialized()) {
      throw new UnsupportedOperationException(
          "Cannot change checkpoint interval of a DStream after streaming context has started");
    }
    persist();
    this.checkpointDuration = interval;
    return this;
  }

  // ------------------------------------------------------------ transformations

  public <U> DStream<U> map(Function<T, U> f) {
    return new MappedDStream<>(this, f);
  }

  public <U> DStream<U> flatMap(FlatMapFunction<T, U> f) {
    return new FlatMappedDStream<>(this, f);
  }

  public DStream<T> filter(Function<T, Boolean> f) {
    return new FilteredDStream<>(this, f);
  }

  public <U> DStream<U> mapPartitions(FlatMapFunction<java.util.Iterator<T>, U> f, boolean preservePartitioning) {
    return new MapPartitionedDStream<>(this, f, preservePartitioning);
  }

  public DStream<List<T>> glom() {
    return new GlommedDStream<>(this);
  }

  /** A stream whose dataset at each time is {@code f} applied to this stream's dataset and the time. */
  public <U> DStream<U> transform(String operation, Function2<RDD<T>, Time, RDD<U>> f) {
    return new TransformedDStream<>(List.of(this), operation, (rdds, time) -> {
      @SuppressWarnings("unchecked")
      RDD<T> rdd = (RDD<T>) rdds.get(0);
      return f.call(rdd, time);
    });
  }

  /** A stream combining this stream's and {@code other}'s dataset of each time with {@code f}. */
  public <U, V> DStream<V> transformWith(DStream<U> other, String operation,
      dev.millrace.api.java.function.Function3<RDD<T>, RDD<U>, Time, RDD<V>> f) {
    return new TransformedDStream<>(List.of(this, other), operation, (rdds, time) -> {
      @SuppressWarnings("unchecked")
      RDD<T> a = (RDD<T>) rdds.get(0);
      @SuppressWarnings("unchecked")
      RDD<U> b = (RDD<U>) rdds.get(1);
      return f.call(a, b, time);
    });
  }

  public DStream<T> repartition(int numPartitions) {
    return transform("repartition", (rdd, t) -> rdd.repartition(numPartitions));
  }

  public DStream<T> union(DStream<T> other) {
    return new UnionDStream<>(List.of(this, other));
  }

  /** Each batch's count, as a single record; an empty batch counts 0 (as in Spark). */
  public DStream<Long> count() {
    DStream<Tuple2<Object, Long>> ones = map(x -> new Tuple2<>(null, 1L));
    DStream<Tuple2<Object, Long>> withZero = ones.transform("count", (rdd, t) -> rdd.union(
        new dev.millrace.internal.rdd.ParallelCollectionRDD<>(rdd.context(), List.of(new Tuple2<>(null, 0L)), 1)));
    return PairDStreamFunctions.reduceByKey(withZero, Long::sum, new dev.millrace.HashPartitioner(1), "count")
        .map(Tuple2::_2);
  }

  /** Each batch's records reduced to one; an empty batch gives no record. */
  public DStream<T> reduce(Function2<T, T, T> f) {
    DStream<Tuple2<Object, T>> keyed = map(x -> new Tuple2<>(null, x));
    return PairDStreamFunctions.reduceByKey(keyed, f, new dev.millrace.HashPartitioner(1), "reduce").map(Tuple2::_2);
  }

  /** How often each distinct record occurs in each batch, over {@code numPartitions} partitions. */
  public DStream<Tuple2<T, Long>> countByValue(int numPartitions) {
    DStream<Tuple2<T, Long>> ones = map(x -> new Tuple2<>(x, 1L));
    return PairDStreamFunctions.reduceByKey(ones, Long::sum, new dev.millrace.HashPartitioner(numPartitions),
        "countByValue");
  }

  // ------------------------------------------------------------ windows

  /**
   * A stream whose dataset at each time T (a multiple of {@code slideDuration} from the zero time) is
   * the union of this stream's datasets in {@code (T - windowDuration, T]}.
   *
   * @throws IllegalArgumentException if the window or slide is not a multiple of this stream's slide
   */
  public DStream<T> window(Duration windowDuration, Duration slideDuration) {
    return new WindowedDStream<>(this, windowDuration, slideDuration);
  }

  /** {@link #window(Duration, Duration)} sliding by this stream's slide. */
  public DStream<T> window(Duration windowDuration) {
    return window(windowDuration, slideDuration());
  }

  /** Spark's {@code reduceByWindow}: per-batch reduce, window, reduce again; empty windows give nothing. */
  public DStream<T> reduceByWindow(Function2<T, T, T> reduceFunc, Duration windowDuration, Duration slideDuration) {
    return reduce(reduceFunc).window(windowDuration, slideDuration).reduce(reduceFunc);
  }

  /**
   * Spark's incremental {@code reduceByWindow}: a single-key {@code reduceByKeyAndWindow} with the
   * inverse function over one partition. Once the stream has produced a value it keeps producing
   * one, the inverse-reduced value, also when the window no longer holds any record.
   */
  public DStream<T> reduceByWindow(Function2<T, T, T> reduceFunc, Function2<T, T, T> invReduceFunc,
      Duration windowDuration, Duration slideDuration) {
    DStream<Tuple2<Integer, T>> keyed = map(x -> new Tuple2<>(1, x));
    return PairDStreamFunctions.reduceByKeyAndWindow(keyed, reduceFunc, invReduceFunc, windowDuration,
        slideDuration, new dev.millrace.HashPartitioner(1), null).map(Tuple2::_2);
  }

  /**
   * Spark's {@code countByWindow}: the incremental count of records in the window. As in Spark it
   * gives nothing until the first record arrives, then a count per slide, 0 once the window is
   * empty again.
   */
  public DStream<Long> countByWindow(Duration windowDuration, Duration slideDuration) {
    return this.<Long>map(x -> 1L).reduceByWindow(Long::sum, (a, b) -> a - b, windowDuration, slideDuration);
  }

  /**
   * Spark's {@code countByValueAndWindow}: per distinct record, its count in the window, computed
   * incrementally; records whose count drops to 0 are dropped.
   */
  public DStream<Tuple2<T, Long>> countByValueAndWindow(Duration windowDuration, Duration slideDuration,
      int numPartitions) {
    DStream<Tuple2<T, Long>> ones = map(x -> new Tuple2<>(x, 1L));
    return PairDStreamFunctions.reduceByKeyAndWindow(ones, Long::sum, (a, b) -> a - b, windowDuration,
        slideDuration, new dev.millrace.HashPartitioner(numPartitions), t -> t._2() != 0L);
  }

  // ------------------------------------------------------------ outputs

  /** Registers an output operation that calls {@code f} with each batch's dataset and time. */
  public void foreachRDD(VoidFunction2<RDD<T>, Time> f, String operation) {
    new ForEachDStream<>(this, f, operation).register();
  }

  /**
   * Prints the first {@code num} records of each batch in Spark's format: a dashed line, {@code
   * Time: <ms> ms}, a dashed line, the records, {@code ...} if there were more, and a blank line.
   */
  public void print(int num) {
    StreamingEngine engine = ssc;
    foreachRDD((rdd, time) -> {
      // Read when the batch runs, so a print stream set after print() was defined applies.
      java.io.PrintStream out = engine.printStream();
      BatchPrinter.print(out, time, rdd.take(num + 1), num);
    }, "print");
  }

  /** The directory name of one batch's output: {@code prefix-<ms>} or {@code prefix-<ms>.suffix}. */
  public static String rddToFileName(String prefix, String suffix, Time time) {
    // As Spark: an empty prefix or suffix is left out with its separator.
    String result = String.valueOf(time.milliseconds());
    if (prefix != null && !prefix.isEmpty()) {
      result = prefix + "-" + result;
    }
    return suffix == null || suffix.isEmpty() ? result : result + "." + suffix;
  }

  /** Saves each batch as text files in the directory {@link #rddToFileName}. */
  public void saveAsTextFiles(String prefix, String suffix) {
    foreachRDD((rdd, time) -> {
      java.nio.file.Path target = java.nio.file.Paths.get(rddToFileName(prefix, suffix, time));
      replaceDirectory(target, tmp -> rdd.saveAsTextFile(tmp.toString()));
    }, "saveAsTextFiles");
  }

  /**
   * Writes a batch's output directory idempotently: into a hidden temporary sibling first, then
   * renamed into place, replacing the directory an earlier run of the same batch (before a restart)
   * left. Readers never see a partly written directory under the final name.
   */
  static void replaceDirectory(java.nio.file.Path target, java.util.function.Consumer<java.nio.file.Path> write) {
    java.nio.file.Path abs = target.toAbsolutePath();
    java.nio.file.Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
    java.nio.file.Path old = abs.resolveSibling("." + abs.getFileName() + ".old");
    try {
      deleteRecursively(tmp);
      write.accept(tmp);
      dev.millrace.internal.CrashPoints.reach("output.beforeRename");
      if (java.nio.file.Files.exists(abs)) {
        deleteRecursively(old);
        java.nio.file.Files.move(abs, old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      java.nio.file.Files.move(tmp, abs, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      deleteRecursively(old);
    } catch (java.io.IOException e) {
      throw new MillraceException("Cannot write the output directory " + abs + ": " + e, e);
    }
  }

  private static void deleteRecursively(java.nio.file.Path dir) throws java.io.IOException {
    if (!java.nio.file.Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(dir)) {
      for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        java.nio.file.Files.deleteIfExists(p);
      }
    }
  }

  /** Saves each batch as files of serialized records in the directory {@link #rddToFileName}. */
  public void saveAsObjectFiles(String prefix, String suffix) {
    foreachRDD((rdd, time) -> rdd.saveAsObjectFile(rddToFileName(prefix, suffix, time)), "saveAsObjectFiles");
  }
}
