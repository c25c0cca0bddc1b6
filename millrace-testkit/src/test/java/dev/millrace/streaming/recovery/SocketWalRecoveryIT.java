package dev.millrace.streaming.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A socket receiver with the write-ahead log loses nothing it stored across SIGKILLs at seeded
 * random moments (while batches run, while a checkpoint or a log record is being written): every
 * line the receiver acknowledged as stored appears in the output of some batch. A failure prints
 * the seed; rerun with {@code -Dmillrace.faultSeed=<seed>}.
 */
class SocketWalRecoveryIT {
  private static final int CYCLES = 8;

  @TempDir
  Path tmp;

  @Test
  void socketReceiverWithWriteAheadLog_losesNoStoredRecord_acrossKillsAtRandomMoments() {
    FaultInjection.withSeed(this::run);
  }

  private void run(long seed) throws Exception {
    Random random = new Random(seed);
    Path ck = tmp.resolve("ck");
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path ack = tmp.resolve("stored.log");
    AtomicInteger sent = new AtomicInteger();
    AtomicBoolean sending = new AtomicBoolean(true);
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread sender = new Thread(() -> serve(server, sent, sending), "line-sender");
      sender.setDaemon(true);
      sender.start();
      String address = "127.0.0.1:" + server.getLocalPort();
      List<String> faults = new ArrayList<>();
      Process job = null;
      for (int cycle = 0; cycle <= CYCLES; cycle++) {
        boolean last = cycle == CYCLES;
        int fault = last ? -1 : random.nextInt(3);
        List<String> props = new ArrayList<>(List.of("-Djob.ackFile=" + ack));
        if (fault == 1) {
          props.add("-Dmillrace.test.crashAt=wal.midRecord:" + (1 + random.nextInt(2000)));
        } else if (fault == 2) {
          props.add("-Dmillrace.test.crashAt=checkpoint.beforeRename:" + (1 + random.nextInt(10)));
        }
        faults.add(fault <= 0 ? "kill" : props.get(1));
        Path log = tmp.resolve("log-" + cycle);
        job = FaultInjection.start(props, log, "socket", address, ck.toString(), out.resolve("lines").toString(),
            "100");
        FaultInjection.awaitLine(log, "STARTED", 30_000);
        if (last) {
          break;
        }
        if (fault == 0) {
          Thread.sleep(300 + random.nextInt(700));
          FaultInjection.kill(job);
        } else if (!job.waitFor(3, TimeUnit.SECONDS)) {
          FaultInjection.kill(job);
        }
      }
      // Stop sending; the last run must process everything stored, then is killed too.
      Thread.sleep(300);
      sending.set(false);
      Set<String> stored = stored(ack);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Set<String> output = FaultInjection.readCounts(out, "lines").keySet();
      while (!output.containsAll(stored) && System.nanoTime() < deadline) {
        Thread.sleep(100);
        stored = stored(ack);
        output = FaultInjection.readCounts(out, "lines").keySet();
      }
      FaultInjection.kill(job);
      stored = stored(ack);
      Set<String> lost = new TreeSet<>(stored);
      lost.removeAll(output);
      assertThat(stored).as("records stored").hasSizeGreaterThan(100);
      assertThat(lost).as("stored records missing from the output (%d stored, %d sent) after faults %s; last log:%n%s",
          stored.size(), sent.get(), faults, FaultInjection.tail(tmp.resolve("log-" + CYCLES))).isEmpty();
      for (String line : output) {
        assertThat(Integer.parseInt(line.substring(1))).as("output line %s was sent", line).isLessThan(sent.get());
      }
    }
  }

  /** The lines acknowledged as stored; a line torn by a kill is ignored. */
  private static Set<String> stored(Path ack) throws IOException {
    Set<String> out = new TreeSet<>();
    if (Files.exists(ack)) {
      for (String line : Files.readAllLines(ack, StandardCharsets.UTF_8)) {
        if (line.length() == 9 && line.charAt(0) == 'r') {
          out.add(line);
        }
      }
    }
    return out;
  }

  /** Sends numbered lines to each connection in turn, about 4000 a second, while {@code sending}. */
  private static void serve(ServerSocket server, AtomicInteger sent, AtomicBoolean sending) {
    while (!server.isClosed()) {
      try (Socket s = server.accept(); OutputStream o = s.getOutputStream()) {
        while (true) {
          if (!sending.get()) {
            Thread.sleep(20);
            continue;
          }
          StringBuilder chunk = new StringBuilder();
          for (int i = 0; i < 20; i++) {
            chunk.append(String.format("r%08d%n", sent.getAndIncrement()));
          }
          o.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
          o.flush();
          Thread.sleep(5);
        }
      } catch (IOException e) {
        // the job died: wait for the next one
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
