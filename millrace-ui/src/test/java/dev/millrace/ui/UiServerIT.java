package dev.millrace.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.internal.config.ConfigKeys;
import dev.millrace.streaming.Durations;
import dev.millrace.testkit.StreamingTestHarness;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the UI listens and what it refuses to serve. */
class UiServerIT {
  private static StreamingTestHarness started(String... settings) {
    StreamingTestHarness.Builder b = StreamingTestHarness.builder(Durations.seconds(1));
    for (int i = 0; i < settings.length; i += 2) {
      b.set(settings[i], settings[i + 1]);
    }
    StreamingTestHarness h = b.build();
    h.collect(h.input(List.of(List.of("x"))));
    h.runBatches(1);
    return h;
  }

  @Test
  void defaults_areLoopbackAndPort4040() {
    assertThat(ConfigKeys.UI_HOST.defaultValue()).isEqualTo("127.0.0.1");
    assertThat(ConfigKeys.UI_PORT.defaultValue()).isEqualTo(4040);
    assertThat(ConfigKeys.UI_ENABLED.defaultValue()).isTrue();
  }

  @Test
  void listensOnLoopbackByDefault() throws Exception {
    try (StreamingTestHarness h = started("spark.ui.port", "0")) {
      MillraceUi ui = MillraceUi.of(h.context().ssc()).orElseThrow();
      assertThat(ui.address().getAddress().isLoopbackAddress()).isTrue();
      assertThat(ui.uri().toString()).startsWith("http://127.0.0.1:");
      assertThat(Http.get(ui.uri(), "streaming/").status()).isEqualTo(200);
      // not reachable through any non-loopback address of this machine
      for (InetAddress a : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
          .flatMap(n -> java.util.Collections.list(n.getInetAddresses()).stream())
          .filter(a -> !a.isLoopbackAddress()).toList()) {
        try (java.net.Socket s = new java.net.Socket()) {
          s.connect(new InetSocketAddress(a, ui.port()), 2000);
          throw new AssertionError("UI answered on " + a);
        } catch (java.io.IOException expected) {
          // refused: good
        }
      }
    }
  }

  @Test
  void serverThreads_areDaemons_soTheUiNeverKeepsTheJvmAlive() {
    try (StreamingTestHarness h = started("spark.ui.port", "0")) {
      assertThat(h.context().getState()).isEqualTo(dev.millrace.streaming.StreamingContextState.ACTIVE);
      List<Thread> http = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("HTTP-Dispatcher") || t.getName().contains("ui-http")).toList();
      assertThat(http).isNotEmpty().allSatisfy(t -> assertThat(t.isDaemon()).as(t.getName()).isTrue());
    }
  }

  @Test
  void takenPort_movesToTheNextFreeOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      try (StreamingTestHarness h = started("spark.ui.port", Integer.toString(port))) {
        int actual = MillraceUi.of(h.context().ssc()).orElseThrow().port();
        assertThat(actual).isGreaterThan(port).isLessThanOrEqualTo(port + 16);
      }
    }
  }

  @Test
  void disabled_startsNoUi() {
    try (StreamingTestHarness h = started("spark.ui.enabled", "false")) {
      assertThat(MillraceUi.of(h.context().ssc())).isEmpty();
    }
  }

  @Test
  void stoppingTheContext_stopsTheUi() throws Exception {
    StreamingTestHarness h = started("spark.ui.port", "0");
    MillraceUi ui = MillraceUi.of(h.context().ssc()).orElseThrow();
    h.close();
    assertThat(MillraceUi.of(h.context().ssc())).isEmpty();
    org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> Http.get(ui.uri(), "streaming/"));
  }

  @Test
  void servesOnlyItsRoutesAndAssets() throws Exception {
    try (StreamingTestHarness h = started("spark.ui.port", "0")) {
      MillraceUi ui = MillraceUi.of(h.context().ssc()).orElseThrow();
      InetSocketAddress at = ui.address();
      assertThat(Http.raw(at, "GET", "/static/uPlot.iife.min.js").status()).isEqualTo(200);
      assertThat(Http.raw(at, "GET", "/static/millrace-ui.js").body()).contains("millraceCharts");
      for (String path : List.of(
          "/static/../../../../etc/passwd",
          "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
          "/static/..%2f..%2f..%2fetc%2fpasswd",
          "/static/%252e%252e/etc/passwd",
          "/../../etc/passwd",
          "//etc/passwd",
          "/static/",
          "/static",
          "/static/uPlot.iife.js",
          "/static/./millrace-ui.js",
          "/static//millrace-ui.js",
          "/static/millrace-ui.js/",
          "/static/MILLRACE-UI.JS",
          "/dev/millrace/ui/static/millrace-ui.js",
          "/dev/millrace/ui/MillraceUi.class",
          "/META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
          "/META-INF/maven/org.webjars.npm/uplot/pom.properties",
          "/streaming/../../etc/passwd",
          "/file:/etc/passwd",
          "/static/millrace-ui.js%00.png")) {
        Http.Reply r = Http.raw(at, "GET", path);
        assertThat(r.status()).as(path).isIn(400, 404);
        assertThat(r.body()).as(path).doesNotContain("root:").doesNotContain("uPlot").doesNotContain("millraceCharts");
      }
      assertThat(Http.raw(at, "POST", "/streaming/").status()).isEqualTo(405);
      assertThat(Http.raw(at, "DELETE", "/api/v1/applications").status()).isEqualTo(405);
    }
  }

  @Test
  void pagesRenderWithoutJavaScript() throws Exception {
    try (StreamingTestHarness h = started("spark.ui.port", "0", "spark.streaming.backpressure.enabled", "true")) {
      MillraceUi ui = MillraceUi.of(h.context().ssc()).orElseThrow();
      String streaming = Http.get(ui.uri(), "streaming/").body();
      assertThat(streaming).contains("Streaming Statistics", "Input Rate", "Scheduling Delay", "Processing Time",
          "Total Delay", "/streaming/batch?id=1000", "1 records", "No receivers");
      String batches = Http.get(ui.uri(), "streaming/batches").body();
      assertThat(batches).contains("1 retained of 1 completed batches", "/streaming/batch?id=1000");
      String batch = Http.get(ui.uri(), "streaming/batch?id=1000").body();
      assertThat(batch).contains("Input per stream", "scriptedInput", "Output operations", "collect", "succeeded");
      assertThat(Http.get(ui.uri(), "streaming/batch?id=5").status()).isEqualTo(404);
      assertThat(Http.get(ui.uri(), "streaming/batch?id=abc").status()).isEqualTo(404);
      String env = Http.get(ui.uri(), "environment/").body();
      for (var key : ConfigKeys.all()) {
        assertThat(env).contains(key.name(), Pages.esc(key.description()));
      }
      assertThat(env).contains("millrace.streaming.backpressure.enabled</code></td><td><code>"
          + "spark.streaming.backpressure.enabled</code></td><td>true</td>");
    }
  }
}
