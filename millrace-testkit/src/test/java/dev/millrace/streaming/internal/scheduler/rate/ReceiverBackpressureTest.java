package dev.millrace.streaming.internal.scheduler.rate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.scheduler.JobScheduler;
import dev.millrace.streaming.receiver.Receiver;
import dev.millrace.streaming.scheduler.StreamingListener;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import dev.millrace.testkit.StreamingTestHarness;
import dev.millrace.util.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Backpressure through a real receiver on the real engine, under the manual clock: a receiver
 * whose source offers 3 records per ms stores them one by one with {@code store(T)} (so the
 * receiver's rate limiter applies), the job processes 1 record per ms (its output operation moves
 * the clock forward by one ms per record), batches every second. Records the limiter holds back
 * wait at the source, as they would in a socket's buffer.
 *
 * <p>The clock moves only when the receiver has stored everything due at the current time (it
 * is then waiting on the clock: {@link ManualClock#isWaiting}), and it stops one ms before each
 * batch time, so what each batch holds does not depend on thread timing, except for the one
 * record the limiter may release exactly at a batch time.
 */
class ReceiverBackpressureTest {
  private static final long INTERVAL = 1000;
  private static final long RECORDS_PER_MS = 3;
  private static final int BATCHES = 40;
  private static final long TIMEOUT_MS = 60_000;

  /** What the receiver's thread shares with the test; static because receivers are Serializable. */
  static final class Driver {
    final ManualClock clock;
    volatile JobScheduler scheduler;
    volatile Thread receiverThread;
    final AtomicBoolean stopping = new AtomicBoolean();

    Driver(ManualClock clock) {
      this.clock = clock;
    }

    long generated() {
      JobScheduler s = scheduler;
      return s == null || s.lastGenerated() == null ? 0 : s.lastGenerated().milliseconds();
    }

    void awaitReceiverIdle() {
      await(() -> {
        Thread t = receiverThread;
        return t != null && clock.isWaiting(t);
      }, "the receiver to store what is due at " + clock.getTimeMillis() + " ms");
    }

    /**
     * Moves the clock to {@code target}, stopping one ms before each batch time and at it: there
     * the batch is generated before the receiver stores anything newer.
     */
    void moveTo(long target) {
      while (clock.getTimeMillis() < target && !stopping.get()) {
        long now = clock.getTimeMillis();
        long boundary = (now / INTERVAL + 1) * INTERVAL;
        long next = Math.min(target, now < boundary - 1 ? boundary - 1 : boundary);
        clock.setTime(next);
        if (next % INTERVAL == 0) {
          await(() -> generated() >= next || stopping.get(), "batch " + next + " to be generated");
        }
        awaitReceiverIdle();
      }
    }

    void await(BooleanSupplier condition, String what) {
      long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
      while (!condition.getAsBoolean()) {
        if (stopping.get() && !what.startsWith("the last")) {
          return;
        }
        if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
          throw new AssertionError("timed out waiting for " + what);
        }
        Thread.onSpinWait();
      }
    }
  }

  private static volatile Driver driver;

  /**
   * Offers {@code RECORDS_PER_MS * (t + 1)} records by clock time t and stores them one at a time.
   * At a batch time it stores nothing until that batch was generated, so a batch holds the records
   * offered before its time.
   */
  static final class FirehoseReceiver extends Receiver<Integer> {
    private static final long serialVersionUID = 1L;
    private final transient StreamingListener completions;
    private transient StreamingEngine ssc;

    FirehoseReceiver(StreamingEngine ssc, StreamingListener completions) {
      super(StorageLevel.MEMORY_ONLY());
      this.ssc = ssc;
      this.completions = completions;
    }

    @Override
    public void onStart() {
      // Registered after the stream's rate controller (created with the receiver's supervisor), so
      // it hears of a batch only once the controller has.
      ssc.addStreamingListener(completions);
      Thread t = new Thread(this::offer, "firehose");
      t.setDaemon(true);
      driver.receiverThread = t;
      t.start();
    }

    @Override
    public void onStop() {
      Thread t = driver.receiverThread;
      if (t != null) {
        t.interrupt();
      }
    }

    private void offer() {
      Driver d = driver;
      long offered = 0;
      try {
        while (!isStopped()) {
          long now = d.clock.getTimeMillis();
          if (now % INTERVAL == 0 && d.generated() < now) {
            Thread.onSpinWait();
          } else if (offered < RECORDS_PER_MS * (now + 1)) {
            store(1);
            offered++;
          } else {
            d.clock.waitTillTime(now + 1);
          }
        }
      } catch (InterruptedException | IllegalStateException e) {
        // stopped
      }
    }
  }

  /** Scheduling delay and size of batches 1..BATCHES. */
  record Run(List<Long> delays, List<Long> records) {}

  private static Run run(boolean backpressure) {
    ConcurrentSkipListMap<Long, Long> delays = new ConcurrentSkipListMap<>();
    ConcurrentSkipListMap<Long, Long> records = new ConcurrentSkipListMap<>();
    AtomicLong completed = new AtomicLong();
    StreamingListener counter = new StreamingListener() {
      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted e) {
        long t = e.batchInfo().batchTime().milliseconds();
        delays.put(t, e.batchInfo().schedulingDelay().orElseThrow());
        records.put(t, e.batchInfo().numRecords());
        completed.incrementAndGet();
      }
    };
    try (StreamingTestHarness h = StreamingTestHarness.builder(Durations.milliseconds(INTERVAL))
        .set("spark.streaming.backpressure.enabled", Boolean.toString(backpressure))
        .set("spark.streaming.blockInterval", "200ms").build()) {
      Driver d = new Driver(h.clock());
      driver = d;
      StreamingEngine ssc = h.context().ssc();
      h.context().receiverStream(new FirehoseReceiver(ssc, counter)).foreachRDD((rdd, time) -> {
        // the rate controller has heard of every earlier batch before this one does anything
        d.await(() -> completed.get() >= time.milliseconds() / INTERVAL - 1, "earlier completions");
        long cost = rdd.count(); // 1 ms per record
        d.moveTo(d.clock.getTimeMillis() + cost);
      });
      h.start();
      d.scheduler = ssc.scheduler();
      d.awaitReceiverIdle();
      JobScheduler scheduler = ssc.scheduler();
      long target = BATCHES * INTERVAL;
      while (true) {
        // Time moves on its own while jobs run; when the engine is idle, the test moves it.
        d.await(() -> d.generated() >= target
            || (scheduler.pendingBatches() == 0 && completed.get() >= d.generated() / INTERVAL), "idle");
        long last = d.generated();
        if (last >= target) {
          break;
        }
        d.moveTo(last + INTERVAL);
      }
      d.await(() -> completed.get() >= BATCHES, "the last batch");
      d.stopping.set(true);
      if (ssc.error() != null) {
        throw new AssertionError("the job failed", ssc.error());
      }
    }
    List<Long> delayList = new ArrayList<>();
    List<Long> recordList = new ArrayList<>();
    for (int k = 1; k <= BATCHES; k++) {
      delayList.add(delays.get(k * INTERVAL));
      recordList.add(records.get(k * INTERVAL));
    }
    return new Run(delayList, recordList);
  }

  /** Both series, for people: target/backpressure-receiver.tsv. */
  private static void writeSeries(Run with, Run without) {
    StringBuilder table = new StringBuilder(
        "batch\tdelay_with_backpressure_ms\trecords_with\tdelay_without_ms\trecords_without\n");
    for (int k = 1; k <= BATCHES; k++) {
      table.append(k).append('\t').append(with.delays().get(k - 1)).append('\t').append(with.records().get(k - 1))
          .append('\t').append(without.delays().get(k - 1)).append('\t').append(without.records().get(k - 1))
          .append('\n');
    }
    try {
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "backpressure-receiver.tsv"), table);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void receiverFasterThanProcessing_backpressureBoundsSchedulingDelay_withoutItGrows() {
    Run without = run(false);
    Run with = run(true);
    writeSeries(with, without);
    // Without a limit each batch holds the 3000 records offered in its second = 3 s of work:
    // batch k waits 2 s more than batch k-1, without end.
    assertThat(without.records()).allSatisfy(n -> assertThat(n).isEqualTo(3000L));
    for (int k = 1; k <= BATCHES; k++) {
      assertThat(without.delays().get(k - 1)).as("batch %d without backpressure", k).isEqualTo(2000L * (k - 1));
    }
    // With it the receiver is unlimited until the first estimate (two finished batches, heard of
    // one batch later), then limited below the processing rate until the queue drains, then at it.
    assertThat(with.delays()).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(15_000L));
    assertThat(with.delays().subList(BATCHES - 10, BATCHES)).allSatisfy(d -> assertThat(d).isLessThan(INTERVAL));
    // ... and the limit settles near the processing rate (1000 records/s), never above maxRate-less input
    assertThat(with.records().subList(BATCHES - 10, BATCHES))
        .allSatisfy(n -> assertThat(n).isBetween(500L, 1100L));
    assertThat(with.delays().get(BATCHES - 1)).isLessThan(without.delays().get(BATCHES - 1) / 10);
  }

  /** Stores records one by one until stopped, on a thread of its own. */
  static final class Endless extends Receiver<Integer> {
    private static final long serialVersionUID = 1L;
    private transient volatile Thread thread;

    Endless() {
      super(StorageLevel.MEMORY_ONLY());
    }

    @Override
    public void onStart() {
      thread = new Thread(() -> {
        try {
          while (!isStopped()) {
            store(1);
          }
        } catch (IllegalStateException stopped) {
          // the context stopped while store waited
        }
      }, "endless");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void onStop() {}
  }

  private static long storedAtAStandingClock(String initialRate, String maxRate) {
    StreamingTestHarness.Builder b = StreamingTestHarness.builder(Durations.seconds(1))
        .set("spark.streaming.backpressure.enabled", "true").set("spark.streaming.backpressure.initialRate", initialRate);
    if (maxRate != null) {
      b.set("spark.streaming.receiver.maxRate", maxRate);
    }
    try (StreamingTestHarness h = b.build()) {
      Endless receiver = new Endless();
      h.context().receiverStream(receiver).foreachRDD(rdd -> { });
      h.start();
      Driver d = new Driver(h.clock());
      d.await(() -> receiver.thread != null && h.clock().isWaiting(receiver.thread), "the receiver to be held back");
      return h.context().ssc().receiverTracker().storedRecords(0);
    }
  }

  @Test
  void beforeTheFirstEstimate_theReceiverIsHeldToInitialRate_cappedByMaxRate() {
    // at a clock that does not move, a limiter admits one second of records plus the one due now
    assertThat(storedAtAStandingClock("200", null)).isEqualTo(201L);
    assertThat(storedAtAStandingClock("200", "50")).isEqualTo(51L);
  }
}
