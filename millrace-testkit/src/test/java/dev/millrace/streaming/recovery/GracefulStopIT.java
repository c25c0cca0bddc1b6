package dev.millrace.streaming.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.MillraceConf;
import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import dev.millrace.streaming.internal.checkpoint.Checkpointing;
import dev.millrace.streaming.internal.checkpoint.MetadataCheckpoint;
import dev.millrace.streaming.receiver.Receiver;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful stop, by the API or by SIGTERM with {@code stopGracefullyOnShutdown}, processes every
 * record the receivers stored before it returns, and leaves a checkpoint with nothing pending.
 */
class GracefulStopIT {
  private static final int RECORDS = 20_000;

  @TempDir
  Path tmp;

  /** Stores {@link #RECORDS} numbered records as fast as it can, then counts down. */
  static final class BurstReceiver extends Receiver<String> {
    private static final long serialVersionUID = 1L;
    private final transient CountDownLatch done;

    BurstReceiver(CountDownLatch done) {
      super(StorageLevel.MEMORY_ONLY());
      this.done = done;
    }

    @Override
    public void onStart() {
      Thread t = new Thread(() -> {
        for (int i = 0; i < RECORDS; i++) {
          store(String.format("r%08d", i));
        }
        done.countDown();
      }, "burst-receiver");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void onStop() {}
  }

  @Test
  void gracefulStop_withReceivedDataNotYetInABatch_processesAllOfIt_andCheckpointsNothingPending() throws Exception {
    Path ck = tmp.resolve("ck");
    Path out = Files.createDirectories(tmp.resolve("out"));
    MillraceConf conf = new MillraceConf(false).setMaster("local[2]").setAppName("graceful")
        .set("spark.streaming.receiver.writeAheadLog.enable", "true");
    // A long interval: when the receiver is done, almost all of its records wait for a batch.
    JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.seconds(2));
    ssc.checkpoint(ck.toString());
    CountDownLatch stored = new CountDownLatch(1);
    ssc.receiverStream(new BurstReceiver(stored)).countByValue().saveAsTextFiles(out.resolve("lines").toString(), null);
    ssc.start();
    assertThat(stored.await(30, TimeUnit.SECONDS)).isTrue();
    ssc.stop(true, true);
    Map<String, Long> counts = FaultInjection.readCounts(out, "lines");
    assertThat(counts).hasSize(RECORDS);
    assertThat(FaultInjection.total(counts)).isEqualTo(RECORDS);
    MetadataCheckpoint cp = Checkpointing.readLatest(ck);
    assertThat(cp.pendingTimesMs()).isEmpty();
    assertThat(cp.lastCompletedMs()).isEqualTo(cp.checkpointTimeMs());
  }

  @Test
  void sigterm_withStopGracefullyOnShutdown_processesEverythingStoredBeforeExiting() throws Exception {
    Path ck = tmp.resolve("ck");
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path ack = tmp.resolve("stored.log");
    Path log = tmp.resolve("log");
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Process job = FaultInjection.start(java.util.List.of("-Djob.ackFile=" + ack,
          "-Djob.stopGracefullyOnShutdown=true"), log, "socket", "127.0.0.1:" + server.getLocalPort(), ck.toString(),
          out.resolve("lines").toString(), "1000");
      try (Socket s = server.accept(); OutputStream o = s.getOutputStream()) {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < RECORDS; i++) {
          all.append(String.format("r%08d%n", i));
        }
        o.write(all.toString().getBytes(StandardCharsets.UTF_8));
        o.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (lines(ack) < RECORDS && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertThat(lines(ack)).as("records stored").isEqualTo(RECORDS);
        job.destroy(); // SIGTERM, with one-second batches mostly still waiting for a batch
        assertThat(job.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
      Map<String, Long> counts = FaultInjection.readCounts(out, "lines");
      assertThat(counts).as("log:%n%s", FaultInjection.tail(log)).hasSize(RECORDS);
      assertThat(FaultInjection.total(counts)).isEqualTo(RECORDS);
      assertThat(Checkpointing.readLatest(ck).pendingTimesMs()).isEmpty();
    }
  }

  private static long lines(Path ack) throws java.io.IOException {
    if (!Files.exists(ack)) {
      return 0;
    }
    try (java.util.stream.Stream<String> s = Files.lines(ack)) {
      return s.count();
    }
  }
}
