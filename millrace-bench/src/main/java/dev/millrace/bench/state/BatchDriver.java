package dev.millrace.bench.state;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import dev.millrace.util.ManualClock;
import java.util.List;

/**
 * Runs a streaming context under a manual clock as fast as it can process: each step moves the
 * clock one batch and waits until that batch completed. Used by the state and window
 * measurements; not thread-safe.
 */
public final class BatchDriver implements AutoCloseable {
  private final JavaStreamingContext context;
  private final ManualClock clock;
  private final long batchMs;
  private long batches;

  /** A context on {@code local[threads]} with a manual clock. */
  public BatchDriver(int threads, Duration batchDuration, String checkpointDir) {
    MillraceConf conf = new MillraceConf(false).setMaster("local[" + threads + "]").setAppName("state-bench")
        .set("millrace.streaming.clock", "manual");
    this.context = new JavaStreamingContext(conf, batchDuration);
    if (checkpointDir != null) {
      context.checkpoint(checkpointDir);
    }
    this.clock = (ManualClock) context.ssc().clock();
    this.batchMs = batchDuration.milliseconds();
  }

  public JavaStreamingContext context() {
    return context;
  }

  /** A stream cycling through pre-generated batches. */
  public <T> JavaDStream<T> input(List<List<T>> batches, int numPartitions) {
    return new JavaDStream<>(new CyclingInputDStream<>(context.ssc(), batches, numPartitions));
  }

  /** A pair stream cycling through pre-generated batches. */
  public <K, V> JavaPairDStream<K, V> pairInput(List<List<Tuple2<K, V>>> batches, int numPartitions) {
    return new JavaPairDStream<>(new CyclingInputDStream<>(context.ssc(), batches, numPartitions));
  }

  /**
   * Runs the next {@code count} batches, starting the context first if needed.
   *
   * @return wall-clock nanoseconds the batches took
   */
  public long run(int count) {
    if (batches == 0) {
      context.start();
    }
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      batches++;
      long t = batches * batchMs;
      clock.setTime(t);
      try {
        if (!context.ssc().scheduler().awaitBatchDone(new dev.millrace.streaming.Time(t), 600_000)) {
          throw new IllegalStateException("batch " + t + " did not complete");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      Throwable error = context.ssc().error();
      if (error != null) {
        throw new IllegalStateException("batch " + t + " failed", error);
      }
    }
    return System.nanoTime() - start;
  }

  public long batchesRun() {
    return batches;
  }

  @Override
  public void close() {
    context.stop(true, false);
  }
}
