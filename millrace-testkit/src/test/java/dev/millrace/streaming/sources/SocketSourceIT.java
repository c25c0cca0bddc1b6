package dev.millrace.streaming.sources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.Tuple2;
import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaReceiverInputDStream;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Socket sources against real TCP servers: lines, restarts on close and refusal, floods, bad bytes. */
class SocketSourceIT {
  private static final String HOST = "127.0.0.1";

  private static StreamingTestHarness harness(String... settings) {
    StreamingTestHarness.Builder b = StreamingTestHarness.builder(Durations.seconds(1))
        .set("millrace.streaming.receiverRestartDelay", "1s");
    for (int i = 0; i < settings.length; i += 2) {
      b.set(settings[i], settings[i + 1]);
    }
    return b.build();
  }

  private static long stored(StreamingTestHarness h, JavaReceiverInputDStream<?> in) {
    return h.context().ssc().receiverTracker().storedRecords(in.dstream().id());
  }

  @Test
  void socketTextStream_countsTheWordsOfTheLinesAServerSends_batchByBatch() throws Exception {
    try (TestServer server = new TestServer(); StreamingTestHarness h = harness()) {
      JavaReceiverInputDStream<String> lines = h.context().socketTextStream(HOST, server.port());
      BatchCollector<Tuple2<String, Long>> out = h.collect(
          lines.flatMap(l -> Arrays.asList(l.split("\\s+")).iterator()).countByValue());
      h.start();
      Socket conn = server.next();

      TestServer.send(conn, "to be or not\nto be\n");
      Await.until("two lines stored", () -> stored(h, lines) == 2);
      h.runBatches(1);
      TestServer.send(conn, "be quick\r\n");
      Await.until("three lines stored", () -> stored(h, lines) == 3);
      h.runBatches(2);

      assertThat(out.batch(1)).containsExactlyInAnyOrder(
          new Tuple2<>("to", 2L), new Tuple2<>("be", 2L), new Tuple2<>("or", 1L), new Tuple2<>("not", 1L));
      assertThat(out.batch(2)).containsExactlyInAnyOrder(new Tuple2<>("be", 1L), new Tuple2<>("quick", 1L));
      assertThat(out.batch(3)).isEmpty();
    }
  }

  @Test
  void closedConnection_isReported_andTheReceiverReconnectsAfterTheDelay_losingNothing() throws Exception {
    try (TestServer server = new TestServer(); StreamingTestHarness h = harness()) {
      EventLog log = new EventLog();
      h.context().addStreamingListener(log);
      JavaReceiverInputDStream<String> lines = h.context().socketTextStream(HOST, server.port());
      BatchCollector<String> out = h.collect(lines);
      h.start();

      Socket first = server.next();
      TestServer.send(first, "a b\nlast line without newline");
      first.close();
      Await.until("the closed connection reported", () -> !log.errors.isEmpty());
      Await.until("both lines stored", () -> stored(h, lines) == 2);
      h.runBatches(1);   // the clock moves 1 s: the receiver reconnects
      Socket second = server.next();
      TestServer.send(second, "c\n");
      Await.until("third line stored", () -> stored(h, lines) == 3);
      h.runBatches(1);

      assertThat(log.errorMessages().get(0)).isEqualTo("Socket data stream had no more data");
      assertThat(log.errors.get(0).name()).isEqualTo("SocketReceiver");
      assertThat(out.batch(1)).containsExactly("a b", "last line without newline");
      assertThat(out.batch(2)).containsExactly("c");
    }
  }

  @Test
  void refusedConnection_isReported_andRetriedAfterTheDelay() throws Exception {
    int port = TestServer.freePort();
    try (StreamingTestHarness h = harness()) {
      EventLog log = new EventLog();
      h.context().addStreamingListener(log);
      JavaReceiverInputDStream<String> lines = h.context().socketTextStream(HOST, port);
      BatchCollector<String> out = h.collect(lines);
      h.start();
      Await.until("the refusal reported", () -> !log.errors.isEmpty());

      try (TestServer server = new TestServer(port)) {
        h.runBatches(1);   // the clock moves 1 s: the receiver connects again
        Socket conn = server.next();
        TestServer.send(conn, "late\n");
        Await.until("line stored", () -> stored(h, lines) == 1);
        h.runBatches(1);

        assertThat(log.errorMessages().get(0)).isEqualTo("Error connecting to " + HOST + ":" + port);
        assertThat(log.errors.get(0).lastError()).contains("ConnectException");
        assertThat(out.batch(1)).isEmpty();
        assertThat(out.batch(2)).containsExactly("late");
      }
    }
  }

  @Test
  void aFloodingPeer_isHeldBackByMaxRate_andTheSocketIsNotReadAhead() throws Exception {
    try (TestServer server = new TestServer();
        StreamingTestHarness h = harness("millrace.streaming.receiver.maxRate", "1000")) {
      JavaReceiverInputDStream<String> lines = h.context().socketTextStream(HOST, server.port());
      BatchCollector<Long> counts = h.collect(lines.count());
      h.start();
      Socket conn = server.next();
      AtomicLong written = new AtomicLong();
      Thread flood = new Thread(() -> {
        byte[] line = ("x".repeat(99) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[line.length * 100];
        for (int i = 0; i < 100; i++) {
          System.arraycopy(line, 0, chunk, i * line.length, line.length);
        }
        try {
          OutputStream out = conn.getOutputStream();
          while (true) {
            out.write(chunk);
            written.addAndGet(chunk.length);
          }
        } catch (IOException closed) {
          // the test ended
        }
      });
      flood.setDaemon(true);
      flood.start();

      // With the clock standing still, one second of allowance plus the record due now pass.
      Await.until("1001 lines stored", () -> stored(h, lines) == 1001);
      // The writer fills the TCP buffers, then blocks for good: the receiver reads nothing more.
      long[] last = {-1};
      Await.until("the writer is blocked", () -> {
        long now = written.get();
        boolean still = now == last[0];
        last[0] = now;
        if (!still) {
          Await.holds("waiting", 100, () -> true);
        }
        return still;
      });
      long before = written.get();
      Await.holds("the receiver stays at 1001 lines and the writer stays blocked", 300,
          () -> stored(h, lines) == 1001 && written.get() == before);
      assertThat(before).isLessThan(64L << 20);

      h.runBatches(3);
      assertThat(counts.batches()).hasSize(3);
      long total = 0;
      for (List<Long> b : counts.batches()) {
        assertThat(b.get(0)).isLessThanOrEqualTo(2001L);
        total += b.get(0);
      }
      assertThat(total).isLessThanOrEqualTo(1001 + 3 * 1000L + 3);
      assertThat(total).isGreaterThanOrEqualTo(1001L);
    }
  }

  @Test
  void invalidUtf8_becomesReplacementCharacters_andTheOtherLinesAreKept() throws Exception {
    try (TestServer server = new TestServer(); StreamingTestHarness h = harness()) {
      JavaReceiverInputDStream<String> lines = h.context().socketTextStream(HOST, server.port());
      BatchCollector<String> out = h.collect(lines);
      h.start();
      Socket conn = server.next();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      bytes.write("caf\u00e9 ok\n".getBytes(StandardCharsets.UTF_8));
      bytes.write(new byte[] {'b', 'a', 'd', ' ', (byte) 0xFF, (byte) 0xFE, ' ', 'e', 'n', 'd', '\n'});
      bytes.write(new byte[] {(byte) 0xC3, '\n'});
      bytes.write("fine\n".getBytes(StandardCharsets.UTF_8));
      TestServer.send(conn, bytes.toByteArray());
      Await.until("four lines stored", () -> stored(h, lines) == 4);
      h.runBatches(1);

      assertThat(out.batch(1)).containsExactly("caf\u00e9 ok", "bad \uFFFD\uFFFD end", "\uFFFD", "fine");
    }
  }

  @Test
  void aLineLongerThanTheLimit_isReportedWithTheStream_andSkipped_andTheOtherLinesAreKept() throws Exception {
    try (TestServer server = new TestServer();
        StreamingTestHarness h = harness("millrace.streaming.maxLineLength", "100")) {
      EventLog log = new EventLog();
      h.context().addStreamingListener(log);
      JavaReceiverInputDStream<String> lines = h.context().socketTextStream(HOST, server.port());
      BatchCollector<String> out = h.collect(lines);
      h.start();
      Socket conn = server.next();
      String atLimit = "z".repeat(100);
      String multiByteAtLimit = "\u00e9".repeat(100);
      TestServer.send(conn, "first\n" + "y".repeat(5000) + "\n" + atLimit + "\n" + multiByteAtLimit + "\n"
          + "\u00e9".repeat(101) + "\nlast\n");
      Await.until("four lines stored", () -> stored(h, lines) == 4);
      h.runBatches(1);
      Await.until("two reports", () -> log.errors.size() == 2);

      assertThat(out.batch(1)).containsExactly("first", atLimit, multiByteAtLimit, "last");
      assertThat(log.errorMessages().get(0))
          .contains("stream " + lines.dstream().id())
          .contains("socketTextStream " + HOST + ":" + server.port())
          .contains("skipped a line of 5000 bytes at byte 6")
          .contains("millrace.streaming.maxLineLength = 100");
      assertThat(log.errorMessages().get(1)).contains("skipped a line of 202 bytes");
    }
  }

  @Test
  void rawSocketStream_storesEachLengthPrefixedFrameAsOneBlock_andSkipsAFrameThatIsNotRecords() throws Exception {
    try (TestServer server = new TestServer(); StreamingTestHarness h = harness()) {
      EventLog log = new EventLog();
      h.context().addStreamingListener(log);
      JavaReceiverInputDStream<String> in = h.context().rawSocketStream(HOST, server.port());
      BatchCollector<List<String>> blocks = h.collect(in.glom());
      h.start();
      Socket conn = server.next();
      DataOutputStream out = new DataOutputStream(conn.getOutputStream());
      writeFrame(out, serialized("a", "b"));
      writeFrame(out, new byte[] {1, 2, 3});
      writeFrame(out, serialized("c"));
      out.flush();
      Await.until("three records stored", () -> stored(h, in) == 3);
      h.runBatches(1);

      assertThat(blocks.batch(1)).containsExactly(List.of("a", "b"), List.of("c"));
      assertThat(log.errorMessages()).hasSize(1);
      assertThat(log.errorMessages().get(0)).contains("Skipped a frame of 3 bytes");
    }
  }

  @Test
  void socketStream_convertsTheBytesWithTheUsersConverter() throws Exception {
    try (TestServer server = new TestServer(); StreamingTestHarness h = harness()) {
      JavaReceiverInputDStream<Integer> in = h.context().socketStream(HOST, server.port(),
          stream -> () -> new Iterator<Integer>() {
            private final DataInputStream data = new DataInputStream(stream);
            private Integer next;

            @Override
            public boolean hasNext() {
              if (next == null) {
                try {
                  next = data.readInt();
                } catch (EOFException end) {
                  return false;
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
              return true;
            }

            @Override
            public Integer next() {
              if (!hasNext()) {
                throw new NoSuchElementException();
              }
              Integer n = next;
              next = null;
              return n;
            }
          }, StorageLevel.MEMORY_AND_DISK_SER_2());
      BatchCollector<Integer> out = h.collect(in);
      h.start();
      Socket conn = server.next();
      DataOutputStream data = new DataOutputStream(conn.getOutputStream());
      data.writeInt(7);
      data.writeInt(-1);
      data.writeInt(42);
      data.flush();
      Await.until("three ints stored", () -> stored(h, in) == 3);
      h.runBatches(1);
      assertThat(out.batch(1)).containsExactly(7, -1, 42);
    }
  }

  @Test
  void gracefulStop_processesEveryLineTheReceiverStored() throws Exception {
    try (TestServer server = new TestServer()) {
      StreamingTestHarness h = harness("millrace.streaming.gracefulStopTimeout", "30s");
      JavaReceiverInputDStream<String> lines = h.context().socketTextStream(HOST, server.port());
      BatchCollector<String> out = h.collect(lines);
      h.start();
      Socket conn = server.next();
      StringBuilder text = new StringBuilder();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 5000; i++) {
        text.append("line ").append(i).append('\n');
        expected.add("line " + i);
      }
      TestServer.send(conn, text.toString());
      Await.until("all lines stored", () -> stored(h, lines) == 5000);

      Thread stopper = new Thread(() -> h.context().stop(true, true));
      stopper.start();
      while (stopper.isAlive()) {
        h.clock().advance(1000);
        stopper.join(20);
      }
      assertThat(out.all()).isEqualTo(expected);
    }
  }

  private static byte[] serialized(String... records) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
      for (String r : records) {
        o.writeObject(r);
      }
    }
    return bytes.toByteArray();
  }

  private static void writeFrame(DataOutputStream out, byte[] frame) throws IOException {
    out.writeInt(frame.length);
    out.write(frame);
  }
}
