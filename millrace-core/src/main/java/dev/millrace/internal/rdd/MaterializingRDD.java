package dev.millrace.internal.rdd;

import dev.millrace.Partitioner;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A dataset that computes each partition of a source plan once, keeps it, and forgets the source
 * plan as soon as every partition is held: from then on it is a materialized dataset with no
 * parents.
 *
 * <p>Stateful streams build each batch's state from the previous batch's state. Without this, each
 * state dataset would reach every earlier one through its plan (and with them their shuffle
 * outputs), so memory would grow with the number of batches. Cutting the plan once the partitions
 * are held keeps exactly one generation of state reachable from the newest one. {@link
 * #materialize()} forces every partition, e.g. before a state checkpoint.
 *
 * <p>A runtime that runs plans elsewhere (on a cluster) may keep the partitions there instead:
 * it computes them where it runs, keeps them, and hands this dataset a {@link Holder} ({@link
 * #heldBy}), which also lets the source plan go. Sizes are then computed where the partitions are,
 * and a partition is brought to this JVM only if a plan computed here reads it. The local runtime
 * never does this.
 *
 * <p>Thread-safe: two tasks may compute the same partition at once; the first result is kept and
 * both readers see it. The source plan must be deterministic for that reason, as Spark requires.
 *
 * @param <T> type of the records
 */
public final class MaterializingRDD<T> extends RDD<T> {
  private static final long serialVersionUID = 1L;

  private final int numPartitions;
  private final Partitioner partitioner;
  private final transient AtomicReferenceArray<List<T>> partitions;
  private final transient AtomicInteger held = new AtomicInteger();
  private transient volatile RDD<T> source;
  private transient volatile Holder<T> holder;
  private transient volatile boolean checkpointDue;

  /**
   * The partitions of a materialized dataset as kept by a runtime outside this JVM, e.g. cached on
   * the executors of a cluster. Implementations are thread-safe.
   *
   * @param <T> type of the records
   */
  public interface Holder<T> {
    /** Brings the records of one partition to this JVM; only plans computed here need this. */
    List<T> fetch(int partition);

    /**
     * The sum of {@code sizeOf} over every record, computed where the partitions are; empty if it
     * cannot be known now (e.g. the runtime stopped).
     */
    java.util.OptionalLong size(SizeOf<? super T> sizeOf);

    /** The dataset is no longer needed by any stream: the runtime may drop its partitions. */
    void release();
  }

  /** The weight of one record, for {@link #heldSize}; serializable, as it may run elsewhere. */
  @FunctionalInterface
  public interface SizeOf<T> extends java.util.function.ToLongFunction<T>, java.io.Serializable {}

  /** Materializes {@code source} partition by partition as it is read. */
  public MaterializingRDD(RDD<T> source, String operation) {
    super(source.context(), operation);
    this.source = source;
    this.numPartitions = source.numPartitions();
    this.partitioner = source.partitioner();
    this.partitions = new AtomicReferenceArray<>(numPartitions);
  }

  /** An already materialized dataset holding {@code data}, one list per partition. */
  public MaterializingRDD(dev.millrace.internal.EngineContext context, List<List<T>> data, Partitioner partitioner,
      String operation) {
    super(context, operation);
    if (partitioner != null && partitioner.numPartitions() != data.size()) {
      throw new IllegalArgumentException("partitioner has " + partitioner.numPartitions()
          + " partitions but the data has " + data.size());
    }
    this.source = null;
    this.numPartitions = data.size();
    this.partitioner = partitioner;
    this.partitions = new AtomicReferenceArray<>(numPartitions);
    for (int i = 0; i < numPartitions; i++) {
      partitions.set(i, new ArrayList<>(data.get(i)));
    }
    held.set(numPartitions);
  }

  @Override
  public int numPartitions() {
    return numPartitions;
  }

  @Override
  public Partitioner partitioner() {
    return partitioner;
  }

  @Override
  protected Iterator<T> compute(int partition) {
    List<T> data = partitions.get(partition);
    if (data != null) {
      return data.iterator();
    }
    Holder<T> h = holder;
    if (h != null) {
      return h.fetch(partition).iterator();
    }
    RDD<T> plan = source;
    if (plan == null) {
      // Cut after another task stored this partition: it is there now.
      return partitions.get(partition).iterator();
    }
    List<T> computed = ChunkedList.collect(plan.iterator(partition));
    if (partitions.compareAndSet(partition, null, computed)) {
      if (held.incrementAndGet() == numPartitions) {
        source = null;
      }
      return computed.iterator();
    }
    return partitions.get(partition).iterator();
  }

  @Override
  public List<Dependency> dependencies() {
    RDD<T> plan = source;
    return plan == null ? List.of() : List.of(new NarrowDependency(plan));
  }

  /** Whether every partition is held and the source plan has been let go. */
  public boolean isMaterialized() {
    return source == null;
  }

  /**
   * Stores {@code records} as partition {@code partition} if it is not held yet, as if it had been
   * computed here; used by a runtime that computed the source plan elsewhere. The plan is cut once
   * every partition is held.
   */
  public void fill(int partition, List<T> records) {
    ArrayList<T> copy = new ArrayList<>(records);
    if (partitions.compareAndSet(partition, null, copy) && held.incrementAndGet() == numPartitions) {
      source = null;
    }
  }

  /**
   * Hands the partitions to a runtime that keeps them elsewhere (see {@link Holder}); the source
   * plan is let go, as when every partition is held here. Called once, by the runtime, after it
   * computed every partition.
   */
  public void heldBy(Holder<T> holder) {
    this.holder = java.util.Objects.requireNonNull(holder, "holder");
    source = null;
  }

  /** The holder given with {@link #heldBy}, or null when the partitions are (to be) held here. */
  public Holder<T> holder() {
    return holder;
  }

  /**
   * Marks this dataset as a batch at which its stream checkpoints: a runtime that keeps the
   * partitions elsewhere writes them to reliable storage there, cutting their lineage. Locally,
   * materializing already cuts the plan, so this changes nothing.
   */
  public void markCheckpointDue() {
    checkpointDue = true;
  }

  /** Whether {@link #markCheckpointDue()} was called. */
  public boolean isCheckpointDue() {
    return checkpointDue;
  }

  /**
   * Tells the holder, if any, that no stream needs this dataset any more (see {@link
   * Holder#release()}). Does nothing for partitions held here.
   */
  public void release() {
    Holder<T> h = holder;
    if (h != null) {
      h.release();
    }
  }

  /**
   * The sum of {@code sizeOf} over every record, once every partition is held; empty before. Reads
   * only what is held: never computes anything here (with a {@link Holder}, the holder computes it
   * where the partitions are). Thread-safe.
   */
  public java.util.OptionalLong heldSize(SizeOf<? super T> sizeOf) {
    Holder<T> h = holder;
    if (h != null) {
      return h.size(sizeOf);
    }
    if (held.get() < numPartitions) {
      return java.util.OptionalLong.empty();
    }
    long n = 0;
    for (int i = 0; i < numPartitions; i++) {
      for (T t : partitions.get(i)) {
        n += sizeOf.applyAsLong(t);
      }
    }
    return java.util.OptionalLong.of(n);
  }

  /** Computes every partition not yet held (one job), after which the plan is cut. */
  public MaterializingRDD<T> materialize() {
    if (source != null) {
      context().runtime().runJob(this, (p, in) -> null, allPartitions());
    }
    return this;
  }

  /** Persisting is implied: the partitions are kept once computed. */
  @Override
  public RDD<T> persist(dev.millrace.storage.StorageLevel level) {
    return this;
  }
}
