package dev.millrace.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.internal.rdd.EmptyRDD;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.dstream.InputDStream;
import dev.millrace.streaming.scheduler.ReceiverInfo;
import dev.millrace.streaming.scheduler.StreamingListenerReceiverError;
import dev.millrace.streaming.scheduler.StreamingListenerReceiverStarted;
import dev.millrace.testkit.StreamingTestHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A source that reports itself as a receiver, as receiver-based streams do: started while the
 * context starts (so the UI must already listen then), failing in batch 2.
 */
class ReceiverEventsIT {
  static final class ReportingInputDStream extends InputDStream<String> {
    private static final long serialVersionUID = 1L;

    ReportingInputDStream(StreamingEngine ssc) {
      super(ssc, "reporting");
    }

    @Override
    public void start() {
      context().listenerBus().post(new StreamingListenerReceiverStarted(
          new ReceiverInfo(id(), "ReportingReceiver", true, "localhost", "driver")));
    }

    @Override
    public void stop() {}

    @Override
    protected RDD<String> compute(Time validTime) {
      if (validTime.milliseconds() == 2000) {
        context().listenerBus().post(new StreamingListenerReceiverError(new ReceiverInfo(id(), "ReportingReceiver",
            false, "localhost", "driver", "Connection <reset>", "java.io.IOException: Connection <reset>", 2000)));
      }
      reportInput(validTime, 0, Map.of());
      return new EmptyRDD<>(context().engine());
    }
  }

  @Test
  void receiverStatusAndLastError_showInRestAndPage() throws Exception {
    try (StreamingTestHarness h = StreamingTestHarness.builder(Durations.seconds(1)).set("spark.ui.port", "0").build()) {
      h.collect(new JavaDStream<>(new ReportingInputDStream(h.context().ssc())));
      h.runBatches(1);
      MillraceUi ui = MillraceUi.of(h.context().ssc()).orElseThrow();
      String base = "api/v1/applications/" + h.context().ssc().engine().conf().getAppId() + "/streaming/";
      assertThat(MiniJson.object(Http.get(ui.uri(), base + "receivers/0").body()))
          .containsEntry("streamName", "ReportingReceiver").containsEntry("isActive", true);
      assertThat(Http.get(ui.uri(), "streaming/").body()).contains("ReportingReceiver", "ACTIVE");

      h.runBatches(1);
      List<Object> receivers = MiniJson.array(Http.get(ui.uri(), base + "receivers").body());
      assertThat(receivers).hasSize(1);
      @SuppressWarnings("unchecked")
      Map<String, Object> r = (Map<String, Object>) receivers.get(0);
      assertThat(r).containsEntry("isActive", false).containsEntry("lastErrorMessage", "Connection <reset>")
          .containsEntry("lastErrorTime", "1970-01-01T00:00:02.000GMT");
      String page = Http.get(ui.uri(), "streaming/").body();
      assertThat(page).contains("INACTIVE", "Connection &lt;reset&gt;").doesNotContain("Connection <reset>");
      PrometheusText metrics = PrometheusText.parse(Http.get(ui.uri(), "metrics").body());
      assertThat(metrics.value("millrace_streaming_receivers{app=\"test\"}")).isEqualTo(1);
    }
  }
}
