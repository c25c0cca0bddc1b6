package dev.millrace.streaming.internal.scheduler;

import dev.millrace.MillraceException;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.scheduler.OutputOperationInfo;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import dev.millrace.streaming.scheduler.StreamingListenerBatchStarted;
import dev.millrace.streaming.scheduler.StreamingListenerBatchSubmitted;
import dev.millrace.streaming.scheduler.StreamingListenerOutputOperationCompleted;
import dev.millrace.streaming.scheduler.StreamingListenerOutputOperationStarted;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import dev.millrace.util.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates a batch at every batch time and runs its jobs.
 *
 * <p>One generator thread waits on the clock for each batch time T, asks the {@link BatchSource}
 * to fix the inputs and build T's jobs, and queues them on the job executor ({@code
 * concurrentJobs} threads, default 1, so batches run in order). When the last job of T finishes,
 * the batch is completed: listeners hear of it and the source may forget old data. A batch one of
 * whose jobs failed is completed too (so waiting and stopping go on), but, as in Spark, it stays
 * among the {@link #pendingTimes() pending} batches that checkpoints record, so a recovery re-runs it.
 *
 * <p>A graceful stop lets the inputs flush, generates batches until nothing received is left,
 * waits for every generated batch to finish, and only then stops the threads; it is bounded by a
 * timeout measured on the wall clock, so it also ends under a manual clock.
 */
public final class JobScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

  /** What the scheduler needs from the streaming context. */
  public interface BatchSource {
    /** Fixes the inputs of batch {@code time} and returns its jobs. */
    List<Job> generateJobs(Time time);

    /** The input each stream contributed to batch {@code time}. */
    Map<Integer, StreamInputInfo> takeInputInfos(Time time);

    /**
     * Called after batch {@code time} was generated and before its jobs run, on the generator
     * thread: the place to record what the batch holds (the metadata checkpoint).
     */
    default void batchGenerated(Time time) {}

    /**
     * Called after every job of batch {@code time} finished (or when it had none); {@link
     * JobScheduler#hasFailed} then tells whether one of them failed.
     */
    void batchCompleted(Time time);

    /** Called with every error: a batch that could not be generated, a job that failed. */
    void reportError(Throwable error);
  }

  private final BatchSource source;
  private final Clock clock;
  private final Clock wallClock;
  private final ListenerBus bus;
  private final long batchMs;
  private final ExecutorService jobExecutor;
  private final Thread generator;
  private final ConcurrentSkipListMap<Time, JobSet> running = new ConcurrentSkipListMap<>();
  /** Batches an output operation of which failed: pending for the checkpoint until the context stops. */
  private final java.util.concurrent.ConcurrentSkipListSet<Time> failed =
      new java.util.concurrent.ConcurrentSkipListSet<>();
  private final Object progress = new Object();

  private volatile boolean stopRequested;
  private volatile boolean stopAfterNextBatch;
  private volatile long firstBatchTime;
  private volatile List<Time> replay = List.of();
  private volatile Time lastGenerated;
  private volatile Time lastCompleted;

  public JobScheduler(BatchSource source, Clock clock, Clock wallClock, ListenerBus bus, long batchMs,
      int concurrentJobs, ThreadFactory threads) {
    this.source = source;
    this.clock = clock;
    this.wallClock = wallClock;
    this.bus = bus;
    this.batchMs = batchMs;
    if (concurrentJobs < 1) {
      throw new IllegalArgumentException("spark.streaming.concurrentJobs must be at least 1, was " + concurrentJobs);
    }
    this.jobExecutor = new ThreadPoolExecutor(concurrentJobs, concurrentJobs, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), threads);
    this.generator = threads.newThread(this::generateLoop);
  }

  /** The first batch time for a start now: the next multiple of the batch interval, as in Spark. */
  public long firstBatchTime() {
    return (clock.getTimeMillis() / batchMs + 1) * batchMs;
  }

  /** Starts generating batches from {@code firstBatch} on. */
  public void start(long firstBatch) {
    start(List.of(), firstBatch);
  }

  /**
   * Starts after a recovery: generates the {@code replay} batches (pending and missed while down)
   * at once, in order and at their original times, then batches from {@code firstBatch} on, each
   * at its time, as Spark's {@code JobGenerator.restart} does.
   */
  public void start(List<Time> replay, long firstBatch) {
    this.replay = List.copyOf(replay);
    this.firstBatchTime = firstBatch;
    generator.start();
  }

  /**
   * The batches to re-run after a recovery from a checkpoint written now, oldest first: those
   * generated whose jobs have not all finished, and those an output operation of which failed (as in
   * Spark, a failed batch stays pending). A batch leaves this list once its jobs all succeeded,
   * before its completion work ({@link BatchSource#batchCompleted}) starts, so that a checkpoint
   * written concurrently with that work never lists it as pending after one written by that work.
   */
  public List<Time> pendingTimes() {
    java.util.TreeSet<Time> out = new java.util.TreeSet<>(failed);
    for (Map.Entry<Time, JobSet> e : running.entrySet()) {
      if (!e.getValue().isFinished()) {
        out.add(e.getKey());
      }
    }
    return new java.util.ArrayList<>(out);
  }

  /** Whether an output operation of batch {@code time} failed. */
  public boolean hasFailed(Time time) {
    return failed.contains(time);
  }

  public Time lastGenerated() {
    return lastGenerated;
  }

  public Time lastCompleted() {
    return lastCompleted;
  }

  /** Batches generated and not yet completed. */
  public int pendingBatches() {
    return running.size();
  }

  private void generateLoop() {
    long t = firstBatchTime;
    try {
      for (Time time : replay) {
        if (stopRequested) {
          return;
        }
        LOG.info("Re-running batch {} after recovery", time);
        generate(time);
      }
      while (!stopRequested) {
        clock.waitTillTime(t);
        if (stopRequested) {
          break;
        }
        generate(new Time(t));
        if (stopAfterNextBatch) {
          break;
        }
        t += batchMs;
      }
    } catch (InterruptedException e) {
      // stopped without waiting
    }
  }

  private void generate(Time time) {
    List<Job> jobs;
    try {
      jobs = source.generateJobs(time);
    } catch (Throwable e) {
      source.reportError(new MillraceException("Error generating jobs for batch " + time + ": " + e, e));
      jobs = List.of();
    }
    Map<Integer, StreamInputInfo> inputs = source.takeInputInfos(time);
    if (jobs.isEmpty()) {
      LOG.debug("No jobs added for time {}", time);
      // Complete (state checkpoints, forgetting old datasets) before the batch counts as generated,
      // so that awaitBatchDone returns only once that work is done.
      completeBatch(time);
      markGenerated(time);
      return;
    }
    JobSet set = new JobSet(time, jobs, inputs, clock.getTimeMillis());
    running.put(time, set);
    markGenerated(time);
    try {
      source.batchGenerated(time);
    } catch (Throwable e) {
      source.reportError(new MillraceException("Error recording batch " + time + " in the checkpoint: " + e, e));
    }
    bus.post(new StreamingListenerBatchSubmitted(set.toBatchInfo()));
    for (Job job : jobs) {
      jobExecutor.execute(() -> runJob(set, job));
    }
  }

  private void markGenerated(Time time) {
    synchronized (progress) {
      lastGenerated = time;
      progress.notifyAll();
    }
  }

  private void runJob(JobSet set, Job job) {
    if (set.jobStarted(job, clock.getTimeMillis())) {
      bus.post(new StreamingListenerBatchStarted(set.toBatchInfo()));
    }
    bus.post(new StreamingListenerOutputOperationStarted(set.outputInfo(job.outputOpId())));
    String failure = null;
    try {
      job.body().run();
    } catch (Throwable e) {
      MillraceException error = new MillraceException("Batch " + job.time() + ", output operation "
          + job.outputOpId() + " (" + job.name() + ") failed: " + e, e);
      failure = error.getMessage();
      LOG.error("Error running job {}", job.id(), error);
      source.reportError(error);
    }
    boolean last = set.jobCompleted(job, clock.getTimeMillis(), failure);
    OutputOperationInfo info = set.outputInfo(job.outputOpId());
    bus.post(new StreamingListenerOutputOperationCompleted(info));
    if (last) {
      // Failed first, then finished: a checkpoint snapshot in between must still see it pending.
      if (set.hasFailed()) {
        failed.add(set.time);
      }
      set.markFinished();
      bus.post(new StreamingListenerBatchCompleted(set.toBatchInfo()));
      // The batch stays running until its completion work (state checkpoints, forgetting old
      // datasets) is done, so that awaitBatchDone and a graceful stop wait for it too.
      completeBatch(set.time);
      running.remove(set.time);
      synchronized (progress) {
        progress.notifyAll();
      }
    }
  }

  private void completeBatch(Time time) {
    try {
      source.batchCompleted(time);
    } catch (Throwable e) {
      source.reportError(new MillraceException("Error completing batch " + time + ": " + e, e));
    }
    synchronized (progress) {
      if (lastCompleted == null || time.greater(lastCompleted)) {
        lastCompleted = time;
      }
      progress.notifyAll();
    }
  }

  private boolean doneUpTo(Time time) {
    // One read of the first entry: a job thread may complete the last running batch at any moment,
    // so isEmpty() followed by firstKey() could throw.
    java.util.Map.Entry<Time, JobSet> oldest = running.firstEntry();
    return lastGenerated != null && lastGenerated.greaterEq(time)
        && lastCompleted != null && lastCompleted.greaterEq(time)
        && (oldest == null || oldest.getKey().greater(time));
  }

  /**
   * Waits until batch {@code time} was generated and every batch up to it completed.
   *
   * @return whether that happened within {@code timeoutMs} of wall-clock time
   */
  public boolean awaitBatchDone(Time time, long timeoutMs) throws InterruptedException {
    long deadline = wallClock.getTimeMillis() + timeoutMs;
    synchronized (progress) {
      // Completed, not merely removed from the running set: completion also forgets old datasets,
      // and a caller must see its effects.
      while (!doneUpTo(time)) {
        long left = deadline - wallClock.getTimeMillis();
        if (left <= 0) {
          return false;
        }
        progress.wait(Math.min(left, 50));
      }
    }
    return true;
  }

  /**
   * Stops generating once {@code drained} says no input waits any more, then waits for the
   * batches generated so far. Returns false if {@code timeoutMs} passed first.
   */
  public boolean stopGracefully(java.util.function.BooleanSupplier drained, long timeoutMs) {
    long deadline = wallClock.getTimeMillis() + timeoutMs;
    try {
      synchronized (progress) {
        while (!drained.getAsBoolean()) {
          long left = deadline - wallClock.getTimeMillis();
          if (left <= 0) {
            return false;
          }
          progress.wait(Math.min(left, 10));
        }
      }
      // One more batch takes whatever arrived up to now, as Spark's timer does on a graceful stop.
      stopAfterNextBatch = true;
      long left = deadline - wallClock.getTimeMillis();
      if (left > 0) {
        generator.join(left);
      }
      if (generator.isAlive()) {
        return false;
      }
      synchronized (progress) {
        while (!running.isEmpty()) {
          left = deadline - wallClock.getTimeMillis();
          if (left <= 0) {
            return false;
          }
          progress.wait(Math.min(left, 50));
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops generating now and stops the job threads, giving running jobs {@code waitMs} to end. */
  public void stopNow(long waitMs) {
    stopRequested = true;
    generator.interrupt();
    try {
      generator.join(waitMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    jobExecutor.shutdown();
    try {
      if (!jobExecutor.awaitTermination(waitMs, TimeUnit.MILLISECONDS)) {
        jobExecutor.shutdownNow();
      }
    } catch (InterruptedException e) {
      jobExecutor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
