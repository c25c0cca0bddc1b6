package dev.millrace.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.streaming.Time;
import dev.millrace.streaming.scheduler.BatchInfo;
import dev.millrace.streaming.scheduler.ReceiverInfo;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import dev.millrace.streaming.scheduler.StreamingListenerBatchSubmitted;
import dev.millrace.streaming.scheduler.StreamingListenerReceiverError;
import dev.millrace.streaming.scheduler.StreamingListenerReceiverStarted;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Receiver JSON from listener events (no receiver source exists in core yet, so events are posted directly). */
class ReceiverJsonTest {
  private final StreamingProgress progress = new StreamingProgress(2000, 10);
  private final RestApi api = new RestApi(new RestApi.AppInfo("app-1", "demo", "me", 0, "v"), progress);

  private void batch(long time, int streamId, long records) {
    BatchInfo info = new BatchInfo(new Time(time), Map.of(streamId, new StreamInputInfo(streamId, records)), time,
        Optional.of(time), Optional.of(time + 100), Map.of());
    progress.onBatchSubmitted(new StreamingListenerBatchSubmitted(info));
    progress.onBatchCompleted(new StreamingListenerBatchCompleted(info));
  }

  @Test
  void activeReceiver_withRatesAndNoError() {
    progress.onReceiverStarted(new StreamingListenerReceiverStarted(
        new ReceiverInfo(0, "SocketReceiver", true, "localhost", "driver")));
    batch(2000, 0, 100);
    batch(4000, 0, 300);
    Map<String, Object> r = MiniJson.object(api.handle("applications/app-1/streaming/receivers/0", Map.of()).body());
    assertThat(r.keySet()).containsExactly("streamId", "streamName", "isActive", "executorId", "executorHost",
        "avgEventRate", "eventRates");
    assertThat(r).containsEntry("streamName", "SocketReceiver").containsEntry("isActive", true)
        .containsEntry("executorId", "driver").containsEntry("executorHost", "localhost");
    // 100 and 300 records over 2 s batches: 50/s and 150/s, average 100/s
    assertThat(((BigDecimal) r.get("avgEventRate")).doubleValue()).isEqualTo(100.0);
    assertThat(r.get("eventRates")).isEqualTo(List.of(
        List.of(new BigDecimal("2000"), new BigDecimal("50.0")), List.of(new BigDecimal("4000"), new BigDecimal("150.0"))));
  }

  @Test
  void failedReceiver_showsLastError() {
    progress.onReceiverError(new StreamingListenerReceiverError(new ReceiverInfo(3, "KafkaReceiver", false,
        "localhost", "driver", "Connection refused", "java.net.ConnectException: Connection refused\n\tat x", 5000)));
    String body = api.handle("applications/app-1/streaming/receivers", Map.of()).body();
    Map<String, Object> r = MiniJson.object(body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1));
    assertThat(r).containsEntry("isActive", false).containsEntry("lastErrorTime", "1970-01-01T00:00:05.000GMT")
        .containsEntry("lastErrorMessage", "Connection refused")
        .containsEntry("lastError", "java.net.ConnectException: Connection refused\n\tat x")
        .doesNotContainKey("avgEventRate");
    Map<String, Object> stats = MiniJson.object(api.handle("applications/app-1/streaming/statistics", Map.of()).body());
    assertThat(stats).containsEntry("numReceivers", BigDecimal.ONE).containsEntry("numActiveReceivers", BigDecimal.ZERO)
        .containsEntry("numInactiveReceivers", BigDecimal.ONE).doesNotContainKey("startTime");
  }

  @Test
  void retainsOnlyTheConfiguredNumberOfCompletedBatches() {
    for (int i = 1; i <= 15; i++) {
      batch(i * 2000L, 0, i);
    }
    Map<String, Object> stats = MiniJson.object(api.handle("applications/app-1/streaming/statistics", Map.of()).body());
    assertThat(stats).containsEntry("numTotalCompletedBatches", new BigDecimal(15))
        .containsEntry("numRetainedCompletedBatches", new BigDecimal(10))
        .containsEntry("numProcessedRecords", new BigDecimal(120));
    assertThat(api.handle("applications/app-1/streaming/batches/10000", Map.of()).status()).isEqualTo(404);
    assertThat(api.handle("applications/app-1/streaming/batches/12000", Map.of()).status()).isEqualTo(200);
  }

  @Test
  void jsonEscapesTextSoItParsesBack() {
    String nasty = "quote \" backslash \\ newline \n tab \t <script> \u0001 é";
    progress.onReceiverError(new StreamingListenerReceiverError(
        new ReceiverInfo(1, nasty, false, "h", "driver", nasty, nasty, 1)));
    Map<String, Object> r = MiniJson.object(api.handle("applications/app-1/streaming/receivers/1", Map.of()).body());
    assertThat(r).containsEntry("streamName", nasty).containsEntry("lastError", nasty);
  }
}
