package dev.millrace.streaming.api.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.MillraceConf;
import dev.millrace.MillraceException;
import dev.millrace.api.java.JavaMillraceContext;
import dev.millrace.api.java.JavaRDD;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.StreamingContextState;
import dev.millrace.streaming.StreamingTestBase;
import dev.millrace.streaming.Time;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import dev.millrace.util.ManualClock;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The life of a streaming context, with Spark's rules and messages. */
class LifecycleTest {
  private static final String AFTER_START =
      "Adding new inputs, transformations, and output operations after starting a context is not supported";

  private final List<JavaStreamingContext> contexts = new ArrayList<>();

  @AfterEach
  void stopAll() {
    for (JavaStreamingContext c : contexts) {
      c.stop(true, false);
    }
  }

  private static MillraceConf conf() {
    return new MillraceConf(false).setMaster("local[2]").setAppName("lifecycle")
        .set("spark.streaming.clock", "manual");
  }

  private JavaStreamingContext track(JavaStreamingContext c) {
    contexts.add(c);
    return c;
  }

  private JavaStreamingContext newContext() {
    return track(new JavaStreamingContext(conf(), Durations.seconds(1)));
  }

  private static JavaInputDStream<String> queue(JavaStreamingContext c, String... records) {
    LinkedList<JavaRDD<String>> q = new LinkedList<>();
    q.add(c.sparkContext().parallelize(List.of(records), 1));
    return c.queueStream(q);
  }

  private static void advanceTo(JavaStreamingContext c, long ms) throws InterruptedException {
    ((ManualClock) c.ssc().clock()).setTime(ms);
    assertThat(c.ssc().scheduler().awaitBatchDone(new Time(ms), 30_000)).isTrue();
  }

  @Test
  void constructors_fromConf_fromContext_fromMasterAndName() {
    JavaStreamingContext a = newContext();
    assertThat(a.sparkContext().master()).isEqualTo("local[2]");
    JavaMillraceContext sc = new JavaMillraceContext(conf());
    JavaStreamingContext b = track(new JavaStreamingContext(sc, Durations.milliseconds(500)));
    assertThat(b.sparkContext()).isSameAs(sc);
    assertThat(b.ssc().batchDuration()).isEqualTo(Durations.milliseconds(500));
    JavaStreamingContext c = track(new JavaStreamingContext("local[3]", "named", Durations.seconds(2)));
    assertThat(c.sparkContext().appName()).isEqualTo("named");
    assertThat(c.sparkContext().defaultParallelism()).isEqualTo(3);
  }

  @Test
  void getState_goesFromInitializedToActiveToStopped() {
    JavaStreamingContext c = newContext();
    queue(c, "a").print();
    assertThat(c.getState()).isEqualTo(StreamingContextState.INITIALIZED);
    c.start();
    assertThat(c.getState()).isEqualTo(StreamingContextState.ACTIVE);
    c.stop();
    assertThat(c.getState()).isEqualTo(StreamingContextState.STOPPED);
  }

  @Test
  void addingAnythingAfterStart_throwsSparksMessage() {
    JavaStreamingContext c = newContext();
    JavaInputDStream<String> in = queue(c, "a");
    in.foreachRDD(rdd -> { });
    c.start();
    assertThat(assertThrows(IllegalStateException.class, () -> in.map(x -> x)).getMessage()).isEqualTo(AFTER_START);
    assertThat(assertThrows(IllegalStateException.class, in::print).getMessage()).isEqualTo(AFTER_START);
    assertThat(assertThrows(IllegalStateException.class, () -> queue(c, "b")).getMessage()).isEqualTo(AFTER_START);
    assertThat(assertThrows(IllegalStateException.class, () -> in.mapToPair(x -> new dev.millrace.Tuple2<>(x, 1))
        .reduceByKey(Integer::sum)).getMessage()).isEqualTo(AFTER_START);
  }

  @Test
  void addingAfterStop_throws() {
    JavaStreamingContext c = newContext();
    JavaInputDStream<String> in = queue(c, "a");
    in.print();
    c.start();
    c.stop(false);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> in.map(x -> x));
    assertThat(e.getMessage()).contains("after stopping a context is not supported");
  }

  @Test
  void startWithoutOutputOperations_throwsAndStopsTheContext() {
    JavaStreamingContext c = newContext();
    queue(c, "a").map(x -> x);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::start);
    assertThat(e.getMessage()).contains("No output operations registered");
    // Spark marks a context that failed to start as stopped, and leaves no active context.
    assertThat(c.getState()).isEqualTo(StreamingContextState.STOPPED);
    assertThat(JavaStreamingContext.getActive()).isEmpty();
  }

  @Test
  void stoppedContext_cannotBeRestarted() {
    JavaStreamingContext c = newContext();
    queue(c, "a").print();
    c.start();
    c.stop(false);
    IllegalStateException e = assertThrows(IllegalStateException.class, c::start);
    assertThat(e.getMessage()).isEqualTo("StreamingContext has already been stopped");
  }

  @Test
  void startingTwice_isIgnored() {
    JavaStreamingContext c = newContext();
    queue(c, "a").print();
    c.start();
    c.start();
    assertThat(c.getState()).isEqualTo(StreamingContextState.ACTIVE);
  }

  @Test
  void onlyOneStartedContextPerJvm() {
    JavaStreamingContext first = newContext();
    queue(first, "a").print();
    first.start();
    JavaStreamingContext second = newContext();
    queue(second, "b").print();
    IllegalStateException e = assertThrows(IllegalStateException.class, second::start);
    assertThat(e.getMessage()).startsWith("Only one StreamingContext may be started in this JVM.");
    assertThat(second.getState()).isEqualTo(StreamingContextState.INITIALIZED);
    first.stop();
    // Once the first is stopped, the second may start.
    second.start();
    assertThat(second.getState()).isEqualTo(StreamingContextState.ACTIVE);
  }

  @Test
  void stop_stopsTheMillraceContext_butStopFalseDoesNot() throws Exception {
    JavaStreamingContext c = newContext();
    queue(c, "a").print();
    c.start();
    c.stop();
    assertThat(c.sparkContext().isStopped()).isTrue();

    JavaMillraceContext sc = new JavaMillraceContext(conf());
    JavaStreamingContext first = track(new JavaStreamingContext(sc, Durations.seconds(1)));
    queue(first, "a").print();
    first.start();
    first.stop(false);
    assertThat(sc.isStopped()).isFalse();

    // The same batch context serves a new streaming context, which runs batches.
    JavaStreamingContext second = track(new JavaStreamingContext(sc, Durations.seconds(1)));
    List<List<String>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    queue(second, "x", "y").foreachRDD(rdd -> {
      seen.add(rdd.collect());
    });
    second.start();
    advanceTo(second, 1000);
    assertThat(seen).containsExactly(List.of("x", "y"));
    second.stop(true, false);
    assertThat(sc.isStopped()).isTrue();
  }

  @Test
  void newStreamingContext_onAStoppedMillraceContext_isRefused() {
    JavaMillraceContext sc = new JavaMillraceContext(conf());
    sc.stop();
    assertThrows(IllegalStateException.class, () -> new JavaStreamingContext(sc, Durations.seconds(1)));
  }

  @Test
  void gracefulStop_underAManualClock_endsWithinItsTimeout_keepingProcessedBatches() throws Exception {
    JavaStreamingContext c = track(new JavaStreamingContext(
        conf().set("spark.streaming.gracefulStopTimeout", "200ms"), Durations.seconds(1)));
    List<List<String>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    queue(c, "a").foreachRDD(rdd -> {
      seen.add(rdd.collect());
    });
    c.start();
    advanceTo(c, 1000);
    long before = System.nanoTime();
    c.stop(true, true);
    // The clock never reaches the next batch, so the stop gives up after its 200 ms timeout.
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)).isLessThan(10_000);
    assertThat(c.getState()).isEqualTo(StreamingContextState.STOPPED);
    assertThat(c.sparkContext().isStopped()).isTrue();
    assertThat(seen).containsExactly(List.of("a"));
  }

  @Test
  void sparksManualClockClassName_selectsTheManualClock() {
    JavaStreamingContext c = track(new JavaStreamingContext(
        conf().set("spark.streaming.clock", "org.apache.spark.util.ManualClock"), Durations.seconds(1)));
    assertThat(c.ssc().clock()).isInstanceOf(ManualClock.class);
  }

  @Test
  void persistAfterStart_isRefusedWithSparksMessage() {
    JavaStreamingContext c = newContext();
    JavaInputDStream<String> in = queue(c, "a");
    in.print();
    c.start();
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, in::cache);
    assertThat(e.getMessage()).isEqualTo("Cannot change storage level of a DStream after streaming context has started");
  }

  @Test
  void stopBeforeStart_marksStopped() {
    JavaStreamingContext c = newContext();
    c.stop(false);
    assertThat(c.getState()).isEqualTo(StreamingContextState.STOPPED);
    assertThat(c.sparkContext().isStopped()).isFalse();
    c.stop(false);
  }

  @Test
  void close_stopsBothContexts() {
    JavaStreamingContext c = newContext();
    queue(c, "a").print();
    c.start();
    c.close();
    assertThat(c.getState()).isEqualTo(StreamingContextState.STOPPED);
    assertThat(c.sparkContext().isStopped()).isTrue();
  }

  @Test
  void awaitTerminationOrTimeout_falseWhileRunning_trueOnceStopped() throws Exception {
    JavaStreamingContext c = newContext();
    queue(c, "a").print();
    c.start();
    assertThat(c.awaitTerminationOrTimeout(10)).isFalse();
    CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
      try {
        c.awaitTermination();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    c.stop(false);
    waiter.get(30, TimeUnit.SECONDS);
    assertThat(c.awaitTerminationOrTimeout(10)).isTrue();
  }

  @Test
  void awaitTermination_rethrowsTheErrorOfAFailedBatch() throws Exception {
    JavaStreamingContext c = newContext();
    queue(c, "a").foreachRDD((rdd, time) -> {
      throw new StreamingTestBase.Boom();
    });
    c.start();
    ((ManualClock) c.ssc().clock()).setTime(1000);
    MillraceException e = assertThrows(MillraceException.class, () -> c.awaitTerminationOrTimeout(30_000));
    assertThat(e.getMessage()).contains("1000 ms").contains("foreachRDD");
  }

  @Test
  void getActive_isTheStartedContext_untilStopped() {
    assertThat(JavaStreamingContext.getActive()).isEmpty();
    JavaStreamingContext c = newContext();
    queue(c, "a").print();
    assertThat(JavaStreamingContext.getActive()).isEmpty();
    c.start();
    assertThat(JavaStreamingContext.getActive()).containsSame(c);
    c.stop();
    assertThat(JavaStreamingContext.getActive()).isEmpty();
  }

  @Test
  void getActiveOrCreate_returnsTheActiveContext_orCallsTheFactory() {
    AtomicInteger created = new AtomicInteger();
    JavaStreamingContext made = track(JavaStreamingContext.getActiveOrCreate(() -> {
      created.incrementAndGet();
      return new JavaStreamingContext(conf(), Durations.seconds(1));
    }));
    assertThat(created.get()).isEqualTo(1);
    queue(made, "a").print();
    made.start();
    JavaStreamingContext again = JavaStreamingContext.getActiveOrCreate(() -> {
      created.incrementAndGet();
      return new JavaStreamingContext(conf(), Durations.seconds(1));
    });
    assertThat(again).isSameAs(made);
    assertThat(created.get()).isEqualTo(1);
  }

  @Test
  void remember_keepsDatasetsForTheGivenDuration() {
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      JavaDStream<String> kept = h.input(List.of(List.of("a"), List.of("b"), List.of("c"), List.of("d")));
      h.collect(kept);
      h.context().remember(Durations.seconds(3));
      h.runBatches(5);
      // After batch 5000 completes, datasets newer than 5000 - 3000 remain.
      assertThat(kept.dstream().generatedRDDs().keySet())
          .containsExactly(new Time(3000), new Time(4000), new Time(5000));
    }
  }

  @Test
  void withoutRemember_onlyTheLatestBatchIsKept() {
    try (StreamingTestHarness h = StreamingTestHarness.create(Durations.seconds(1))) {
      JavaDStream<String> in = h.input(List.of(List.of("a"), List.of("b"), List.of("c")));
      BatchCollector<String> out = h.collect(in);
      h.runBatches(3);
      assertThat(in.dstream().generatedRDDs().keySet()).containsExactly(new Time(3000));
      assertThat(out.batches()).containsExactly(List.of("a"), List.of("b"), List.of("c"));
    }
  }
}
