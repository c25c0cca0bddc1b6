package dev.millrace.streaming.internal.scheduler.rate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.internal.rdd.ParallelCollectionRDD;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.dstream.InputDStream;
import dev.millrace.streaming.internal.scheduler.JobScheduler;
import dev.millrace.streaming.scheduler.StreamingListener;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import dev.millrace.testkit.StreamingTestHarness;
import dev.millrace.util.ManualClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Backpressure on the real engine, under the manual clock: records arrive at 3 per ms into a
 * source buffer, the job processes 1 record per ms (its output operation moves the clock forward
 * by one ms per record), batches every second. The clock is moved only by the test thread while
 * the engine is idle and by the running job, which stops at each batch boundary until the
 * generator has submitted that batch, so every time the scheduler reads is exact and the run
 * is deterministic.
 */
class BackpressureEngineTest {
  private static final long INTERVAL = 1000;
  private static final int BATCHES = 40;
  private static final long TIMEOUT_MS = 30_000;

  /** Takes what arrived since the last batch, limited by its {@link IngestionRate}. */
  static final class FirehoseInputDStream extends InputDStream<Integer> {
    private static final long serialVersionUID = 1L;
    private final transient StreamingListener completions;
    private transient IngestionRate rate;
    private long taken;

    FirehoseInputDStream(StreamingEngine ssc, StreamingListener completions) {
      super(ssc, "firehose");
      this.completions = completions;
    }

    @Override
    public void start() {
      rate = RateController.forStream(context(), id(), 0);
      // registered after the rate controller, so it hears of a batch only once the controller has
      context().addStreamingListener(completions);
    }

    @Override
    public void stop() {}

    @Override
    protected RDD<Integer> compute(Time validTime) {
      long available = 3 * validTime.milliseconds() - taken;
      long limit = rate.currentLimit();
      long n = limit == IngestionRate.UNLIMITED ? available : Math.min(available, limit * INTERVAL / 1000);
      taken += n;
      reportInput(validTime, n, Map.of());
      return new ParallelCollectionRDD<>(context().engine(), Collections.nCopies((int) n, 1), 2);
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
    }
  }

  private static long generated(JobScheduler scheduler) {
    Time t = scheduler.lastGenerated();
    return t == null ? 0 : t.milliseconds();
  }

  /** Scheduling delay of batches 1..BATCHES, in ms. */
  private static List<Long> run(boolean backpressure) {
    ConcurrentSkipListMap<Long, Long> delays = new ConcurrentSkipListMap<>();
    AtomicLong completed = new AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
    StreamingListener counter = new StreamingListener() {
      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted e) {
        delays.put(e.batchInfo().batchTime().milliseconds(), e.batchInfo().schedulingDelay().orElseThrow());
        completed.incrementAndGet();
      }
    };
    try (StreamingTestHarness h = StreamingTestHarness.builder(Durations.milliseconds(INTERVAL))
        .set("spark.streaming.backpressure.enabled", Boolean.toString(backpressure)).build()) {
      ManualClock clock = h.clock();
      StreamingEngine ssc = h.context().ssc();
      new JavaDStream<>(new FirehoseInputDStream(ssc, counter)).foreachRDD((rdd, time) -> {
        // the controller has heard of every earlier batch before this one does anything
        await(() -> completed.get() >= time.milliseconds() / INTERVAL - 1 || stopping.get(), "earlier completions");
        long remaining = rdd.count(); // 1 ms per record
        while (remaining > 0 && !stopping.get()) {
          long step = Math.min(remaining, INTERVAL - clock.getTimeMillis() % INTERVAL);
          clock.advance(step);
          remaining -= step;
          long now = clock.getTimeMillis();
          if (now % INTERVAL == 0) {
            await(() -> generated(ssc.scheduler()) >= now || stopping.get(), "batch " + now + " to be submitted");
          }
        }
      });
      h.start();
      JobScheduler scheduler = ssc.scheduler();
      long target = BATCHES * INTERVAL;
      while (true) {
        // Time moves on its own while jobs run; when the engine is idle, the test moves it.
        await(() -> generated(scheduler) >= target
            || (scheduler.pendingBatches() == 0 && completed.get() >= generated(scheduler) / INTERVAL), "idle");
        long last = generated(scheduler);
        if (last >= target) {
          break;
        }
        clock.setTime(last + INTERVAL);
        await(() -> generated(scheduler) >= last + INTERVAL, "batch " + (last + INTERVAL));
      }
      await(() -> completed.get() >= BATCHES, "the last batch");
      stopping.set(true);
      if (ssc.error() != null) {
        throw new AssertionError("the job failed", ssc.error());
      }
    }
    List<Long> out = new ArrayList<>();
    for (int k = 1; k <= BATCHES; k++) {
      out.add(delays.get(k * INTERVAL));
    }
    return out;
  }

  /** Both series, for people: target/backpressure-engine.tsv. */
  private static void writeSeries(List<Long> with, List<Long> without) {
    StringBuilder table = new StringBuilder("batch\tdelay_with_backpressure_ms\tdelay_without_ms\n");
    for (int k = 1; k <= BATCHES; k++) {
      table.append(k).append('\t').append(with.get(k - 1)).append('\t').append(without.get(k - 1)).append('\n');
    }
    try {
      java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
      java.nio.file.Files.writeString(java.nio.file.Path.of("target", "backpressure-engine.tsv"), table);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void fasterInputThanProcessing_backpressureBoundsSchedulingDelay_withoutItGrows() {
    List<Long> without = run(false);
    List<Long> with = run(true);
    // Without a limit each batch holds 3000 records = 3 s of work: batch k waits 2 s more than k-1.
    for (int k = 1; k <= BATCHES; k++) {
      assertThat(without.get(k - 1)).as("batch %d without backpressure", k).isEqualTo(2000L * (k - 1));
    }
    // With it, batches run unlimited until the first estimate, which needs two finished batches:
    // batch 2 ends at 7 s, the moment batch 7 is generated (before the listener hears of batch 2),
    // so batches 1..7 match the run without backpressure and batch 8 (limited) waits 14 s at most;
    // then the delay drains and stays down.
    assertThat(with.subList(0, 7)).isEqualTo(without.subList(0, 7));
    assertThat(with).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(14_000L));
    writeSeries(with, without);
    assertThat(with.subList(BATCHES - 10, BATCHES)).allSatisfy(d -> assertThat(d).isLessThan(INTERVAL));
    assertThat(with.get(BATCHES - 1)).isLessThan(without.get(BATCHES - 1) / 10);
  }
}
