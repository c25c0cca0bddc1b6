package dev.millrace.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.testkit.StreamingTestHarness;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST API of a job that ran three one-second batches of 3, 0 and 5 records with two output
 * operations, the second failing in batch 3. Under the manual clock nothing takes time, so every
 * delay is 0 and every time is a multiple of 1000 ms after the epoch.
 */
class RestApiIT {
  private static StreamingTestHarness harness;
  private static URI ui;
  private static String appId;
  private static String streamingApi;

  @BeforeAll
  static void runJob() {
    harness = StreamingTestHarness.builder(Durations.seconds(1)).set("spark.ui.port", "0").build();
    JavaDStream<String> in = harness.input(List.of(List.of("a", "b", "c"), List.of(), List.of("d", "e", "f", "g", "h")));
    harness.collect(in);
    in.foreachRDD((rdd, time) -> {
      if (time.milliseconds() == 3000) {
        throw new IllegalStateException("boom in batch 3");
      }
    });
    harness.runBatches(2);
    assertThrows(RuntimeException.class, () -> harness.runBatches(1));
    ui = MillraceUi.of(harness.context().ssc()).orElseThrow().uri();
    appId = harness.context().ssc().engine().conf().getAppId();
    streamingApi = "api/v1/applications/" + appId + "/streaming/";
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static Object json(String path) throws Exception {
    Http.Reply r = Http.get(ui, path);
    assertThat(r.status()).as(path).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    return MiniJson.parse(r.body());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> obj(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  private static BigDecimal n(long v) {
    return BigDecimal.valueOf(v);
  }

  @Test
  void applications_listsThisApplication() throws Exception {
    List<Object> apps = list(json("api/v1/applications"));
    assertThat(apps).hasSize(1);
    Map<String, Object> app = obj(apps.get(0));
    assertThat(app).containsKeys("id", "name", "attempts").containsEntry("id", appId).containsEntry("name", "test");
    assertThat(appId).as("Spark's local application id").matches("local-\\d{13}");
    Map<String, Object> attempt = obj(list(app.get("attempts")).get(0));
    assertThat(attempt).containsKeys("startTime", "endTime", "lastUpdated", "duration", "sparkUser", "completed",
        "appSparkVersion", "startTimeEpoch", "endTimeEpoch", "lastUpdatedEpoch").containsEntry("completed", false);
    assertThat((String) attempt.get("startTime")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}GMT");
  }

  @Test
  void statistics_hasSparkFieldsAndValues() throws Exception {
    Map<String, Object> s = obj(json(streamingApi + "statistics"));
    assertThat(s.keySet()).containsExactly("startTime", "batchDuration", "numReceivers", "numActiveReceivers",
        "numInactiveReceivers", "numTotalCompletedBatches", "numRetainedCompletedBatches", "numActiveBatches",
        "numProcessedRecords", "numReceivedRecords", "avgInputRate", "avgSchedulingDelay", "avgProcessingTime",
        "avgTotalDelay");
    assertThat(s).containsEntry("startTime", "1970-01-01T00:00:00.000GMT")
        .containsEntry("batchDuration", n(1000)).containsEntry("numReceivers", n(0))
        .containsEntry("numTotalCompletedBatches", n(3)).containsEntry("numRetainedCompletedBatches", n(3))
        .containsEntry("numActiveBatches", n(0)).containsEntry("numProcessedRecords", n(8))
        .containsEntry("numReceivedRecords", n(8)).containsEntry("avgSchedulingDelay", n(0))
        .containsEntry("avgProcessingTime", n(0)).containsEntry("avgTotalDelay", n(0));
    // (3 + 0 + 5) records over three 1 s batches
    assertThat(((BigDecimal) s.get("avgInputRate")).doubleValue()).isCloseTo(8 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void batches_newestFirst_withSparkFields() throws Exception {
    List<Object> batches = list(json(streamingApi + "batches"));
    assertThat(batches).extracting(b -> obj(b).get("batchId")).containsExactly(n(3000), n(2000), n(1000));
    Map<String, Object> third = obj(batches.get(0));
    assertThat(third.keySet()).containsExactly("batchId", "batchTime", "status", "batchDuration", "inputSize",
        "schedulingDelay", "processingTime", "totalDelay", "numActiveOutputOps", "numCompletedOutputOps",
        "numFailedOutputOps", "numTotalOutputOps", "firstFailureReason");
    assertThat(third).containsEntry("batchTime", "1970-01-01T00:00:03.000GMT").containsEntry("status", "COMPLETED")
        .containsEntry("batchDuration", n(1000)).containsEntry("inputSize", n(5))
        .containsEntry("numActiveOutputOps", n(0)).containsEntry("numCompletedOutputOps", n(1))
        .containsEntry("numFailedOutputOps", n(1)).containsEntry("numTotalOutputOps", n(2));
    assertThat((String) third.get("firstFailureReason")).contains("boom in batch 3");
    Map<String, Object> first = obj(batches.get(2));
    assertThat(first).doesNotContainKey("firstFailureReason").containsEntry("inputSize", n(3))
        .containsEntry("numCompletedOutputOps", n(2)).containsEntry("numFailedOutputOps", n(0));
  }

  @Test
  void batches_filterByStatus() throws Exception {
    assertThat(list(json(streamingApi + "batches?status=QUEUED&status=PROCESSING"))).isEmpty();
    assertThat(list(json(streamingApi + "batches?status=COMPLETED"))).hasSize(3);
    assertThat(Http.get(ui, streamingApi + "batches?status=SLEEPING").status()).isEqualTo(400);
  }

  @Test
  void oneBatch_andItsOperations() throws Exception {
    assertThat(obj(json(streamingApi + "batches/2000"))).containsEntry("inputSize", n(0)).containsEntry("batchId", n(2000));
    List<Object> ops = list(json(streamingApi + "batches/3000/operations"));
    assertThat(ops).hasSize(2);
    Map<String, Object> collect = obj(ops.get(0));
    assertThat(collect.keySet()).containsExactly("outputOpId", "name", "description", "startTime", "endTime",
        "duration", "jobIds");
    // Spark's names: the short call site (API method at the user's file:line); the long one as description
    assertThat(collect).containsEntry("outputOpId", n(0)).containsEntry("name", "collect at RestApiIT.java:32")
        .containsEntry("startTime", "1970-01-01T00:00:03.000GMT").containsEntry("duration", n(0));
    Map<String, Object> failed = obj(json(streamingApi + "batches/3000/operations/1"));
    assertThat(failed).containsEntry("outputOpId", n(1)).containsEntry("name", "foreachRDD at RestApiIT.java:33");
    assertThat((String) failed.get("failureReason")).contains("boom in batch 3");
    assertThat((String) failed.get("description"))
        .startsWith("dev.millrace.streaming.api.java.JavaDStreamLike.foreachRDD(")
        .contains("\ndev.millrace.ui.RestApiIT.runJob(RestApiIT.java:33)");
  }

  @Test
  void unknownIds_are404WithSparkMessages() throws Exception {
    assertThat(Http.get(ui, streamingApi + "batches/999")).extracting(Http.Reply::status, Http.Reply::body)
        .containsExactly(404, "unknown batch: 999\n");
    assertThat(Http.get(ui, streamingApi + "batches/3000/operations/7").body()).isEqualTo("unknown output operation: 7\n");
    assertThat(Http.get(ui, streamingApi + "receivers/0").body()).isEqualTo("unknown receiver: 0\n");
    assertThat(Http.get(ui, "api/v1/applications/other/streaming/statistics").body()).isEqualTo("unknown app: other\n");
    assertThat(list(json(streamingApi + "receivers"))).isEmpty();
  }
}
