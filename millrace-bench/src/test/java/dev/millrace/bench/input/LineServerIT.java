package dev.millrace.bench.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The generator over a real loopback socket. */
@Timeout(30)
class LineServerIT {
  private static final List<String> POOL = List.of("alpha beta", "gamma", "délta épsilon", "z");

  private static List<String> read(Socket s, int n) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    List<String> got = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      got.add(in.readLine());
    }
    return got;
  }

  @Test
  void unlimited_sendsThePoolRoundAndRound_eachLineNewlineTerminated() throws Exception {
    try (LineServer server = LineServer.start(POOL);
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      server.setRate(LineServer.UNLIMITED);
      List<String> got = read(s, 10);
      assertThat(got).containsExactly("alpha beta", "gamma", "délta épsilon", "z", "alpha beta", "gamma",
          "délta épsilon", "z", "alpha beta", "gamma");
      assertThat(server.linesSent()).isGreaterThanOrEqualTo(10);
    }
  }

  @Test
  void pausedServer_sendsNothingUntilGivenARate() throws Exception {
    try (LineServer server = LineServer.start(POOL);
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.setSoTimeout(200);
      assertThrows(java.net.SocketTimeoutException.class, () -> s.getInputStream().read());
      assertThat(server.linesSent()).isZero();
      server.setRate(1000);
      s.setSoTimeout(5000);
      assertThat(read(s, 3)).containsExactly("alpha beta", "gamma", "délta épsilon");
    }
  }

  @Test
  void pacedServer_sendsAboutTheRate() throws Exception {
    try (LineServer server = LineServer.start(POOL);
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      while (server.clients() == 0) {
        Thread.sleep(1);
      }
      long t0 = System.nanoTime();
      server.setRate(2000);
      read(s, 400); // due at 200 ms
      double ms = (System.nanoTime() - t0) / 1e6;
      // Not before its time (a 1 ms pacing tick of slack), and not absurdly late on a busy machine.
      assertThat(ms).isBetween(198.0, 5000.0);
    }
  }

  @Test
  void meanBytesPerLine_countsUtf8BytesAndTheNewline() throws Exception {
    try (LineServer server = LineServer.start(POOL)) {
      // 10 + 5 + 15 (two 2-byte letters) + 1 bytes, plus 4 newlines
      assertThat(server.meanBytesPerLine()).isEqualTo((10 + 5 + 15 + 1 + 4) / 4.0);
    }
  }

  @Test
  void poolLineWithATerminator_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> LineServer.start(List.of("a\nb")));
    assertThrows(IllegalArgumentException.class, () -> LineServer.start(List.of()));
  }

  @Test
  void standaloneMeasurements_reportPositiveRates() throws Exception {
    List<String> pool = ZipfLines.standard(1).lines(1000);
    assertThat(LineServer.measureNullSink(pool, 20)).isPositive();
    assertThat(LineServer.measureLoopback(pool, 10, 50)).isPositive();
  }
}
