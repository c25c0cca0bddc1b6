package dev.millrace.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.millrace.MillraceConf;
import dev.millrace.MillraceException;
import dev.millrace.api.java.JavaMillraceContext;
import dev.millrace.internal.rdd.RDD;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How {@link LocalRuntime} shares a stage's tasks between the calling thread and its pool. */
class LocalRuntimeStageTest {
  private JavaMillraceContext sc;

  @BeforeEach
  void setUp() {
    sc = new JavaMillraceContext(new MillraceConf().setMaster("local[2]").setAppName("test"));
  }

  @AfterEach
  void tearDown() {
    sc.stop();
  }

  private RDD<Integer> numbers(int partitions) {
    List<Integer> data = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      data.add(i);
    }
    return sc.parallelize(data, partitions).rdd();
  }

  @Test
  void everyPartitionRunsOnce_andResultsComeInRequestedOrder() {
    RDD<Integer> rdd = numbers(16);
    AtomicInteger runs = new AtomicInteger();
    List<Integer> out = sc.engine().runtime().runJob(rdd, (p, in) -> {
      runs.incrementAndGet();
      return p * 10 + in.next();
    }, new int[] {15, 3, 0, 7});
    assertThat(out).containsExactly(165, 33, 0, 77);
    assertThat(runs).hasValue(4);
  }

  @Test
  void failingTask_failsTheJobNamingThePartition() {
    RDD<Integer> rdd = numbers(4);
    MillraceException e = assertThrows(MillraceException.class, () -> sc.engine().runtime().runJob(rdd, (p, in) -> {
      if (p == 2) {
        throw new IllegalStateException("boom");
      }
      return p;
    }, rdd.allPartitions()));
    assertThat(e).hasMessageContaining("partition 2").hasMessageContaining("boom");
  }

  @Test
  void stageCompletes_whilePoolThreadsAreBusyElsewhere() throws Exception {
    // Two other jobs hold both pool threads (and their own calling threads) until released.
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(4);
    List<Thread> blockers = new ArrayList<>();
    for (int j = 0; j < 2; j++) {
      RDD<Integer> rdd = numbers(2);
      Thread t = new Thread(() -> sc.engine().runtime().runJob(rdd, (p, in) -> {
        busy.countDown();
        release.await();
        return p;
      }, rdd.allPartitions()));
      t.start();
      blockers.add(t);
    }
    assertThat(busy.await(30, TimeUnit.SECONDS)).isTrue();

    // This job's helper cannot start, so its calling thread runs both tasks and returns.
    RDD<Integer> rdd = numbers(2);
    List<Integer> out = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> sc.engine().runtime().runJob(rdd, (p, in) -> in.next(), rdd.allPartitions()));
    assertThat(out).containsExactly(0, 1);

    release.countDown();
    for (Thread t : blockers) {
      t.join(30_000);
      assertThat(t.isAlive()).isFalse();
    }
  }
}
