package dev.millrace.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.testkit.StreamingTestHarness;
import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /metrics and JMX of a job that ran batches of 4, 2 and 6 records (2 s interval, manual clock). */
class MetricsIT {
  private static StreamingTestHarness harness;
  private static MillraceUi ui;

  @BeforeAll
  static void runJob() {
    harness = StreamingTestHarness.builder(Durations.seconds(2)).set("spark.ui.port", "0")
        .set("spark.app.name", "metrics \"demo\"").build();
    JavaDStream<Integer> in = harness.input(List.of(List.of(1, 2, 3, 4), List.of(5, 6), List.of(1, 2, 3, 4, 5, 6)));
    harness.collect(in.map(x -> x * 2));
    harness.runBatches(3);
    ui = MillraceUi.of(harness.context().ssc()).orElseThrow();
    // The UI hears of batches on the listener thread, after runBatches saw them complete.
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    long deadline = System.nanoTime() + 30_000_000_000L;
    try {
      while (!Long.valueOf(3).equals(server.getAttribute(ui.jmxName().orElseThrow(), "totalCompletedBatches"))
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
    } catch (javax.management.JMException e) {
      throw new AssertionError(e);
    }
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void metrics_parseStrictly_andCarrySparkGaugeNames() throws Exception {
    Http.Reply reply = Http.get(ui.uri(), "metrics");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("text/plain; version=0.0.4");
    PrometheusText m = PrometheusText.parse(reply.body());
    String app = "{app=\"metrics \"demo\"\"}";
    String p = "millrace_streaming_";
    assertThat(m.value(p + "receivers" + app)).isEqualTo(0);
    assertThat(m.value(p + "totalCompletedBatches" + app)).isEqualTo(3);
    assertThat(m.value(p + "totalReceivedRecords" + app)).isEqualTo(12);
    assertThat(m.value(p + "totalProcessedRecords" + app)).isEqualTo(12);
    assertThat(m.value(p + "unprocessedBatches" + app)).isEqualTo(0);
    assertThat(m.value(p + "waitingBatches" + app)).isEqualTo(0);
    assertThat(m.value(p + "runningBatches" + app)).isEqualTo(0);
    assertThat(m.value(p + "retainedCompletedBatches" + app)).isEqualTo(3);
    assertThat(m.value(p + "lastCompletedBatch_submissionTime" + app)).isEqualTo(6000);
    assertThat(m.value(p + "lastCompletedBatch_processingStartTime" + app)).isEqualTo(6000);
    assertThat(m.value(p + "lastCompletedBatch_processingEndTime" + app)).isEqualTo(6000);
    assertThat(m.value(p + "lastCompletedBatch_processingDelay" + app)).isEqualTo(0);
    assertThat(m.value(p + "lastCompletedBatch_schedulingDelay" + app)).isEqualTo(0);
    assertThat(m.value(p + "lastCompletedBatch_totalDelay" + app)).isEqualTo(0);
    assertThat(m.value(p + "lastReceivedBatch_submissionTime" + app)).isEqualTo(6000);
    assertThat(m.value(p + "lastReceivedBatch_records" + app)).isEqualTo(6);
    String stream = "{app=\"metrics \"demo\"\",stream_id=\"0\",stream_name=\"scriptedInput\"}";
    // 6 records in the last 2 s batch
    assertThat(m.value(p + "stream_inputRate" + stream)).isEqualTo(3.0);
    assertThat(m.value(p + "stream_lastBatchRecords" + stream)).isEqualTo(6);
    assertThat(m.value(p + "stream_retainedRecords" + stream)).isEqualTo(12);
    assertThat(m.types).containsEntry(p + "totalDelay".replace("totalDelay", "lastCompletedBatch_totalDelay"), "gauge");
    assertThat(m.help).containsKey(p + "waitingBatches");
  }

  @Test
  void jmx_exposesTheSameGauges() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = ui.jmxName().orElseThrow();
    assertThat(name.getDomain()).isEqualTo("dev.millrace");
    assertThat(server.getAttribute(name, "totalCompletedBatches")).isEqualTo(3L);
    assertThat(server.getAttribute(name, "lastReceivedBatch_records")).isEqualTo(6L);
    assertThat(server.getMBeanInfo(name).getAttributes()).extracting(a -> a.getName())
        .contains("receivers", "unprocessedBatches", "lastCompletedBatch_processingDelay");
  }

  @Test
  void strictParser_rejectsMalformedText() {
    for (String bad : List.of("bad-name 1\n", "x{a=b} 1\n", "x 1", "x{a=\"\\q\"} 1\n", "x 1\nx 2\n",
        "x 1\n# TYPE x gauge\n", "x{1a=\"v\"} 1\n", "x one\n")) {
      org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> PrometheusText.parse(bad), bad);
    }
  }
}
