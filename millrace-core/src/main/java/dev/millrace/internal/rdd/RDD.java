package dev.millrace.internal.rdd;

import dev.millrace.HashPartitioner;
import dev.millrace.MillraceException;
import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import dev.millrace.api.java.function.FlatMapFunction;
import dev.millrace.api.java.function.Function;
import dev.millrace.api.java.function.Function2;
import dev.millrace.api.java.function.VoidFunction;
import dev.millrace.internal.EngineContext;
import dev.millrace.storage.StorageLevel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A partitioned dataset described as a lazy plan: how to compute each partition from its parents.
 *
 * <p>Transformations return new plans and compute nothing; actions ({@link #collect()}, {@link
 * #count()}, ...) hand the plan to the context's runtime. Narrow operations chain their partition
 * iterators, so a run of them is one pass over each partition with no intermediate collections;
 * key-based operations insert a {@link ShuffleDependency}.
 *
 * <p>Plans are immutable once built, except for persistence (which partitions are cached) and the
 * map output a shuffle keeps; both are safe to read from several tasks at once.
 *
 * <p>A serialized dataset is one plan node: its name, id, scope and functions travel; its parents,
 * its data and its context are transient and stay on the driver. A runtime that executes plans
 * elsewhere (see {@link PlanNodes}) ships nodes for their functions and feeds them input itself.
 *
 * @param <T> type of the records
 */
public abstract class RDD<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final transient EngineContext context;
  private final int id;
  private final String operation;
  private final String scope;
  private transient volatile StorageLevel storageLevel = StorageLevel.NONE();
  private transient volatile AtomicReferenceArray<List<T>> cache;
  private transient volatile Object runtimeHandle;

  protected RDD(EngineContext context, String operation) {
    this.context = Objects.requireNonNull(context, "context");
    this.id = context.newRddId();
    this.operation = operation;
    this.scope = CreationScope.current();
  }

  // ---------------------------------------------------------------- plan

  /** Number of partitions. */
  public abstract int numPartitions();

  /** Computes one partition from its parents; called by {@link #iterator(int)}. */
  protected abstract Iterator<T> compute(int partition);

  /** This plan's edges to its parents. */
  public abstract List<Dependency> dependencies();

  /** How the records are partitioned by key, or null if unknown. */
  public Partitioner partitioner() {
    return null;
  }

  public final EngineContext context() {
    return context;
  }

  public final int id() {
    return id;
  }

  /** The operation that made this dataset, e.g. {@code flatMap}; used in error messages. */
  public final String operation() {
    return operation;
  }

  /** The records of one partition: from the cache if persisted and present, else computed. */
  public final Iterator<T> iterator(int partition) {
    AtomicReferenceArray<List<T>> c = cache;
    if (c == null) {
      return compute(partition);
    }
    List<T> cached = c.get(partition);
    if (cached == null) {
      ArrayList<T> copy = new ArrayList<>();
      compute(partition).forEachRemaining(copy::add);
      c.compareAndSet(partition, null, copy);
      cached = c.get(partition);
    }
    return cached.iterator();
  }

  /** Keeps computed partitions for reuse by later jobs. */
  public RDD<T> persist(StorageLevel level) {
    Objects.requireNonNull(level, "level");
    if (storageLevel.isValid() && level != storageLevel) {
      throw new UnsupportedOperationException(
          "Cannot change storage level of an RDD after it was already assigned a level");
    }
    storageLevel = level;
    if (level.isValid() && cache == null) {
      cache = new AtomicReferenceArray<>(numPartitions());
    }
    return this;
  }

  /** Drops cached partitions (and, with a runtime that keeps them elsewhere, tells it to drop them). */
  public RDD<T> unpersist() {
    storageLevel = StorageLevel.NONE();
    cache = null;
    if (runtimeHandle != null && context != null) {
      context.runtime().unpersist(this);
    }
    return this;
  }

  public StorageLevel getStorageLevel() {
    return storageLevel;
  }

  /**
   * What a runtime that executes plans elsewhere keeps for this dataset (e.g. its translated form,
   * so that a shuffle is run once however many jobs read it), or null. It lives as long as this
   * dataset; the local runtime never sets it.
   */
  public final Object runtimeHandle() {
    return runtimeHandle;
  }

  /** Sets {@link #runtimeHandle()}. */
  public final void setRuntimeHandle(Object handle) {
    this.runtimeHandle = handle;
  }

  /** Wraps a user function's failure with this dataset's operation. */
  protected final MillraceException userFunctionFailed(Throwable e) {
    return userFunctionFailed(operation, e);
  }

  /**
   * Wraps the failure of a user function given to {@code action} (an action such as {@code
   * foreach}, or a transformation built from other ones, such as {@code sortBy}) on this dataset.
   * A failure that is already a {@link MillraceException} came from upstream and passes unchanged.
   */
  public final MillraceException userFunctionFailed(String action, Throwable e) {
    if (e instanceof MillraceException) {
      return (MillraceException) e;
    }
    return new MillraceException("User function of operation '" + action + "' (dataset " + id
        + (scope == null ? "" : ", " + scope) + ") failed: " + e, e);
  }

  /** What built this dataset (e.g. a stream at a batch time), or null. */
  public final String scope() {
    return scope;
  }

  @Override
  public String toString() {
    return operation + " [" + id + "]" + (scope == null ? "" : " of " + scope);
  }

  // ---------------------------------------------------------------- narrow transformations

  public <U> RDD<U> map(Function<T, U> f) {
    return map(f, "map");
  }

  /** {@code map} under another name, e.g. {@code mapToPair}, so that failures name what the user called. */
  public <U> RDD<U> map(Function<T, U> f, String operation) {
    return new MapPartitionsRDD<>(this, operation, false, (p, in, self) -> new NarrowOps.MapIterator<>(in, f, self));
  }

  public <U> RDD<U> flatMap(FlatMapFunction<T, U> f) {
    return flatMap(f, "flatMap");
  }

  /** {@code flatMap} under another name, e.g. {@code flatMapToPair}. */
  public <U> RDD<U> flatMap(FlatMapFunction<T, U> f, String operation) {
    return new MapPartitionsRDD<>(this, operation, false,
        (p, in, self) -> new NarrowOps.FlatMapIterator<>(in, f, self));
  }

  public RDD<T> filter(Function<T, Boolean> f) {
    return new MapPartitionsRDD<>(this, "filter", true,
        (p, in, self) -> new NarrowOps.FilterIterator<>(in, f, self));
  }

  /** Applies {@code f} to each partition's iterator. */
  public <U> RDD<U> mapPartitions(FlatMapFunction<Iterator<T>, U> f, boolean preservesPartitioning) {
    return mapPartitions(f, preservesPartitioning, "mapPartitions");
  }

  /** {@code mapPartitions} under another name, e.g. {@code mapPartitionsToPair}. */
  public <U> RDD<U> mapPartitions(FlatMapFunction<Iterator<T>, U> f, boolean preservesPartitioning,
      String operation) {
    return new MapPartitionsRDD<>(this, operation, preservesPartitioning, (p, in, self) -> {
      Iterator<U> out;
      try {
        out = f.call(in);
      } catch (Exception e) {
        throw self.userFunctionFailed(e);
      }
      if (out == null) {
        throw self.userFunctionFailed(new NullPointerException(operation + " function returned null"));
      }
      return out;
    });
  }

  /** Applies {@code f} to each partition's index and iterator. */
  public <U> RDD<U> mapPartitionsWithIndex(
      Function2<Integer, Iterator<T>, Iterator<U>> f, boolean preservesPartitioning) {
    return new MapPartitionsRDD<>(this, "mapPartitionsWithIndex", preservesPartitioning, (p, in, self) -> {
      try {
        return f.call(p, in);
      } catch (Exception e) {
        throw self.userFunctionFailed(e);
      }
    });
  }

  /** One record per partition: the list of its records. */
  public RDD<List<T>> glom() {
    return new MapPartitionsRDD<>(this, "glom", false, (p, in, self) -> {
      List<T> all = new ArrayList<>();
      in.forEachRemaining(all::add);
      return Collections.singletonList(all).iterator();
    });
  }

  /** The partitions of this dataset followed by those of {@code other}; duplicates are kept. */
  public RDD<T> union(RDD<T> other) {
    return new UnionRDD<>(context, List.of(this, other));
  }

  /** The distinct records, over {@code numPartitions} partitions. */
  public RDD<T> distinct(int numPartitions) {
    RDD<Tuple2<T, Object>> keyed = map(x -> new Tuple2<>(x, null));
    return PairRDDFunctions.reduceByKey(keyed, (a, b) -> a, new HashPartitioner(numPartitions), "distinct")
        .map(Tuple2::_1);
  }

  /**
   * Fewer partitions, by concatenating neighbouring ones without a shuffle; or, with {@code
   * shuffle}, exactly {@code numPartitions} partitions with records spread round-robin.
   */
  public RDD<T> coalesce(int numPartitions, boolean shuffle) {
    if (numPartitions <= 0) {
      throw new IllegalArgumentException("Number of partitions (" + numPartitions + ") must be positive.");
    }
    if (!shuffle) {
      return new CoalescedRDD<>(this, numPartitions);
    }
    RDD<Tuple2<Integer, T>> spread = mapPartitionsWithIndex(
        (index, in) -> new RoundRobinKeys<T>(in, new java.util.Random(index).nextInt(numPartitions)), false);
    return new ShuffledRDD<Integer, T, T>(spread, new HashPartitioner(numPartitions), null, false, "repartition")
        .map(Tuple2::_2);
  }

  /** Exactly {@code numPartitions} partitions, by shuffling. */
  public RDD<T> repartition(int numPartitions) {
    return coalesce(numPartitions, true);
  }

  /** The records sorted by {@code f}, range-partitioned over {@code numPartitions}. */
  public <K> RDD<T> sortBy(Function<T, K> f, boolean ascending, int numPartitions) {
    RDD<Tuple2<K, T>> keyed = map(x -> new Tuple2<>(f.call(x), x), "sortBy");
    return PairRDDFunctions.sortByKey(keyed, ascending, numPartitions, null).map(Tuple2::_2);
  }

  // ---------------------------------------------------------------- actions

  /** Every record, in partition order. */
  public List<T> collect() {
    List<List<T>> parts = context.runtime().runJob(this, (p, in) -> {
      List<T> out = new ArrayList<>();
      in.forEachRemaining(out::add);
      return out;
    }, allPartitions());
    int n = 0;
    for (List<T> part : parts) {
      n += part.size();
    }
    List<T> all = new ArrayList<>(n);
    for (List<T> part : parts) {
      all.addAll(part);
    }
    return all;
  }

  public long count() {
    long total = 0;
    for (long c : context.runtime().runJob(this, (p, in) -> {
      long k = 0;
      while (in.hasNext()) {
        in.next();
        k++;
      }
      return k;
    }, allPartitions())) {
      total += c;
    }
    return total;
  }

  /**
   * The first {@code num} records, scanning partitions in order and only as many as needed (one
   * partition first, then more at a time, as Spark does).
   */
  public List<T> take(int num) {
    List<T> out = new ArrayList<>();
    int total = numPartitions();
    int scanned = 0;
    int batch = 1;
    while (out.size() < num && scanned < total) {
      int end = Math.min(total, scanned + batch);
      int[] parts = new int[end - scanned];
      for (int i = 0; i < parts.length; i++) {
        parts[i] = scanned + i;
      }
      int want = num - out.size();
      List<List<T>> results = context.runtime().runJob(this, (p, in) -> {
        List<T> l = new ArrayList<>();
        while (l.size() < want && in.hasNext()) {
          l.add(in.next());
        }
        return l;
      }, parts);
      for (List<T> r : results) {
        for (T t : r) {
          if (out.size() < num) {
            out.add(t);
          }
        }
      }
      scanned = end;
      batch = Math.max(1, batch * 4);
    }
    return out;
  }

  public boolean isEmpty() {
    return numPartitions() == 0 || take(1).isEmpty();
  }

  /**
   * Reduces all records with an associative, commutative function.
   *
   * @throws UnsupportedOperationException for an empty dataset, with Spark's message
   */
  @SuppressWarnings("unchecked")
  public T reduce(Function2<T, T, T> f) {
    final Object none = NONE;
    List<Object> partials = context.runtime().runJob(this, (p, in) -> {
      if (!in.hasNext()) {
        return none;
      }
      T acc = in.next();
      while (in.hasNext()) {
        T next = in.next();
        try {
          acc = f.call(acc, next);
        } catch (Exception e) {
          throw userFunctionFailed("reduce", e);
        }
      }
      return acc;
    }, allPartitions());
    T acc = null;
    boolean any = false;
    for (Object partial : partials) {
      if (partial == none) {
        continue;
      }
      try {
        acc = any ? f.call(acc, (T) partial) : (T) partial;
      } catch (Exception e) {
        throw userFunctionFailed("reduce", e);
      }
      any = true;
    }
    if (!any) {
      throw new UnsupportedOperationException("empty collection");
    }
    return acc;
  }

  private static final Serializable NONE = new Serializable() {
    private static final long serialVersionUID = 1L;
  };

  /** Folds each partition from {@code zero}, then the partial results from {@code zero}. */
  public T fold(T zero, Function2<T, T, T> f) {
    return aggregate(zero, f, f, "fold");
  }

  /** Aggregates each partition with {@code seqOp} from {@code zero}, then the partials with {@code combOp}. */
  public <U> U aggregate(U zero, Function2<U, T, U> seqOp, Function2<U, U, U> combOp) {
    return aggregate(zero, seqOp, combOp, "aggregate");
  }

  private <U> U aggregate(U zero, Function2<U, T, U> seqOp, Function2<U, U, U> combOp, String action) {
    // Each task starts from its own copy of zero, as Spark deserializes one per task.
    ZeroCopier<U> zeroes = new ZeroCopier<>(zero);
    List<U> partials = context.runtime().runJob(this, (p, in) -> {
      U acc = zeroes.copy();
      while (in.hasNext()) {
        T next = in.next();
        try {
          acc = seqOp.call(acc, next);
        } catch (Exception e) {
          throw userFunctionFailed(action, e);
        }
      }
      return acc;
    }, allPartitions());
    U acc = zeroes.copy();
    try {
      for (U partial : partials) {
        acc = combOp.call(acc, partial);
      }
    } catch (Exception e) {
      throw userFunctionFailed(action, e);
    }
    return acc;
  }

  public void foreach(VoidFunction<T> f) {
    context.runtime().runJob(this, (p, in) -> {
      while (in.hasNext()) {
        T next = in.next();
        try {
          f.call(next);
        } catch (Exception e) {
          throw userFunctionFailed("foreach", e);
        }
      }
      return null;
    }, allPartitions());
  }

  public void foreachPartition(VoidFunction<Iterator<T>> f) {
    context.runtime().runJob(this, (p, in) -> {
      try {
        f.call(in);
      } catch (Exception e) {
        // A MillraceException here came from upstream operations and keeps their name.
        throw userFunctionFailed("foreachPartition", e);
      }
      return null;
    }, allPartitions());
  }

  /** How often each distinct record occurs, computed with a map-side combining shuffle. */
  public Map<T, Long> countByValue() {
    RDD<Tuple2<T, Long>> ones = map(x -> new Tuple2<>(x, 1L));
    Map<T, Long> out = new HashMap<>();
    for (Tuple2<T, Long> t : PairRDDFunctions.reduceByKey(
        ones, Long::sum, new HashPartitioner(Math.max(1, numPartitions())), "countByValue").collect()) {
      out.put(t._1(), t._2());
    }
    return out;
  }

  /**
   * Writes each partition as a UTF-8 text file {@code part-NNNNN} in directory {@code path}, one
   * record per line ({@code toString()}), then an empty {@code _SUCCESS} marker.
   *
   * @throws MillraceException if the directory already exists, as Spark refuses to overwrite
   */
  public void saveAsTextFile(String path) {
    savePartitions(path, (part, in) -> {
      try (BufferedWriter w = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
        while (in.hasNext()) {
          w.write(String.valueOf(in.next()));
          w.write('\n');
        }
      }
    });
  }

  /**
   * Writes each partition as a file of Java-serialized records, in the spirit of Spark's
   * {@code saveAsObjectFile} (which writes a Hadoop SequenceFile of serialized arrays).
   *
   * @throws MillraceException if the directory already exists
   */
  public void saveAsObjectFile(String path) {
    savePartitions(path, (part, in) -> {
      try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(
          new java.io.BufferedOutputStream(Files.newOutputStream(part)))) {
        ArrayList<Object> records = new ArrayList<>();
        in.forEachRemaining(records::add);
        out.writeObject(records);
      }
    });
  }

  /** Writes one partition's records to one file. */
  @FunctionalInterface
  private interface PartitionWriter<T> extends Serializable {
    void write(Path part, Iterator<T> records) throws IOException;
  }

  /**
   * Creates directory {@code path} (failing if it exists, as Spark does), writes each partition
   * to {@code part-NNNNN} with {@code writer}, then the {@code _SUCCESS} marker.
   */
  private void savePartitions(String path, PartitionWriter<T> writer) {
    Path dir = Paths.get(path);
    if (Files.exists(dir)) {
      throw new MillraceException("Output directory " + dir.toAbsolutePath() + " already exists",
          new FileAlreadyExistsException(dir.toString()));
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new MillraceException("Cannot create output directory " + dir, e);
    }
    String dirName = dir.toString();
    context.runtime().runJob(this, (p, in) -> {
      writer.write(Paths.get(dirName, String.format("part-%05d", p)), in);
      return null;
    }, allPartitions());
    try {
      Files.createFile(dir.resolve("_SUCCESS"));
    } catch (IOException e) {
      throw new MillraceException("Cannot write " + dir.resolve("_SUCCESS"), e);
    }
  }

  /** The largest {@code num} records by {@code comparator}... in descending order. */
  public List<T> top(int num, Comparator<T> comparator) {
    List<T> all = collect();
    all.sort(comparator.reversed());
    return new ArrayList<>(all.subList(0, Math.min(num, all.size())));
  }

  /** Indices {@code 0 .. numPartitions()-1}. */
  public final int[] allPartitions() {
    int[] all = new int[numPartitions()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return all;
  }

  /**
   * Keys each record by a rising position, starting where Spark starts for the partition, so that
   * hashing the keys spreads the records round-robin over the new partitions.
   */
  private static final class RoundRobinKeys<T> implements Iterator<Tuple2<Integer, T>> {
    private final Iterator<T> in;
    private int position;

    RoundRobinKeys(Iterator<T> in, int start) {
      this.in = in;
      this.position = start;
    }

    @Override
    public boolean hasNext() {
      return in.hasNext();
    }

    @Override
    public Tuple2<Integer, T> next() {
      position++;
      return new Tuple2<>(position, in.next());
    }
  }

  /**
   * Fresh copies of a zero value, so that a mutable zero is never shared between tasks (Spark
   * gets the same effect by deserializing it per task). Immutable JDK values are used as they are.
   */
  private static final class ZeroCopier<Z> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Z value;
    private final byte[] bytes;

    ZeroCopier(Z zero) {
      this.value = zero;
      this.bytes = isImmutable(zero) ? null : JavaSerialization.serialize(zero);
    }

    Z copy() {
      return bytes == null ? value : JavaSerialization.deserialize(bytes);
    }

    private static boolean isImmutable(Object o) {
      return o == null || o instanceof String || o instanceof Number && o.getClass().getName().startsWith("java.lang.")
          || o instanceof Boolean || o instanceof Character;
    }
  }
}
