package dev.millrace.streaming.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.streaming.Time;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import dev.millrace.util.ManualClock;
import dev.millrace.util.SystemClock;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batches {@link JobScheduler#pendingTimes()} reports, which the metadata checkpoints list as
 * pending and a recovery re-runs. Checkpoints are written both by the generator thread (after a
 * batch is generated) and by a job thread (in the completion work of a batch), so the view each of
 * them takes must not go back: a batch whose jobs succeeded is no longer pending for the next
 * batch's checkpoint even while its own completion work still runs.
 */
class JobSchedulerPendingTimesTest {
  private static final ThreadFactory THREADS = r -> {
    Thread t = new Thread(r, "scheduler-test");
    t.setDaemon(true);
    return t;
  };

  private final ManualClock clock = new ManualClock(0);
  private final ListenerBus bus = new ListenerBus(THREADS);
  private final Map<Long, List<Time>> pendingAtGeneration = new ConcurrentHashMap<>();
  private final Map<Long, List<Time>> pendingAtCompletion = new ConcurrentHashMap<>();
  private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
  private final CountDownLatch firstCompleting = new CountDownLatch(1);
  private final CountDownLatch secondGenerated = new CountDownLatch(1);
  private JobScheduler scheduler;

  @AfterEach
  void stop() {
    if (scheduler != null) {
      scheduler.stopNow(1_000);
    }
    bus.stop(1_000);
  }

  /** Batches at 1000 ms steps; the jobs of the batches in {@code failing} throw. */
  private JobScheduler scheduler(Set<Long> failing) {
    JobScheduler.BatchSource source = new JobScheduler.BatchSource() {
      @Override
      public List<Job> generateJobs(Time time) {
        return List.of(new Job(time, 0, "output", "test", () -> {
          if (failing.contains(time.milliseconds())) {
            throw new IllegalStateException("output failed");
          }
        }));
      }

      @Override
      public Map<Integer, StreamInputInfo> takeInputInfos(Time time) {
        return Map.of();
      }

      @Override
      public void batchGenerated(Time time) {
        pendingAtGeneration.put(time.milliseconds(), scheduler.pendingTimes());
        if (time.milliseconds() == 2000) {
          secondGenerated.countDown();
        }
      }

      @Override
      public void batchCompleted(Time time) {
        pendingAtCompletion.put(time.milliseconds(), scheduler.pendingTimes());
        if (time.milliseconds() == 1000) {
          // Batch 1's completion work overlaps the generation of batch 2.
          firstCompleting.countDown();
          try {
            secondGenerated.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }

      @Override
      public void reportError(Throwable error) {
        errors.add(error);
      }
    };
    bus.start();
    scheduler = new JobScheduler(source, clock, new SystemClock(), bus, 1000, 1, THREADS);
    return scheduler;
  }

  @Test
  void batchWhoseJobsSucceeded_isNotPendingForTheNextBatch_whileItsCompletionWorkStillRuns() throws Exception {
    JobScheduler s = scheduler(Set.of());
    s.start(1000);
    clock.setTime(1000);
    assertThat(firstCompleting.await(10, TimeUnit.SECONDS)).isTrue();
    clock.setTime(2000);
    assertThat(s.awaitBatchDone(new Time(2000), 10_000)).isTrue();
    assertThat(pendingAtCompletion.get(1000L)).isEmpty();
    assertThat(pendingAtGeneration.get(2000L)).containsExactly(new Time(2000));
    assertThat(pendingAtCompletion.get(2000L)).isEmpty();
    assertThat(s.pendingTimes()).isEmpty();
    assertThat(errors).isEmpty();
  }

  @Test
  void batchWhoseOutputFailed_staysPendingAfterLaterBatchesCompleted() throws Exception {
    JobScheduler s = scheduler(Set.of(1000L));
    s.start(1000);
    clock.setTime(1000);
    assertThat(firstCompleting.await(10, TimeUnit.SECONDS)).isTrue();
    clock.setTime(2000);
    assertThat(s.awaitBatchDone(new Time(2000), 10_000)).isTrue();
    clock.setTime(3000);
    assertThat(s.awaitBatchDone(new Time(3000), 10_000)).isTrue();
    assertThat(errors).hasSize(1);
    assertThat(errors.peek().getMessage()).contains("Batch 1000 ms", "output failed");
    assertThat(s.hasFailed(new Time(1000))).isTrue();
    assertThat(pendingAtCompletion.get(1000L)).containsExactly(new Time(1000));
    assertThat(pendingAtGeneration.get(2000L)).containsExactly(new Time(1000), new Time(2000));
    assertThat(pendingAtGeneration.get(3000L)).containsExactly(new Time(1000), new Time(3000));
    assertThat(s.pendingTimes()).containsExactly(new Time(1000));
  }
}
