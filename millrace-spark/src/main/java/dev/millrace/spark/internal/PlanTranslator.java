package dev.millrace.spark.internal;

import dev.millrace.Partitioner;
import dev.millrace.Tuple2;
import dev.millrace.api.java.function.Function2;
import dev.millrace.internal.rdd.Aggregator;
import dev.millrace.internal.rdd.CoGroupedRDD;
import dev.millrace.internal.rdd.ComputesAnywhere;
import dev.millrace.internal.rdd.Dependency;
import dev.millrace.internal.rdd.MaterializingRDD;
import dev.millrace.internal.rdd.PartitionerAwareUnionRDD;
import dev.millrace.internal.rdd.PlanNodes;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.internal.rdd.ShuffleDependency;
import dev.millrace.internal.rdd.ShuffledRDD;
import dev.millrace.internal.rdd.UnionRDD;
import dev.millrace.internal.rdd.ZipsParents;
import dev.millrace.internal.runtime.LocalRuntime;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.FlatMapFunction2;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.PairFunction;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a Millrace dataset plan into Spark RDD operations with the same partitions.
 *
 * <ul>
 *   <li>A run of narrow steps ({@code map}, {@code filter}, {@code flatMap}, {@code
 *       mapPartitions}, ...) becomes one {@code mapPartitionsWithIndex} whose function runs the
 *       steps' Millrace partition functions in order: one pass per partition, as locally.
 *   <li>A shuffle becomes {@code combineByKey} (with the Millrace aggregator and map-side combine
 *       flag) or {@code partitionBy}, with a {@link SparkPartitioner} wrapping the Millrace
 *       partitioner, so every key lands in the same partition as on the local runtime.
 *   <li>A co-group tags each parent's values with the parent's index, shuffles them together and
 *       groups them per partition; a union concatenates partitions ({@code union}) or zips them
 *       when the parents share a partitioner.
 *   <li>Datasets without parents that read their own partitions ({@link
 *       ComputesAnywhere}: file splits, offset ranges) are computed on the executors, one task per
 *       partition (what they report about bad input comes back to the driver's dataset); other
 *       datasets without parents (parallelized data, queued batches, received blocks) are read on
 *       the driver and shipped as one slice per partition.
 *   <li>A state update ({@link ZipsParents}: {@code updateStateByKey}, {@code mapWithState}) zips
 *       the partitions of its parents and runs on the executors.
 *   <li>State and window results ({@link MaterializingRDD}) are computed on the cluster and stay
 *       there: persisted, partitioned by the wrapped partitioner, checkpointed to the shared
 *       checkpoint directory at the stream's checkpoint interval, unpersisted when the stream
 *       forgets them. The next batch's plan reads them where they are.
 *   <li>Any other node is computed on the driver by a small local runtime, and its partitions
 *       shipped; a warning names its kind once.
 * </ul>
 *
 * <p>Each dataset is translated once; the result is kept on the dataset ({@link
 * RDD#runtimeHandle()}), so a shuffle read by several jobs (several outputs of one batch, windows
 * reading older batches) runs once on the cluster, as Spark reuses a shuffle's map output. A
 * persisted dataset is persisted in Spark too.
 *
 * <p>Thread-safe: translation is serialized by this object's lock.
 */
final class PlanTranslator {
  private static final Logger LOG = LoggerFactory.getLogger(PlanTranslator.class);

  private final JavaSparkContext sc;
  /** Under the checkpoint directory: where Spark checkpoints the state it keeps. */
  static final String SPARK_CHECKPOINTS = "spark-rdd";

  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  private final List<RemoteReports> remoteReports = new ArrayList<>();
  private LocalRuntime driverRuntime;
  private java.nio.file.Path sparkCheckpointDir;
  final java.util.concurrent.atomic.AtomicLong statesKept = new java.util.concurrent.atomic.AtomicLong();
  final java.util.concurrent.atomic.AtomicLong statesReleased = new java.util.concurrent.atomic.AtomicLong();
  final java.util.concurrent.atomic.AtomicLong stateCheckpoints = new java.util.concurrent.atomic.AtomicLong();
  final java.util.concurrent.atomic.AtomicLong partitionsFetched = new java.util.concurrent.atomic.AtomicLong();

  PlanTranslator(JavaSparkContext sc) {
    this.sc = sc;
  }

  /** The Spark RDD computing {@code rdd}'s partitions, partition for partition. */
  @SuppressWarnings("unchecked")
  synchronized <T> JavaRDD<T> translate(RDD<T> rdd) {
    Object handle = rdd.runtimeHandle();
    if (handle instanceof JavaRDD) {
      return (JavaRDD<T>) handle;
    }
    JavaRDD<T> out = build(rdd);
    if (rdd.getStorageLevel().isValid()) {
      out = out.persist(StorageLevel.MEMORY_AND_DISK());
    }
    rdd.setRuntimeHandle(out);
    return out;
  }

  synchronized void stop() {
    if (driverRuntime != null) {
      driverRuntime.stop();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private <T> JavaRDD<T> build(RDD<T> rdd) {
    if (PlanNodes.isStep(rdd)) {
      return steps(rdd);
    }
    if (rdd instanceof ShuffledRDD) {
      return (JavaRDD<T>) shuffle((ShuffledRDD) rdd);
    }
    if (rdd instanceof CoGroupedRDD) {
      return (JavaRDD<T>) coGroup((CoGroupedRDD) rdd);
    }
    if (rdd instanceof UnionRDD) {
      return union(rdd);
    }
    if (rdd instanceof PartitionerAwareUnionRDD) {
      return zipUnion(rdd);
    }
    if (rdd instanceof MaterializingRDD) {
      return materialized((MaterializingRDD<T>) rdd);
    }
    if (rdd instanceof ZipsParents && !rdd.dependencies().isEmpty()) {
      return zip(rdd);
    }
    if (PlanNodes.computesAnywhere(rdd)) {
      return onExecutors(rdd);
    }
    if (rdd.dependencies().isEmpty()) {
      return fromDriver(rdd, partitionsOnDriver(rdd));
    }
    if (warned.add(rdd.getClass().getName())) {
      LOG.warn("{} datasets have no translation to Spark yet: they are computed on the driver and shipped "
          + "(first seen: {})", rdd.getClass().getSimpleName(), rdd);
    }
    return fromDriver(rdd, computeOnDriver(rdd));
  }

  // ------------------------------------------------------------------ narrow steps

  private <T> JavaRDD<T> steps(RDD<T> top) {
    List<RDD<?>> chain = new ArrayList<>();
    RDD<?> cur = top;
    // Fuse down to the first node that is not a step, or that is persisted or already translated
    // (its Spark RDD is reused rather than recomputed inside this one).
    while (PlanNodes.isStep(cur)
        && (cur == top || cur.runtimeHandle() == null && !cur.getStorageLevel().isValid())) {
      Shipping.check(cur, cur);
      chain.add(cur);
      cur = PlanNodes.stepParent(cur);
    }
    Collections.reverse(chain);
    JavaRDD<Object> input = translate(erase(cur));
    return input.mapPartitionsWithIndex(new StepChain<>(chain.toArray(new RDD<?>[0])), top.partitioner() != null);
  }

  /** Runs a fused run of narrow steps over one partition, bottom step first. */
  private static final class StepChain<T> implements
      org.apache.spark.api.java.function.Function2<Integer, Iterator<Object>, Iterator<T>> {
    private static final long serialVersionUID = 1L;
    private final RDD<?>[] steps;

    StepChain(RDD<?>[] steps) {
      this.steps = steps;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Iterator<T> call(Integer partition, Iterator<Object> input) {
      Iterator<Object> it = input;
      for (RDD<?> step : steps) {
        it = PlanNodes.applyStep((RDD<Object>) step, partition, it);
      }
      return (Iterator<T>) it;
    }
  }

  // ------------------------------------------------------------------ shuffles

  private <K, V, C> JavaRDD<Tuple2<K, C>> shuffle(ShuffledRDD<K, V, C> rdd) {
    @SuppressWarnings("unchecked")
    ShuffleDependency<K, V, C> dep = (ShuffleDependency<K, V, C>) rdd.dependencies().get(0);
    Shipping.check(dep.partitioner(), rdd);
    SparkPartitioner partitioner = new SparkPartitioner(dep.partitioner());
    JavaPairRDD<K, V> pairs = translate(dep.parent()).mapToPair(new ToScala<>());
    Aggregator<V, C> agg = dep.aggregator();
    JavaPairRDD<K, C> shuffled;
    if (agg == null) {
      @SuppressWarnings("unchecked")
      JavaPairRDD<K, C> moved = (JavaPairRDD<K, C>) (JavaPairRDD<K, ?>) pairs.partitionBy(partitioner);
      shuffled = moved;
    } else {
      Shipping.check(agg, rdd);
      Combiners<K, V, C> c = new Combiners<>(rdd, agg);
      shuffled = pairs.combineByKey(c.create(), c.mergeValue(), c.mergeCombiners(), partitioner,
          dep.mapSideCombine(), null);
    }
    return shuffled.map(new FromScala<>());
  }

  /** The combine functions of a shuffle, failing with the shuffle's operation named. */
  private static final class Combiners<K, V, C> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final RDD<?> owner;
    private final Aggregator<V, C> agg;

    Combiners(RDD<?> owner, Aggregator<V, C> agg) {
      this.owner = owner;
      this.agg = agg;
    }

    Function<V, C> create() {
      return v -> {
        try {
          return agg.createCombiner().call(v);
        } catch (Exception e) {
          throw owner.userFunctionFailed(owner.operation(), e);
        }
      };
    }

    org.apache.spark.api.java.function.Function2<C, V, C> mergeValue() {
      return (c, v) -> apply(agg.mergeValue(), c, v);
    }

    org.apache.spark.api.java.function.Function2<C, C, C> mergeCombiners() {
      return (a, b) -> apply(agg.mergeCombiners(), a, b);
    }

    private <A, B> C apply(Function2<A, B, C> f, A a, B b) {
      try {
        return f.call(a, b);
      } catch (Exception e) {
        throw owner.userFunctionFailed(owner.operation(), e);
      }
    }
  }

  /** Millrace pair to Spark pair. */
  private static final class ToScala<K, V> implements PairFunction<Tuple2<K, V>, K, V> {
    private static final long serialVersionUID = 1L;

    @Override
    public scala.Tuple2<K, V> call(Tuple2<K, V> t) {
      return new scala.Tuple2<>(t._1(), t._2());
    }
  }

  /** Spark pair to Millrace pair. */
  private static final class FromScala<K, V> implements Function<scala.Tuple2<K, V>, Tuple2<K, V>> {
    private static final long serialVersionUID = 1L;

    @Override
    public Tuple2<K, V> call(scala.Tuple2<K, V> t) {
      return new Tuple2<>(t._1(), t._2());
    }
  }

  // ------------------------------------------------------------------ co-group

  /**
   * Parents already partitioned by the co-group's partitioner (kept state, a window's previous
   * value, reduced batches) are read in place, partition for partition; only the others are
   * shuffled, together, by the wrapped partitioner, as Millrace's co-group is narrow for them too.
   */
  private <K> JavaRDD<Tuple2<K, List<Object>[]>> coGroup(CoGroupedRDD<K> rdd) {
    List<Dependency> deps = rdd.dependencies();
    Partitioner partitioner = rdd.partitioner();
    Shipping.check(partitioner, rdd);
    List<JavaPairRDD<Object, Object>> inPlace = new ArrayList<>();
    List<JavaPairRDD<Object, Object>> toShuffle = new ArrayList<>();
    for (int i = 0; i < deps.size(); i++) {
      RDD<?> parent = deps.get(i).rdd();
      JavaPairRDD<Object, Object> tagged = translate(erase(parent)).mapToPair(new Tag(i));
      if (partitioner.equals(parent.partitioner()) && parent.numPartitions() == partitioner.numPartitions()) {
        inPlace.add(tagged);
      } else {
        toShuffle.add(tagged);
      }
    }
    List<JavaRDD<scala.Tuple2<Object, Object>>> parts = new ArrayList<>();
    if (!toShuffle.isEmpty()) {
      @SuppressWarnings({"unchecked", "rawtypes"})
      JavaPairRDD<Object, Object> all = toShuffle.size() == 1 ? toShuffle.get(0)
          : sc.union(toShuffle.toArray(new JavaPairRDD[0]));
      parts.add(asRdd(all.partitionBy(new SparkPartitioner(partitioner))));
    }
    for (JavaPairRDD<Object, Object> p : inPlace) {
      parts.add(asRdd(p));
    }
    JavaRDD<scala.Tuple2<Object, Object>> acc = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      acc = acc.zipPartitions(parts.get(i), new Concat<>());
    }
    return acc.mapPartitions(new Group<>(deps.size()));
  }

  private static JavaRDD<scala.Tuple2<Object, Object>> asRdd(JavaPairRDD<Object, Object> pairs) {
    return new JavaRDD<>(pairs.rdd(), pairs.rdd().elementClassTag());
  }

  /** A value of a co-group's parent, with the parent's index. */
  private record Tagged(int parent, Object value) implements Serializable {}

  private static final class Tag implements PairFunction<Object, Object, Object> {
    private static final long serialVersionUID = 1L;
    private final int parent;

    Tag(int parent) {
      this.parent = parent;
    }

    @Override
    public scala.Tuple2<Object, Object> call(Object record) {
      Tuple2<?, ?> t = (Tuple2<?, ?>) record;
      return new scala.Tuple2<>(t._1(), new Tagged(parent, t._2()));
    }
  }

  /** Groups one partition's tagged values by key: per key, one list per parent. */
  private static final class Group<K> implements
      FlatMapFunction<Iterator<scala.Tuple2<Object, Object>>, Tuple2<K, List<Object>[]>> {
    private static final long serialVersionUID = 1L;
    private final int parents;

    Group(int parents) {
      this.parents = parents;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Iterator<Tuple2<K, List<Object>[]>> call(Iterator<scala.Tuple2<Object, Object>> in) {
      Map<Object, List<Object>[]> groups = new HashMap<>();
      while (in.hasNext()) {
        scala.Tuple2<Object, Object> t = in.next();
        Tagged v = (Tagged) t._2();
        List<Object>[] g = groups.get(t._1());
        if (g == null) {
          g = new List[parents];
          for (int i = 0; i < parents; i++) {
            g[i] = new ArrayList<>(2);
          }
          groups.put(t._1(), g);
        }
        g[v.parent()].add(v.value());
      }
      List<Tuple2<K, List<Object>[]>> out = new ArrayList<>(groups.size());
      for (Map.Entry<Object, List<Object>[]> e : groups.entrySet()) {
        out.add(new Tuple2<>((K) e.getKey(), e.getValue()));
      }
      return out.iterator();
    }
  }

  // ------------------------------------------------------------------ unions

  @SuppressWarnings({"unchecked", "rawtypes"})
  private <T> JavaRDD<T> union(RDD<T> rdd) {
    List<Dependency> deps = rdd.dependencies();
    if (deps.isEmpty()) {
      return sc.emptyRDD();
    }
    JavaRDD<T>[] parts = new JavaRDD[deps.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = translate((RDD<T>) deps.get(i).rdd());
    }
    return parts.length == 1 ? parts[0] : sc.union(parts);
  }

  @SuppressWarnings("unchecked")
  private <T> JavaRDD<T> zipUnion(RDD<T> rdd) {
    List<Dependency> deps = rdd.dependencies();
    JavaRDD<T> acc = translate((RDD<T>) deps.get(0).rdd());
    for (int i = 1; i < deps.size(); i++) {
      acc = acc.zipPartitions(translate((RDD<T>) deps.get(i).rdd()), new Concat<>());
    }
    return acc;
  }

  /** Partition i of one parent, then partition i of the other. */
  private static final class Concat<T> implements FlatMapFunction2<Iterator<T>, Iterator<T>, T> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<T> call(Iterator<T> a, Iterator<T> b) {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return a.hasNext() || b.hasNext();
        }

        @Override
        public T next() {
          if (a.hasNext()) {
            return a.next();
          }
          if (b.hasNext()) {
            return b.next();
          }
          throw new NoSuchElementException();
        }
      };
    }
  }

  // ------------------------------------------------------------------ zips (state updates)

  /**
   * A node computed from partition p of each parent: the parents' partitions are zipped (each task
   * holds their live iterators, nothing is serialized between them) and the shipped node computes
   * the partition on the executor.
   */
  @SuppressWarnings("unchecked")
  private <T> JavaRDD<T> zip(RDD<T> rdd) {
    Shipping.check(rdd, rdd);
    List<Dependency> deps = rdd.dependencies();
    JavaRDD<List<Iterator<?>>> inputs = translate(erase(deps.get(0).rdd())).mapPartitions(new FirstInput());
    for (int i = 1; i < deps.size(); i++) {
      inputs = inputs.zipPartitions(translate(erase(deps.get(i).rdd())), new NextInput());
    }
    return inputs.mapPartitionsWithIndex(new ZipCompute<>((ZipsParents<T>) rdd), false);
  }

  private static final class FirstInput implements FlatMapFunction<Iterator<Object>, List<Iterator<?>>> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<List<Iterator<?>>> call(Iterator<Object> in) {
      List<Iterator<?>> inputs = new ArrayList<>(2);
      inputs.add(in);
      return Collections.singletonList(inputs).iterator();
    }
  }

  private static final class NextInput
      implements FlatMapFunction2<Iterator<List<Iterator<?>>>, Iterator<Object>, List<Iterator<?>>> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<List<Iterator<?>>> call(Iterator<List<Iterator<?>>> acc, Iterator<Object> in) {
      List<Iterator<?>> inputs = acc.next();
      inputs.add(in);
      return Collections.singletonList(inputs).iterator();
    }
  }

  private static final class ZipCompute<T>
      implements org.apache.spark.api.java.function.Function2<Integer, Iterator<List<Iterator<?>>>, Iterator<T>> {
    private static final long serialVersionUID = 1L;
    private final ZipsParents<T> node;

    ZipCompute(ZipsParents<T> node) {
      this.node = node;
    }

    @Override
    public Iterator<T> call(Integer partition, Iterator<List<Iterator<?>>> inputs) {
      return node.computeFrom(partition, inputs.next());
    }
  }

  // ------------------------------------------------------------------ state kept on the executors

  /**
   * State and window results: the source plan runs on the cluster and its partitions stay there, in
   * a persisted {@link KeptRDD} laid out by the wrapped partitioner. One job computes every
   * partition right away (so the previous state's cache can be dropped once the batch ends, and the
   * per-partition record counts come back as the only result); at the stream's checkpoint batches
   * the RDD is also checkpointed to the shared checkpoint directory, which cuts its lineage. The
   * Millrace dataset gets a {@link SparkHolder} and lets its source plan go; nothing of the state
   * comes back to the driver.
   */
  @SuppressWarnings("unchecked")
  private <T> JavaRDD<T> materialized(MaterializingRDD<T> rdd) {
    List<Dependency> deps = rdd.dependencies();
    if (deps.isEmpty()) {
      // Built from data held on the driver: shipped as it is.
      return fromDriver(rdd, partitionsOnDriver(rdd));
    }
    JavaRDD<T> source = translate((RDD<T>) deps.get(0).rdd());
    Partitioner p = rdd.partitioner();
    KeptRDD<T> kept = new KeptRDD<>(source.rdd(), p == null ? null : new SparkPartitioner(p));
    JavaRDD<T> out = new JavaRDD<>(kept, kept.elementClassTag());
    out.persist(StorageLevel.MEMORY_AND_DISK());
    if (rdd.isCheckpointDue() && rdd.numPartitions() > 0) {
      if (checkpointDirFor(rdd)) {
        out.checkpoint();
        stateCheckpoints.incrementAndGet();
      } else {
        out.rdd().localCheckpoint();
      }
    }
    long[] counts = new long[rdd.numPartitions()];
    if (counts.length > 0) {
      List<Long> perPartition = out.mapPartitions(new CountRecords<>()).collect();
      for (int i = 0; i < counts.length; i++) {
        counts[i] = perPartition.get(i);
      }
    }
    statesKept.incrementAndGet();
    rdd.heldBy(new SparkHolder<>(this, out, counts, rdd.toString()));
    return out;
  }

  /**
   * Points Spark's checkpoint directory at {@code spark-rdd/} under the stream's checkpoint
   * directory (which all nodes must share); false if the context has none.
   */
  private boolean checkpointDirFor(RDD<?> rdd) {
    String dir = rdd.context().checkpointDir();
    if (dir == null) {
      if (warned.add("no checkpoint directory")) {
        LOG.warn("No checkpoint directory: state kept on the cluster is checkpointed on the executors only "
            + "(localCheckpoint), so losing an executor loses state");
      }
      return false;
    }
    java.nio.file.Path sparkDir = java.nio.file.Paths.get(dir, SPARK_CHECKPOINTS).toAbsolutePath();
    if (!sparkDir.equals(sparkCheckpointDir)) {
      deleteOldSparkCheckpoints(sparkDir);
      sc.setCheckpointDir(sparkDir.toString());
      sparkCheckpointDir = sparkDir;
    }
    return true;
  }

  /**
   * Spark's checkpoints of earlier drivers (one directory per Spark application) are never read
   * again: a restarted driver recovers from the Millrace state checkpoint. They are deleted when
   * this driver first checkpoints state there.
   */
  private static void deleteOldSparkCheckpoints(java.nio.file.Path sparkDir) {
    if (!java.nio.file.Files.isDirectory(sparkDir)) {
      return;
    }
    try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(sparkDir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).filter(f -> !f.equals(sparkDir)).forEach(f -> {
        try {
          java.nio.file.Files.deleteIfExists(f);
        } catch (java.io.IOException e) {
          LOG.debug("Cannot delete {}: {}", f, e.toString());
        }
      });
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      LOG.warn("Cannot delete the Spark checkpoints of earlier runs under {}: {}", sparkDir, e.toString());
    }
  }

  /** Counts one partition's records (the job that fills the cache). */
  private static final class CountRecords<T> implements FlatMapFunction<Iterator<T>, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Long> call(Iterator<T> in) {
      long n = 0;
      while (in.hasNext()) {
        in.next();
        n++;
      }
      return Collections.singletonList(n).iterator();
    }
  }

  /** Sums a record weight over one partition. */
  private static final class SumSizes<T> implements FlatMapFunction<Iterator<T>, Long> {
    private static final long serialVersionUID = 1L;
    private final MaterializingRDD.SizeOf<? super T> sizeOf;

    SumSizes(MaterializingRDD.SizeOf<? super T> sizeOf) {
      this.sizeOf = sizeOf;
    }

    @Override
    public Iterator<Long> call(Iterator<T> in) {
      long n = 0;
      while (in.hasNext()) {
        n += sizeOf.applyAsLong(in.next());
      }
      return Collections.singletonList(n).iterator();
    }
  }

  /**
   * The partitions of one materialized dataset, cached on the executors. Sizes are Spark jobs over
   * the cache (one per weight function, remembered: the dataset never changes); a partition comes
   * to the driver only if a plan computed on the driver reads it (counted); releasing unpersists.
   */
  private static final class SparkHolder<T> implements MaterializingRDD.Holder<T> {
    private final PlanTranslator translator;
    private final JavaRDD<T> kept;
    private final long[] counts;
    private final String name;
    private final Map<Class<?>, Long> sizes = new ConcurrentHashMap<>();
    private volatile boolean released;

    SparkHolder(PlanTranslator translator, JavaRDD<T> kept, long[] counts, String name) {
      this.translator = translator;
      this.kept = kept;
      this.counts = counts;
      this.name = name;
    }

    @Override
    public List<T> fetch(int partition) {
      translator.partitionsFetched.incrementAndGet();
      if (translator.warned.add("fetch " + name)) {
        LOG.warn("Partition {} of {} is brought to the driver: a plan computed on the driver reads it", partition,
            name);
      }
      return kept.collectPartitions(new int[] {partition})[0];
    }

    @Override
    public java.util.OptionalLong size(MaterializingRDD.SizeOf<? super T> sizeOf) {
      Long known = sizes.get(sizeOf.getClass());
      if (known != null) {
        return java.util.OptionalLong.of(known);
      }
      if (released || kept.context().isStopped()) {
        return java.util.OptionalLong.empty();
      }
      try {
        long n = 0;
        for (long s : kept.mapPartitions(new SumSizes<T>(sizeOf)).collect()) {
          n += s;
        }
        sizes.put(sizeOf.getClass(), n);
        return java.util.OptionalLong.of(n);
      } catch (RuntimeException e) {
        LOG.debug("Cannot size {}: {}", name, e.toString());
        return java.util.OptionalLong.empty();
      }
    }

    @Override
    public void release() {
      if (!released) {
        released = true;
        translator.statesReleased.incrementAndGet();
        if (!kept.context().isStopped()) {
          kept.unpersist(false);
        }
      }
    }

    @Override
    public String toString() {
      return "kept on Spark: " + name + ", records per partition " + java.util.Arrays.toString(counts);
    }
  }

  // ------------------------------------------------------------------ data held on the driver

  private static <T> List<List<T>> partitionsOnDriver(RDD<T> rdd) {
    List<List<T>> parts = new ArrayList<>(rdd.numPartitions());
    for (int p = 0; p < rdd.numPartitions(); p++) {
      List<T> records = new ArrayList<>();
      rdd.iterator(p).forEachRemaining(records::add);
      parts.add(records);
    }
    return parts;
  }

  private <T> List<List<T>> computeOnDriver(RDD<T> rdd) {
    if (driverRuntime == null) {
      driverRuntime = new LocalRuntime(2, 2);
    }
    return driverRuntime.runJob(rdd, (p, in) -> {
      List<T> records = new ArrayList<>();
      in.forEachRemaining(records::add);
      return records;
    }, rdd.allPartitions());
  }

  /**
   * A dataset that reads its own partitions (file splits, offset ranges): each task computes one on
   * its executor. What the tasks report (bad input) is gathered in a Spark accumulator and handed to
   * the dataset on the driver after each job ({@link #deliverReports()}).
   */
  private <T> JavaRDD<T> onExecutors(RDD<T> rdd) {
    int n = rdd.numPartitions();
    if (n == 0) {
      return sc.emptyRDD();
    }
    Shipping.check(rdd, rdd);
    List<Integer> indices = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      indices.add(i);
    }
    CollectionAccumulator<String> reports = sc.sc().collectionAccumulator();
    synchronized (remoteReports) {
      remoteReports.add(new RemoteReports(rdd, reports));
    }
    return sc.parallelize(indices, n).mapPartitionsWithIndex(new ComputeLeaf<>(rdd, reports), false);
  }

  /**
   * Hands what the executors reported while computing {@link ComputesAnywhere} datasets to those
   * datasets on the driver: the reports of the tasks that succeeded since the last call. Called
   * after every job; datasets no longer referenced are forgotten.
   */
  void deliverReports() {
    List<RemoteReports> all;
    synchronized (remoteReports) {
      remoteReports.removeIf(r -> r.dataset.get() == null);
      all = new ArrayList<>(remoteReports);
    }
    for (RemoteReports r : all) {
      r.deliver();
    }
  }

  /** The reports accumulator of one dataset computed on the executors, and how many were delivered. */
  private static final class RemoteReports {
    final java.lang.ref.WeakReference<RDD<?>> dataset;
    final CollectionAccumulator<String> reports;
    private int delivered;

    RemoteReports(RDD<?> dataset, CollectionAccumulator<String> reports) {
      this.dataset = new java.lang.ref.WeakReference<>(dataset);
      this.reports = reports;
    }

    synchronized void deliver() {
      // The accumulator's list only grows (Spark merges each successful task's reports into it).
      List<String> all = reports.value();
      RDD<?> d = dataset.get();
      if (all.size() > delivered && d instanceof ComputesAnywhere) {
        List<String> fresh = new ArrayList<>(all.subList(delivered, all.size()));
        delivered = all.size();
        ((ComputesAnywhere) d).remoteReports(fresh);
      }
    }
  }

  /** Computes partition p of a shipped {@link ComputesAnywhere} node, its reports going to the accumulator. */
  private static final class ComputeLeaf<T> implements
      org.apache.spark.api.java.function.Function2<Integer, Iterator<Integer>, Iterator<T>> {
    private static final long serialVersionUID = 1L;
    private final RDD<T> leaf;
    private final CollectionAccumulator<String> reports;

    ComputeLeaf(RDD<T> leaf, CollectionAccumulator<String> reports) {
      this.leaf = leaf;
      this.reports = reports;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Iterator<T> call(Integer partition, Iterator<Integer> ignored) {
      return (Iterator<T>) ((ComputesAnywhere) leaf).computeRemotely(partition, reports::add);
    }
  }

  /** One Spark partition per list, holding its records. */
  private <T> JavaRDD<T> fromDriver(RDD<T> rdd, List<List<T>> parts) {
    if (parts.isEmpty()) {
      return sc.emptyRDD();
    }
    return sc.parallelize(parts, parts.size()).flatMap(new Flatten<>());
  }

  private static final class Flatten<T> implements FlatMapFunction<List<T>, T> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<T> call(List<T> records) {
      return records.iterator();
    }
  }

  @SuppressWarnings("unchecked")
  private static RDD<Object> erase(RDD<?> rdd) {
    return (RDD<Object>) rdd;
  }
}
