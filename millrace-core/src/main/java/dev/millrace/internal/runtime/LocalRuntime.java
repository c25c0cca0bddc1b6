package dev.millrace.internal.runtime;

import dev.millrace.MillraceException;
import dev.millrace.Tuple2;
import dev.millrace.internal.rdd.Aggregator;
import dev.millrace.internal.rdd.CombineMap;
import dev.millrace.internal.rdd.Dependency;
import dev.millrace.internal.rdd.PairBuffer;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.internal.rdd.ShuffleDependency;
import dev.millrace.internal.rdd.ShuffleOutput;
import dev.millrace.Partitioner;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs dataset plans on a fixed pool of worker threads in this JVM ({@code local[N]}).
 *
 * <p>A job first makes sure every shuffle its dataset reads has run (parents first, each shuffle
 * once, its output kept on the {@link ShuffleDependency}), then runs one task per partition. A
 * stage's tasks are shared out by an atomic counter between the calling thread and up to N-1 pool
 * threads, so a job never runs more than N tasks at once and a one-partition stage costs no
 * thread hand-off at all: that keeps per-batch overhead in microseconds.
 *
 * <p>The map side of a shuffle hash-partitions each record and, when the operation allows,
 * combines values by key in one {@link CombineMap} per task before splitting it into buckets.
 */
public final class LocalRuntime implements BatchRuntime {
  private final int threads;
  private final int defaultParallelism;
  private final ExecutorService pool;

  public LocalRuntime(int threads, int defaultParallelism) {
    this.threads = threads;
    this.defaultParallelism = defaultParallelism;
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "millrace-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public int defaultParallelism() {
    return defaultParallelism;
  }

  @Override
  public <T, U> List<U> runJob(RDD<T> rdd, PartitionTask<T, U> task, int[] partitions) {
    if (pool.isShutdown()) {
      // Spark's message for any action on a stopped context.
      throw new IllegalStateException("Cannot call methods on a stopped MillraceContext.");
    }
    runShuffles(rdd);
    @SuppressWarnings("unchecked")
    U[] results = (U[]) new Object[partitions.length];
    runStage(partitions.length, i -> results[i] = task.run(partitions[i], rdd.iterator(partitions[i])),
        rdd, partitions);
    return Arrays.asList(results);
  }

  @Override
  public void stop() {
    pool.shutdownNow();
  }

  /** Runs every shuffle that {@code rdd} depends on and that has not run yet, upstream first. */
  private void runShuffles(RDD<?> rdd) {
    for (Dependency dep : rdd.dependencies()) {
      if (dep instanceof ShuffleDependency) {
        ShuffleDependency<?, ?, ?> shuffle = (ShuffleDependency<?, ?, ?>) dep;
        if (shuffle.output() == null) {
          synchronized (shuffle) {
            if (shuffle.output() == null) {
              runShuffles(shuffle.rdd());
              shuffle.setOutput(runMapStage(shuffle));
            }
          }
        }
      } else {
        runShuffles(dep.rdd());
      }
    }
  }

  private <K, V, C> ShuffleOutput runMapStage(ShuffleDependency<K, V, C> dep) {
    RDD<Tuple2<K, V>> parent = dep.parent();
    int maps = parent.numPartitions();
    PairBuffer[][] buckets = new PairBuffer[maps][];
    int[] all = parent.allPartitions();
    runStage(maps, m -> buckets[m] = mapTask(dep, parent.iterator(m)), parent, all);
    return new ShuffleOutput(buckets, dep.partitioner().numPartitions());
  }

  private static <K, V, C> PairBuffer[] mapTask(ShuffleDependency<K, V, C> dep, Iterator<Tuple2<K, V>> in) {
    try {
      return partitionAndCombine(dep, in);
    } catch (MillraceException e) {
      throw e;
    } catch (Exception e) {
      // Upstream user functions fail with a MillraceException; anything else failed here.
      throw dep.userFunctionFailed(e);
    }
  }

  private static <K, V, C> PairBuffer[] partitionAndCombine(ShuffleDependency<K, V, C> dep,
      Iterator<Tuple2<K, V>> in) throws Exception {
    Partitioner partitioner = dep.partitioner();
    int reducers = partitioner.numPartitions();
    PairBuffer[] out = new PairBuffer[reducers];
    Aggregator<V, C> agg = dep.aggregator();
    if (dep.mapSideCombine()) {
      CombineMap map = new CombineMap(1024);
      while (in.hasNext()) {
        Tuple2<K, V> t = in.next();
        map.combineValue(t._1(), t._2(), agg.createCombiner(), agg.mergeValue());
      }
      int perBucket = Math.max(4, map.size() / reducers + 1);
      map.forEach((k, c) -> {
        int r = partitioner.getPartition(k);
        PairBuffer b = out[r];
        if (b == null) {
          b = out[r] = new PairBuffer(perBucket);
        }
        b.add(k, c);
      });
    } else {
      while (in.hasNext()) {
        Tuple2<K, V> t = in.next();
        int r = partitioner.getPartition(t._1());
        PairBuffer b = out[r];
        if (b == null) {
          b = out[r] = new PairBuffer(64);
        }
        b.add(t._1(), t._2());
      }
    }
    return out;
  }

  /** One task of a stage, by index. */
  @FunctionalInterface
  private interface IndexedTask {
    void run(int index) throws Exception;
  }

  /**
   * Runs tasks {@code 0..count-1} on the calling thread and up to {@code threads - 1} pool threads;
   * returns when all are done, or throws the first failure (remaining tasks are not started).
   *
   * <p>The caller waits for the tasks, not for the helpers: a helper that is scheduled late (a busy
   * machine, or tasks so small that the caller ran them all before the helper woke up) finds no
   * task left and exits without anyone waiting for it. Waiting for every helper to check in cost a
   * thread wake-up per stage, two per tiny batch, which showed in the per-batch processing delay.
   */
  private void runStage(int count, IndexedTask task, RDD<?> rdd, int[] partitions) {
    if (count == 0) {
      return;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch finished = new CountDownLatch(count);
    Runnable worker = () -> {
      int i;
      while ((i = next.getAndIncrement()) < count) {
        try {
          if (failure.get() == null) {
            task.run(i);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, wrap(e, rdd, partitions[i]));
        } finally {
          finished.countDown();
        }
      }
    };
    int helpers = Math.min(threads, count) - 1;
    for (int h = 0; h < helpers; h++) {
      try {
        pool.execute(worker);
      } catch (RejectedExecutionException e) {
        throw new IllegalStateException("Cannot call methods on a stopped MillraceContext.", e);
      }
    }
    worker.run();
    try {
      finished.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MillraceException("Interrupted while waiting for tasks of " + rdd, e);
    }
    Throwable f = failure.get();
    if (f != null) {
      if (f instanceof RuntimeException) {
        throw (RuntimeException) f;
      }
      throw (Error) f;
    }
  }

  private static Throwable wrap(Throwable e, RDD<?> rdd, int partition) {
    if (e instanceof MillraceException || e instanceof Error) {
      return e;
    }
    return new MillraceException("Task for partition " + partition + " of " + rdd + " failed: " + e, e);
  }

  @Override
  public String toString() {
    return "LocalRuntime[" + threads + " threads]";
  }

  /** For diagnostics: the thread count. */
  public int threads() {
    return threads;
  }

}
