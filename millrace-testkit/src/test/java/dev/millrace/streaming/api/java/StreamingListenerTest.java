package dev.millrace.streaming.api.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.MillraceException;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.StreamingTestBase;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.scheduler.BatchInfo;
import dev.millrace.streaming.scheduler.OutputOperationInfo;
import dev.millrace.streaming.scheduler.StreamingListener;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import dev.millrace.streaming.scheduler.StreamingListenerBatchStarted;
import dev.millrace.streaming.scheduler.StreamingListenerBatchSubmitted;
import dev.millrace.streaming.scheduler.StreamingListenerEvent;
import dev.millrace.streaming.scheduler.StreamingListenerOutputOperationCompleted;
import dev.millrace.streaming.scheduler.StreamingListenerOutputOperationStarted;
import dev.millrace.streaming.scheduler.StreamingListenerStreamingStarted;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The six listener events of a running context (started, batch submitted / started / completed,
 * output operation started / completed) and their payloads, with delays measured on the manual
 * clock. Receiver events need receivers and are tested with them.
 */
class StreamingListenerTest extends StreamingTestBase {

  /** Records every event it hears. */
  static final class Recorder implements StreamingListener {
    final List<StreamingListenerEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onStreamingStarted(StreamingListenerStreamingStarted e) {
      events.add(e);
    }

    @Override
    public void onBatchSubmitted(StreamingListenerBatchSubmitted e) {
      events.add(e);
    }

    @Override
    public void onBatchStarted(StreamingListenerBatchStarted e) {
      events.add(e);
    }

    @Override
    public void onBatchCompleted(StreamingListenerBatchCompleted e) {
      events.add(e);
    }

    @Override
    public void onOutputOperationStarted(StreamingListenerOutputOperationStarted e) {
      events.add(e);
    }

    @Override
    public void onOutputOperationCompleted(StreamingListenerOutputOperationCompleted e) {
      events.add(e);
    }

    <E> List<E> of(Class<E> type) {
      return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    List<String> kinds() {
      return events.stream().map(e -> e.getClass().getSimpleName().replace("StreamingListener", ""))
          .collect(Collectors.toList());
    }
  }

  @Test
  void oneBatch_postsTheSixEventsInOrder() {
    Recorder r = new Recorder();
    jssc().addStreamingListener(r);
    h.input(words()).foreachRDD(rdd -> { });
    h.runBatches(1);
    h.close();
    assertThat(r.kinds()).containsExactly("StreamingStarted", "BatchSubmitted", "BatchStarted",
        "OutputOperationStarted", "OutputOperationCompleted", "BatchCompleted");
    assertThat(r.of(StreamingListenerStreamingStarted.class).get(0).time()).isZero();
  }

  @Test
  void batchInfo_carriesInputCountsAndDelaysFromTheClock() {
    Recorder r = new Recorder();
    jssc().addStreamingListener(r);
    JavaDStream<String> in = h.input(words());
    // The output takes 300 ms of (manual) time in batch 1.
    in.foreachRDD((rdd, time) -> {
      rdd.count();
      if (time.milliseconds() == 1000) {
        h.clock().advance(300);
      }
    });
    h.runBatches(2);
    h.close();

    List<BatchInfo> submitted = r.of(StreamingListenerBatchSubmitted.class).stream()
        .map(StreamingListenerBatchSubmitted::batchInfo).collect(Collectors.toList());
    assertThat(submitted).extracting(BatchInfo::batchTime).containsExactly(new Time(1000), new Time(2000));
    assertThat(submitted.get(0).processingStartTime()).isEmpty();
    assertThat(submitted.get(0).submissionTime()).isEqualTo(1000);

    BatchInfo started = r.of(StreamingListenerBatchStarted.class).get(0).batchInfo();
    assertThat(started.processingStartTime()).contains(1000L);
    assertThat(started.processingEndTime()).isEmpty();
    assertThat(started.schedulingDelay()).contains(0L);
    assertThat(started.processingDelay()).isEmpty();

    List<BatchInfo> completed = r.of(StreamingListenerBatchCompleted.class).stream()
        .map(StreamingListenerBatchCompleted::batchInfo).collect(Collectors.toList());
    BatchInfo first = completed.get(0);
    assertThat(first.batchTime()).isEqualTo(new Time(1000));
    assertThat(first.numRecords()).isEqualTo(3);
    assertThat(first.streamIdToInputInfo()).containsOnlyKeys(0);
    assertThat(first.streamIdToInputInfo().get(0).numRecords()).isEqualTo(3);
    assertThat(first.schedulingDelay()).contains(0L);
    assertThat(first.processingDelay()).contains(300L);
    assertThat(first.totalDelay()).contains(300L);
    assertThat(first.outputOperationInfos()).containsOnlyKeys(0);
    BatchInfo second = completed.get(1);
    assertThat(second.numRecords()).isZero();
    assertThat(second.processingDelay()).contains(0L);

    OutputOperationInfo op = r.of(StreamingListenerOutputOperationCompleted.class).get(0).outputOperationInfo();
    assertThat(op.batchTime()).isEqualTo(new Time(1000));
    assertThat(op.id()).isZero();
    // Spark's short call site: the API method, then this test's file and line
    assertThat(op.name()).matches("foreachRDD at StreamingListenerTest\\.java:\\d+");
    assertThat(op.description()).startsWith("dev.millrace.streaming.api.java.JavaDStreamLike.foreachRDD(")
        .contains("\ndev.millrace.streaming.api.java.StreamingListenerTest.");
    assertThat(op.startTime()).contains(1000L);
    assertThat(op.endTime()).contains(1300L);
    assertThat(op.duration()).contains(300L);
    assertThat(op.failureReason()).isEmpty();
    OutputOperationInfo opStarted = r.of(StreamingListenerOutputOperationStarted.class).get(0).outputOperationInfo();
    assertThat(opStarted.startTime()).contains(1000L);
    assertThat(opStarted.endTime()).isEmpty();
  }

  @Test
  void schedulingDelay_isTheTimeABatchWaitsForThePreviousOne() throws Exception {
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    CountDownLatch secondSubmitted = new CountDownLatch(1);
    Recorder r = new Recorder();
    jssc().addStreamingListener(r);
    jssc().addStreamingListener(new StreamingListener() {
      @Override
      public void onBatchSubmitted(StreamingListenerBatchSubmitted e) {
        if (e.batchInfo().batchTime().milliseconds() == 2000) {
          secondSubmitted.countDown();
        }
      }
    });
    h.input(words()).foreachRDD((rdd, time) -> {
      if (time.milliseconds() == 1000) {
        firstRunning.countDown();
        assertThat(releaseFirst.await(30, TimeUnit.SECONDS)).isTrue();
      }
    });
    h.start();
    h.clock().setTime(1000);
    assertThat(firstRunning.await(30, TimeUnit.SECONDS)).isTrue();
    h.clock().setTime(2000);
    assertThat(secondSubmitted.await(30, TimeUnit.SECONDS)).isTrue();
    h.clock().setTime(2500);
    releaseFirst.countDown();
    assertThat(jssc().ssc().scheduler().awaitBatchDone(new Time(2000), 30_000)).isTrue();
    h.close();

    List<BatchInfo> completed = r.of(StreamingListenerBatchCompleted.class).stream()
        .map(StreamingListenerBatchCompleted::batchInfo).collect(Collectors.toList());
    assertThat(completed).hasSize(2);
    assertThat(completed.get(0).schedulingDelay()).contains(0L);
    assertThat(completed.get(0).processingDelay()).contains(1500L);
    assertThat(completed.get(0).totalDelay()).contains(1500L);
    assertThat(completed.get(1).submissionTime()).isEqualTo(2000);
    assertThat(completed.get(1).schedulingDelay()).contains(500L);
    assertThat(completed.get(1).processingDelay()).contains(0L);
    assertThat(completed.get(1).totalDelay()).contains(500L);
  }

  @Test
  void inputInfos_areKeyedByInputStreamId_andCountEachInput() {
    Recorder r = new Recorder();
    jssc().addStreamingListener(r);
    JavaDStream<String> a = h.input(List.of(List.of("a", "b")));
    JavaDStream<String> mapped = a.map(x -> x);
    JavaDStream<String> b = h.input(List.of(List.of("c", "d", "e")));
    h.collect(mapped.union(b));
    h.runBatches(1);
    h.close();
    BatchInfo info = r.of(StreamingListenerBatchCompleted.class).get(0).batchInfo();
    // Input streams are numbered 0, 1, ... among inputs, as in Spark.
    assertThat(info.streamIdToInputInfo()).containsOnlyKeys(0, 1);
    assertThat(info.streamIdToInputInfo().get(0).numRecords()).isEqualTo(2);
    assertThat(info.streamIdToInputInfo().get(1).numRecords()).isEqualTo(3);
    assertThat(info.numRecords()).isEqualTo(5);
  }

  @Test
  void severalOutputs_eachGetTheirOwnInfo_batchCompletesAfterTheLast() {
    Recorder r = new Recorder();
    jssc().addStreamingListener(r);
    JavaDStream<String> in = h.input(words());
    in.foreachRDD(rdd -> {
      h.clock().advance(100);
    });
    in.print(1);
    jssc().ssc().setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    h.runBatches(1);
    h.close();
    assertThat(r.kinds()).containsExactly("StreamingStarted", "BatchSubmitted", "BatchStarted",
        "OutputOperationStarted", "OutputOperationCompleted", "OutputOperationStarted", "OutputOperationCompleted",
        "BatchCompleted");
    List<OutputOperationInfo> ops = r.of(StreamingListenerOutputOperationCompleted.class).stream()
        .map(StreamingListenerOutputOperationCompleted::outputOperationInfo).collect(Collectors.toList());
    assertThat(ops).extracting(OutputOperationInfo::id).containsExactly(0, 1);
    assertThat(ops.get(0).name()).matches("foreachRDD at StreamingListenerTest\\.java:\\d+");
    assertThat(ops.get(1).name()).matches("print at StreamingListenerTest\\.java:\\d+");
    assertThat(ops.get(1).startTime()).contains(1100L);
    BatchInfo done = r.of(StreamingListenerBatchCompleted.class).get(0).batchInfo();
    assertThat(done.outputOperationInfos()).containsOnlyKeys(0, 1);
    assertThat(done.processingDelay()).contains(100L);
  }

  @Test
  void failedOutput_reportsItsFailureReason_andTheBatchStillCompletes() {
    Recorder r = new Recorder();
    jssc().addStreamingListener(r);
    h.input(words()).foreachRDD(rdd -> boom());
    assertThrows(MillraceException.class, () -> h.runBatches(1));
    h.close();
    OutputOperationInfo op = r.of(StreamingListenerOutputOperationCompleted.class).get(0).outputOperationInfo();
    assertThat(op.failureReason()).hasValueSatisfying(reason -> assertThat(reason).contains("boom"));
    assertThat(r.of(StreamingListenerBatchCompleted.class)).hasSize(1);
  }

  @Test
  void removedListener_hearsNothingMore() {
    Recorder kept = new Recorder();
    Recorder removed = new Recorder();
    jssc().addStreamingListener(kept);
    jssc().addStreamingListener(removed);
    h.input(words()).foreachRDD(rdd -> { });
    jssc().removeStreamingListener(removed);
    h.runBatches(1);
    h.close();
    assertThat(removed.events).isEmpty();
    assertThat(kept.events).hasSize(6);
  }

  @Test
  void throwingListener_keepsReceivingEvents_andOthersToo() {
    Recorder after = new Recorder();
    List<String> heard = new CopyOnWriteArrayList<>();
    jssc().addStreamingListener(new StreamingListener() {
      @Override
      public void onBatchSubmitted(StreamingListenerBatchSubmitted e) {
        heard.add("submitted " + e.batchInfo().batchTime());
        throw new IllegalStateException("listener bug");
      }
    });
    jssc().addStreamingListener(after);
    h.input(words()).foreachRDD(rdd -> { });
    h.runBatches(2);
    h.close();
    assertThat(heard).containsExactly("submitted 1000 ms", "submitted 2000 ms");
    assertThat(after.of(StreamingListenerBatchCompleted.class)).hasSize(2);
  }

  @Test
  void emptyOptionalPayloads_useJavaOptional() {
    BatchInfo info = new BatchInfo(new Time(1000), java.util.Map.of(), 1000, Optional.empty(), Optional.empty(),
        java.util.Map.of());
    assertThat(info.schedulingDelay()).isEmpty();
    assertThat(info.totalDelay()).isEmpty();
    assertThat(Durations.seconds(1).milliseconds()).isEqualTo(1000);
  }
}
