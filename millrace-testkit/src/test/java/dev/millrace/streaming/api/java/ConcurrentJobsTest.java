package dev.millrace.streaming.api.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.HashPartitioner;
import dev.millrace.MillraceException;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.StreamingTestBase;
import dev.millrace.streaming.Time;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Several output operations of a batch running at once ({@code spark.streaming.concurrentJobs}). */
class ConcurrentJobsTest extends StreamingTestBase {

  @Override
  protected StreamingTestHarness.Builder harness() {
    return StreamingTestHarness.builder(Durations.seconds(1)).set("spark.streaming.concurrentJobs", "2");
  }

  @Test
  void twoOutputs_runAtTheSameTime() {
    CyclicBarrier both = new CyclicBarrier(2);
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    JavaDStream<String> in = h.input(words());
    for (String name : List.of("x", "y")) {
      in.foreachRDD((rdd, time) -> {
        if (time.milliseconds() == 1000) {
          // Opens only if both outputs of the batch run concurrently.
          both.await(30, TimeUnit.SECONDS);
        }
        seen.add(name + "@" + time.milliseconds());
      });
    }
    h.runBatches(2);
    assertThat(seen).containsExactlyInAnyOrder("x@1000", "y@1000", "x@2000", "y@2000");
  }

  @Test
  void twoOutputsReadingOneShuffleAtOnce_bothGetTheRightCombiners() {
    JavaPairDStream<String, List<Integer>> lists = h.pairInput(List.of(
        List.of(t("a", 1), t("a", 2), t("b", 3), t("a", 4)), List.of(t("a", 5))))
        .combineByKey(v -> new ArrayList<>(List.of(v)), (l, v) -> {
          l.add(v);
          return l;
        }, (l1, l2) -> {
          l1.addAll(l2);
          return l1;
        }, new HashPartitioner(2));
    BatchCollector<dev.millrace.Tuple2<String, List<Integer>>> first = h.collect(lists);
    BatchCollector<dev.millrace.Tuple2<String, List<Integer>>> second = h.collect(lists);
    h.runBatches(2);
    for (BatchCollector<dev.millrace.Tuple2<String, List<Integer>>> out : List.of(first, second)) {
      assertThat(out.batch(1)).hasSize(2).allSatisfy(kv -> {
        if (kv._1().equals("a")) {
          assertThat(kv._2()).containsExactlyInAnyOrder(1, 2, 4);
        } else {
          assertThat(kv._2()).containsExactly(3);
        }
      });
      assertThat(out.batch(2)).containsExactly(t("a", List.of(5)));
    }
  }

  @Test
  void slice_beforeStart_failsAsNotInitialized() {
    JavaDStream<String> in = h.input(words());
    MillraceException e = assertThrows(MillraceException.class, () -> in.slice(new Time(0), new Time(1000)));
    assertThat(e.getMessage()).contains("has not been initialized");
  }
}
