package dev.millrace.streaming.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.internal.checkpoint.Checkpointing;
import dev.millrace.streaming.receiver.Receiver;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a receiver stored in the write-ahead log survives the run that stored it, checkpointed or not. */
class WriteAheadLogRecoveryTest {
  @TempDir
  Path dir;

  /** A receiver the test drives: it stores whatever the test tells it to. */
  static final class StoringReceiver extends Receiver<String> {
    private static final long serialVersionUID = 1L;

    StoringReceiver() {
      super(StorageLevel.MEMORY_AND_DISK_SER_2());
    }

    @Override
    public void onStart() {}

    @Override
    public void onStop() {}
  }

  private static StreamingTestHarness harness() {
    return StreamingTestHarness.builder(Durations.seconds(1))
        .set("spark.streaming.receiver.writeAheadLog.enable", "true").build();
  }

  private static void startAndAwait(StreamingTestHarness h, StoringReceiver r) throws InterruptedException {
    h.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!r.isStarted()) {
      assertThat(System.nanoTime()).as("receiver started within 10 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void recordsStoredBeforeTheFirstCheckpoint_goToTheFirstBatchOfTheNextRun() throws Exception {
    String ck = dir.resolve("ck").toString();
    try (StreamingTestHarness h = harness()) {
      h.context().checkpoint(ck);
      StoringReceiver r = new StoringReceiver();
      h.collect(h.context().receiverStream(r));
      startAndAwait(h, r);
      r.store("a");
      r.store(List.of("b", "c"));
      // The run ends before its first batch (as when killed while writing its first checkpoint):
      // the log holds the records, no metadata checkpoint does.
    }
    assertThat(Checkpointing.readLatest(Path.of(ck))).isNull();
    try (StreamingTestHarness h = harness()) {
      StoringReceiver r = new StoringReceiver();
      BatchCollector<String> out = h.collect(h.context().receiverStream(r));
      assertThat(h.recoverFrom(ck)).isFalse();
      startAndAwait(h, r);
      r.store("d");
      h.runBatches(2);
      assertThat(out.batch(1)).containsExactly("a", "b", "c", "d");
      assertThat(out.batch(2)).isEmpty();
    }
  }
}
