package dev.millrace.spark.internal;

import dev.millrace.MillraceConf;
import dev.millrace.MillraceException;
import dev.millrace.internal.config.ConfigKeys;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.internal.runtime.BatchRuntime;
import dev.millrace.internal.runtime.PartitionTask;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;

/**
 * Runs Millrace dataset plans as Spark jobs on the cluster named by the master URL, through one
 * {@link JavaSparkContext} owned by this runtime. The streaming driver (clock, job scheduler,
 * listeners, checkpoints, sources) stays in this JVM; only the batches' datasets run on Spark.
 *
 * <p>Configuration: every {@code millrace.X} (or {@code spark.X}) setting of the application is
 * passed to Spark as {@code spark.X}, so {@code spark.executor.memory}, {@code spark.jars}, {@code
 * spark.executor.extraClassPath} and the like work as in a Spark program.
 *
 * <p>Thread-safe: jobs may be submitted concurrently; plan translation is serialized, the Spark
 * jobs are not.
 */
public final class SparkRuntime implements BatchRuntime {
  private final JavaSparkContext sc;
  private final PlanTranslator translator;
  private final int defaultParallelism;
  private volatile boolean stopped;

  private SparkRuntime(JavaSparkContext sc, int parallelism) {
    this.sc = sc;
    this.translator = new PlanTranslator(sc);
    this.defaultParallelism = parallelism > 0 ? parallelism : sc.defaultParallelism();
  }

  /** Starts a Spark context for {@code conf}'s master and application name. */
  static SparkRuntime start(MillraceConf conf) {
    SparkConf sparkConf = new SparkConf(false);
    for (Map.Entry<String, String> e : conf.getAll()) {
      String key = e.getKey();
      sparkConf.set(key.startsWith("millrace.") ? "spark." + key.substring("millrace.".length()) : key, e.getValue());
    }
    // State kept on the cluster is checkpointed by Spark at each state checkpoint; superseded
    // checkpoints are deleted once their RDD is gone, unless the application says otherwise.
    sparkConf.setIfMissing("spark.cleaner.referenceTracking.cleanCheckpoints", "true");
    return new SparkRuntime(new JavaSparkContext(sparkConf), conf.get(ConfigKeys.DEFAULT_PARALLELISM));
  }

  /**
   * How the state (and inverse-window values) of the streams was kept on the cluster so far; for
   * diagnostics and tests.
   *
   * @param kept datasets kept (persisted) on the executors, one per stateful stream and batch
   * @param released of those, the ones unpersisted since (their stream forgot them)
   * @param checkpointed of those, the ones checkpointed to the shared checkpoint directory
   * @param partitionsFetched partitions of kept datasets brought to the driver (by plans computed on
   *     the driver; none for the translated operations)
   */
  public record StateStats(long kept, long released, long checkpointed, long partitionsFetched) {}

  /** See {@link StateStats}. Thread-safe. */
  public StateStats stateStats() {
    return new StateStats(translator.statesKept.get(), translator.statesReleased.get(),
        translator.stateCheckpoints.get(), translator.partitionsFetched.get());
  }

  @Override
  public int defaultParallelism() {
    return defaultParallelism;
  }

  @Override
  public String applicationId() {
    return sc.sc().applicationId();
  }

  /** The Spark context the jobs run on; for diagnostics and tests. */
  public JavaSparkContext sparkContext() {
    return sc;
  }

  @Override
  public <T, U> List<U> runJob(RDD<T> rdd, PartitionTask<T, U> task, int[] partitions) {
    if (stopped) {
      throw new IllegalStateException("Cannot call methods on a stopped MillraceContext.");
    }
    try {
      JavaRDD<T> plan = translator.translate(rdd);
      if (partitions.length == 0) {
        return List.of();
      }
      Shipping.check(task, "an action on " + rdd);
      List<U>[] results = plan.mapPartitionsWithIndex(new RunTask<>(task, rdd.toString()), false)
          .collectPartitions(partitions);
      List<U> out = new ArrayList<>(results.length);
      for (List<U> r : results) {
        out.add(r.get(0));
      }
      return out;
    } catch (MillraceException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(rdd, e);
    } finally {
      // What the executors reported about bad input while reading this job's sources.
      translator.deliverReports();
    }
  }

  /**
   * The Millrace failure inside a failed Spark job (a user function's error, with its operation
   * named, travels back as the task's exception), or a failure naming the dataset.
   */
  private RuntimeException failure(RDD<?> rdd, RuntimeException e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof MillraceException) {
        MillraceException m = (MillraceException) c;
        if (m != e) {
          m.addSuppressed(e);
        }
        return m;
      }
    }
    if (stopped || sc.sc().isStopped()) {
      return new IllegalStateException("Cannot call methods on a stopped MillraceContext.", e);
    }
    String hint = String.valueOf(e.getMessage()).contains("SerializedLambda")
        ? " (the executors cannot load this job's classes: set spark.jars to the job's jar, or"
            + " spark.executor.extraClassPath; see docs/cluster.md)"
        : "";
    return new MillraceException("Spark job for " + rdd + " failed: " + e.getMessage() + hint, e);
  }

  /** Unpersists the Spark RDD of a persisted dataset (not blocking), unless the runtime stopped. */
  @Override
  public void unpersist(RDD<?> rdd) {
    if (!stopped && rdd.runtimeHandle() instanceof JavaRDD<?> handle
        && !handle.getStorageLevel().equals(org.apache.spark.storage.StorageLevel.NONE())) {
      handle.unpersist(false);
    }
  }

  @Override
  public void stop() {
    stopped = true;
    translator.stop();
    sc.stop();
  }

  @Override
  public String toString() {
    return "SparkRuntime[" + sc.master() + "]";
  }

  /** Runs the action's task on one partition; its one result is the partition's output. */
  private static final class RunTask<T, U> implements Function2<Integer, Iterator<T>, Iterator<U>> {
    private static final long serialVersionUID = 1L;
    private final PartitionTask<T, U> task;
    private final String dataset;

    RunTask(PartitionTask<T, U> task, String dataset) {
      this.task = task;
      this.dataset = dataset;
    }

    @Override
    public Iterator<U> call(Integer partition, Iterator<T> records) {
      try {
        return Collections.singletonList(task.run(partition, records)).iterator();
      } catch (MillraceException e) {
        throw e;
      } catch (Exception e) {
        throw new MillraceException("Task for partition " + partition + " of " + dataset + " failed: " + e, e);
      }
    }
  }
}
