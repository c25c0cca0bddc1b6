package dev.millrace.testkit;

import dev.millrace.MillraceConf;
import dev.millrace.MillraceException;
import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaRDDLike;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.StreamingContextState;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaDStreamLike;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import dev.millrace.util.ManualClock;
import java.util.List;
import java.util.Objects;

/**
 * Runs a streaming program batch by batch under a manual clock: scripted input per batch,
 * collected output per batch, no sleeps.
 *
 * <pre>{@code
 * try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
 *   JavaDStream<String> lines = h.input(List.of(List.of("a b a"), List.of(), List.of("b")));
 *   BatchCollector<Tuple2<String, Long>> out =
 *       h.collect(lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator()).countByValue());
 *   h.runBatches(3);
 *   out.batch(1);   // [(a,2), (b,1)] in some order
 * }
 * }</pre>
 *
 * <p>Batch n runs at time {@code n * interval} (the clock starts at 0). {@link #runBatches(int)}
 * moves the clock one interval at a time and waits until each batch has completed and listeners
 * (the web UI, a test's own) have received its events, so what a test reads afterwards is final. A failure of a batch is rethrown by {@code runBatches}. Use from one
 * test thread.
 */
public final class StreamingTestHarness implements AutoCloseable {
  private static final long BATCH_TIMEOUT_MS = 60_000;

  private final JavaStreamingContext context;
  private final ManualClock clock;
  private final Duration batchDuration;
  private final int inputPartitions;
  private long batchesRun;

  private StreamingTestHarness(MillraceConf conf, Duration batchDuration, int inputPartitions) {
    conf.set("millrace.streaming.clock", "manual");
    this.context = new JavaStreamingContext(conf, batchDuration);
    this.clock = (ManualClock) context.ssc().clock();
    this.batchDuration = batchDuration;
    this.inputPartitions = inputPartitions;
  }

  /** A harness on {@code local[2]} with the given batch interval. */
  public static StreamingTestHarness create(Duration batchDuration) {
    return builder(batchDuration).build();
  }

  public static Builder builder(Duration batchDuration) {
    return new Builder(batchDuration);
  }

  /** Settings of a harness. */
  public static final class Builder {
    private final Duration batchDuration;
    private final MillraceConf conf = new MillraceConf(false).setMaster("local[2]").setAppName("test");
    private int inputPartitions = 2;

    private Builder(Duration batchDuration) {
      this.batchDuration = Objects.requireNonNull(batchDuration, "batchDuration");
    }

    public Builder master(String master) {
      conf.setMaster(master);
      return this;
    }

    public Builder set(String key, String value) {
      conf.set(key, value);
      return this;
    }

    /** Partitions of each scripted input batch (default 2). */
    public Builder inputPartitions(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("inputPartitions must be positive, was " + n);
      }
      this.inputPartitions = n;
      return this;
    }

    public StreamingTestHarness build() {
      return new StreamingTestHarness(conf.clone(), batchDuration, inputPartitions);
    }
  }

  public JavaStreamingContext context() {
    return context;
  }

  public ManualClock clock() {
    return clock;
  }

  /** A stream whose n-th batch holds {@code batches.get(n - 1)}; later batches are empty. */
  public <T> JavaDStream<T> input(List<List<T>> batches) {
    return new JavaDStream<>(new ScriptedInputDStream<>(context.ssc(), batches, inputPartitions));
  }

  /** A pair stream whose n-th batch holds {@code batches.get(n - 1)}; later batches are empty. */
  public <K, V> JavaPairDStream<K, V> pairInput(List<List<Tuple2<K, V>>> batches) {
    return new JavaPairDStream<>(new ScriptedInputDStream<>(context.ssc(), batches, inputPartitions));
  }

  /** Registers an output operation that collects every batch of {@code stream}. */
  public <T, R extends JavaRDDLike<T, R>> BatchCollector<T> collect(JavaDStreamLike<T, ?, R> stream) {
    BatchCollector<T> collector = new BatchCollector<>();
    stream.dstream().foreachRDD((rdd, time) -> collector.add(time, rdd.collect()), "collect");
    return collector;
  }

  /**
   * Makes this harness continue the run whose checkpoint is in {@code checkpointDir}, as {@code
   * JavaStreamingContext.getOrCreate} does: call after defining the graph (the current code's) and
   * before running batches. The clock is set to the checkpoint's time, so {@link #runBatches(int)}
   * goes on with the batch after it; the checkpoint's pending batches are re-run first. Without a
   * checkpoint in the directory, the harness just uses it as its checkpoint directory.
   *
   * @return whether a checkpoint was found
   * @throws dev.millrace.streaming.internal.checkpoint.CheckpointIncompatibleException if the
   *     graph cannot take the checkpoint over
   */
  public boolean recoverFrom(String checkpointDir) {
    context.checkpoint(checkpointDir);
    dev.millrace.streaming.internal.checkpoint.MetadataCheckpoint cp =
        dev.millrace.streaming.internal.checkpoint.Checkpointing.readLatest(java.nio.file.Paths.get(checkpointDir));
    if (cp == null) {
      return false;
    }
    context.ssc().recoverFrom(cp);
    clock.setTime(cp.checkpointTimeMs());
    batchesRun = cp.checkpointTimeMs() / batchDuration.milliseconds();
    return true;
  }

  /** Starts the context if it is not started yet. */
  public void start() {
    if (context.getState() == StreamingContextState.INITIALIZED) {
      context.start();
    }
  }

  /** The time of the {@code n}-th batch, counting from 1. */
  public Time batchTime(long n) {
    return new Time(n * batchDuration.milliseconds());
  }

  /**
   * Runs the next {@code count} batches: starts the context if needed, then for each batch moves
   * the clock one interval and waits until the batch completed and its listener events were
   * delivered.
   *
   * @throws MillraceException if a batch failed (the engine's error, with batch time and stream)
   * @throws AssertionError if a batch does not complete within 60 s
   */
  public void runBatches(int count) {
    start();
    for (int i = 0; i < count; i++) {
      batchesRun++;
      Time t = batchTime(batchesRun);
      clock.setTime(t.milliseconds());
      try {
        if (!context.ssc().scheduler().awaitBatchDone(t, BATCH_TIMEOUT_MS)) {
          throw new AssertionError("batch " + t + " did not complete within " + BATCH_TIMEOUT_MS + " ms");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for batch " + t, e);
      }
      awaitListeners(t);
      Throwable error = context.ssc().error();
      if (error instanceof RuntimeException) {
        throw (RuntimeException) error;
      } else if (error != null) {
        throw new MillraceException(error.getMessage(), error);
      }
    }
  }

  /** Waits until listeners (the web UI, test listeners) have seen every event of batch {@code t}. */
  private void awaitListeners(Time t) {
    try {
      if (!context.ssc().listenerBus().waitUntilEmpty(BATCH_TIMEOUT_MS)) {
        throw new AssertionError("listener events of batch " + t + " not delivered within " + BATCH_TIMEOUT_MS + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for the listeners of batch " + t, e);
    }
  }

  /** Number of batches run so far. */
  public long batchesRun() {
    return batchesRun;
  }

  /** Stops the streaming context and its batch context, at once. */
  @Override
  public void close() {
    context.stop(true, false);
  }
}
