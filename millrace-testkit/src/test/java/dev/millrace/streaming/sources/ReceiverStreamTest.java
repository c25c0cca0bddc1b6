package dev.millrace.streaming.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.api.java.JavaReceiverInputDStream;
import dev.millrace.streaming.receiver.Receiver;
import dev.millrace.streaming.scheduler.ReceiverInfo;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReceiverStreamTest {

  /** A receiver the test drives: it stores whatever the test tells it to. */
  static class TestReceiver extends Receiver<String> {
    private static final long serialVersionUID = 1L;
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();

    TestReceiver() {
      super(StorageLevel.MEMORY_ONLY());
    }

    @Override
    public void onStart() {
      starts.incrementAndGet();
    }

    @Override
    public void onStop() {
      stops.incrementAndGet();
    }
  }

  private static StreamingTestHarness harness(String... settings) {
    StreamingTestHarness.Builder b = StreamingTestHarness.builder(Durations.seconds(1));
    for (int i = 0; i < settings.length; i += 2) {
      b.set(settings[i], settings[i + 1]);
    }
    return b.build();
  }

  private static void startAndAwaitReceiver(StreamingTestHarness h, TestReceiver r) {
    h.start();
    Await.until("the receiver started", r::isStarted);
  }

  @Test
  void recordsStoredBeforeABatch_formThatBatch_oneBlockPerStoreCall_andQuietIntervalsAreEmpty() {
    try (StreamingTestHarness h = harness()) {
      TestReceiver r = new TestReceiver();
      JavaReceiverInputDStream<String> in = h.context().receiverStream(r);
      BatchCollector<String> out = h.collect(in);
      BatchCollector<List<String>> blocks = h.collect(in.glom());
      startAndAwaitReceiver(h, r);

      r.store("a");
      r.store("b");
      h.runBatches(1);
      h.runBatches(1);
      r.store(List.of("c", "d"));
      r.store(List.of("e").iterator());
      r.store("f");
      h.runBatches(1);

      assertThat(out.batch(1)).containsExactly("a", "b");
      assertThat(out.batch(2)).isEmpty();
      assertThat(out.batch(3)).containsExactly("c", "d", "e", "f");
      assertThat(blocks.batch(3)).containsExactly(List.of("c", "d"), List.of("e"), List.of("f"));
      assertThat(r.streamId()).isEqualTo(in.dstream().id());
    }
  }

  @Test
  void storeByteBuffer_storesTheSerializedRecordsAsOneBlock_andRejectsBytesThatAreNotRecords() throws IOException {
    try (StreamingTestHarness h = harness()) {
      TestReceiver r = new TestReceiver();
      BatchCollector<String> out = h.collect(h.context().receiverStream(r));
      startAndAwaitReceiver(h, r);

      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
        o.writeObject("x");
        o.writeObject("y");
      }
      r.store(ByteBuffer.wrap(bytes.toByteArray()));
      IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
          () -> r.store(ByteBuffer.wrap(new byte[] {1, 2, 3})));
      r.store("z");
      h.runBatches(1);

      assertThat(bad).hasMessageContaining("not a Java serialization stream").hasMessageContaining("stream 0");
      assertThat(out.batch(1)).containsExactly("x", "y", "z");
    }
  }

  @Test
  void batchInfo_countsTheRecordsOfEachReceiverStream() {
    try (StreamingTestHarness h = harness()) {
      EventLog log = new EventLog();
      h.context().addStreamingListener(log);
      TestReceiver r = new TestReceiver();
      JavaReceiverInputDStream<String> in = h.context().receiverStream(r);
      h.collect(in);
      startAndAwaitReceiver(h, r);

      r.store(List.of("a", "b", "c"));
      h.runBatches(1);
      h.runBatches(1);
      Await.until("two batches reported", () -> log.batches.size() == 2);

      assertThat(log.batches.get(0).batchTime()).isEqualTo(new Time(1000));
      assertThat(log.batches.get(0).streamIdToInputInfo().get(in.dstream().id()).numRecords()).isEqualTo(3);
      assertThat(log.batches.get(1).streamIdToInputInfo().get(in.dstream().id()).numRecords()).isZero();
    }
  }

  @Test
  void listeners_hearReceiverStartedErrorAndStopped_withReceiverInfo() {
    EventLog log = new EventLog();
    TestReceiver r = new TestReceiver();
    int streamId;
    try (StreamingTestHarness h = harness()) {
      h.context().addStreamingListener(log);
      streamId = h.context().receiverStream(r).dstream().id();
      h.collect(h.context().receiverStream(new TestReceiver()));
      h.start();
      Await.until("started", r::isStarted);
      r.reportError("bad record", new IllegalStateException("boom"));
      h.runBatches(1);
    }
    Await.until("stop event", () -> log.stopped.stream().anyMatch(i -> i.streamId() == streamId));

    ReceiverInfo started = log.started.stream().filter(i -> i.streamId() == streamId).findFirst().orElseThrow();
    assertThat(started.name()).isEqualTo("TestReceiver");
    assertThat(started.active()).isTrue();
    assertThat(started.location()).isEqualTo("localhost");
    ReceiverInfo error = log.errors.get(0);
    assertThat(error.streamId()).isEqualTo(streamId);
    assertThat(error.lastErrorMessage()).isEqualTo("bad record");
    assertThat(error.lastError()).contains("IllegalStateException: boom");
    assertThat(error.lastErrorTime()).isEqualTo(0L);
    ReceiverInfo stopped = log.stopped.stream().filter(i -> i.streamId() == streamId).findFirst().orElseThrow();
    assertThat(stopped.active()).isFalse();
    assertThat(r.stops.get()).isEqualTo(1);
    assertThat(r.isStopped()).isTrue();
  }

  @Test
  void restart_stopsTheReceiver_thenStartsItAgainAfterTheDelayOnTheContextClock() {
    try (StreamingTestHarness h = harness("millrace.streaming.receiverRestartDelay", "5s")) {
      EventLog log = new EventLog();
      h.context().addStreamingListener(log);
      TestReceiver r = new TestReceiver();
      h.collect(h.context().receiverStream(r));
      startAndAwaitReceiver(h, r);

      r.restart("source went away", new IOException("reset"));
      Await.until("onStop called", () -> r.stops.get() == 1);
      Await.holds("not restarted before the clock moved 5 s", 200, () -> r.starts.get() == 1);
      h.clock().advance(4_999);
      Await.holds("not restarted before the clock moved 5 s", 100, () -> r.starts.get() == 1);
      h.clock().advance(1);
      Await.until("restarted", () -> r.starts.get() == 2 && r.isStarted());
      Await.until("events delivered", () -> log.started.size() == 2);

      assertThat(log.events).containsExactly("started", "error: source went away", "stopped", "started");
      assertThat(log.errors.get(0).lastError()).contains("IOException: reset");
    }
  }

  @Test
  void restart_withExplicitDelay_usesThatDelay() {
    try (StreamingTestHarness h = harness()) {
      TestReceiver r = new TestReceiver();
      h.collect(h.context().receiverStream(r));
      startAndAwaitReceiver(h, r);

      r.restart("again", null, 100);
      Await.until("stopped", () -> r.stops.get() == 1);
      h.clock().advance(100);
      Await.until("restarted", () -> r.starts.get() == 2);
    }
  }

  @Test
  void storingIntoARestartingReceiver_keepsTheRecords() {
    try (StreamingTestHarness h = harness()) {
      TestReceiver r = new TestReceiver();
      BatchCollector<String> out = h.collect(h.context().receiverStream(r));
      startAndAwaitReceiver(h, r);
      r.store("before");
      r.restart("again");
      Await.until("stopped", () -> r.stops.get() == 1);
      r.store("during");
      h.runBatches(1);
      assertThat(out.batch(1)).containsExactly("before", "during");
    }
  }

  @Test
  void stop_fromTheReceiver_stopsItForGood_andLaterStoresFail() {
    try (StreamingTestHarness h = harness("millrace.streaming.receiverRestartDelay", "0ms")) {
      TestReceiver r = new TestReceiver();
      BatchCollector<String> out = h.collect(h.context().receiverStream(r));
      startAndAwaitReceiver(h, r);
      r.store("kept");
      r.stop("done");
      IllegalStateException late = assertThrows(IllegalStateException.class, () -> r.store("late"));
      r.restart("ignored");
      h.runBatches(2);

      assertThat(late).hasMessageContaining("has been stopped");
      assertThat(out.batch(1)).containsExactly("kept");
      assertThat(r.starts.get()).isEqualTo(1);
      assertThat(r.isStopped()).isTrue();
    }
  }

  @Test
  void aReceiverWhoseOnStartThrows_isStoppedAndTheErrorIsReported() {
    try (StreamingTestHarness h = harness()) {
      EventLog log = new EventLog();
      h.context().addStreamingListener(log);
      Receiver<String> r = new TestReceiver() {
        private static final long serialVersionUID = 1L;

        @Override
        public void onStart() {
          throw new IllegalStateException("cannot connect");
        }
      };
      h.collect(h.context().receiverStream(r));
      h.start();
      Await.until("stop event", () -> !log.stopped.isEmpty());
      assertThat(log.stopped.get(0).lastErrorMessage()).isEqualTo("Error starting receiver 0");
      assertThat(log.stopped.get(0).lastError()).contains("cannot connect");
      h.runBatches(1);
    }
  }

  @Test
  void maxRate_holdsBackSingleStores_andLosesNothing() throws Exception {
    try (StreamingTestHarness h = harness("millrace.streaming.receiver.maxRate", "100")) {
      TestReceiver r = new TestReceiver();
      BatchCollector<String> out = h.collect(h.context().receiverStream(r));
      startAndAwaitReceiver(h, r);
      AtomicInteger stored = new AtomicInteger();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread producer = new Thread(() -> {
        try {
          for (int i = 0; i < 450; i++) {
            r.store("r" + i);
            stored.incrementAndGet();
          }
        } catch (Throwable t) {
          failure.set(t);
        }
      });
      producer.start();
      // At a standing clock, one second of allowance (100 records) plus the record due now pass.
      Await.until("the producer is held back", () -> producer.getState() == Thread.State.WAITING
          || producer.getState() == Thread.State.TIMED_WAITING);
      Await.holds("the producer stays held back", 100, () -> stored.get() == 101);
      // The limiter lets at most one second of allowance build up, so if a loaded machine wakes the
      // producer only after several clock steps, it needs more batches: run until it is done.
      for (int i = 0; i < 60 && producer.isAlive(); i++) {
        h.runBatches(1);
        producer.join(50);
      }
      assertThat(producer.isAlive()).as("producer finished within 60 batches").isFalse();
      h.runBatches(1);

      assertThat(failure.get()).isNull();
      List<String> all = new ArrayList<>();
      for (List<String> b : out.batches()) {
        assertThat(b.size()).isLessThanOrEqualTo(201);
        all.addAll(b);
      }
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 450; i++) {
        expected.add("r" + i);
      }
      assertThat(all).isEqualTo(expected);
    }
  }

  @Test
  void localOne_stillProcessesReceiverData_becauseReceiversRunOnTheirOwnThreads() {
    try (StreamingTestHarness h = StreamingTestHarness.builder(Durations.seconds(1)).master("local[1]").build()) {
      TestReceiver r = new TestReceiver();
      BatchCollector<Long> out = h.collect(h.context().receiverStream(r).count());
      startAndAwaitReceiver(h, r);
      r.store(List.of("a", "b", "c"));
      h.runBatches(1);
      assertThat(out.batch(1)).containsExactly(3L);
    }
  }

  @Test
  void gracefulStop_processesEveryRecordStoredBeforeIt() throws Exception {
    StreamingTestHarness h = harness("millrace.streaming.gracefulStopTimeout", "30s");
    TestReceiver r = new TestReceiver();
    BatchCollector<String> out = h.collect(h.context().receiverStream(r));
    startAndAwaitReceiver(h, r);
    r.store("a");
    h.runBatches(1);
    r.store("b");
    r.store(List.of("c", "d"));

    Thread stopper = new Thread(() -> h.context().stop(true, true));
    stopper.start();
    // The graceful stop waits for batches; move the clock until it is done.
    while (stopper.isAlive()) {
      h.clock().advance(1000);
      stopper.join(20);
    }

    assertThat(out.all()).containsExactly("a", "b", "c", "d");
    assertThat(r.stops.get()).isEqualTo(1);
    assertThrows(IllegalStateException.class, () -> r.store("after"));
  }

  @Test
  void storeBeforeStart_failsWithAClearMessage() {
    TestReceiver r = new TestReceiver();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.store("x"));
    assertThat(e).hasMessageContaining("has not been started");
  }
}
