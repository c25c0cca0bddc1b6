package dev.millrace.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.Tuple2;
import dev.millrace.api.java.Optional;
import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.State;
import dev.millrace.streaming.StateSpec;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.receiver.Receiver;
import dev.millrace.testkit.StreamingTestHarness;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-operator state size and per-stream lag in /metrics and JMX. */
class StateAndLagMetricsIT {
  @TempDir Path checkpoints;

  private static Map<String, Double> family(PrometheusText m, String name) {
    Map<String, Double> out = new TreeMap<>();
    m.samples.forEach((k, v) -> {
      if (k.startsWith(name + "{")) {
        out.put(k, v);
      }
    });
    return out;
  }

  @Test
  void stateSize_countsTheKeysEachStatefulOperatorHolds() throws Exception {
    try (StreamingTestHarness h = StreamingTestHarness.builder(Durations.seconds(1)).set("spark.ui.port", "0")
        .set("spark.app.name", "state").build()) {
      h.context().checkpoint(checkpoints.toString());
      JavaPairDStream<String, Integer> words = h.pairInput(List.of(
          List.of(new Tuple2<>("a", 1), new Tuple2<>("b", 1), new Tuple2<>("a", 1)),
          List.of(new Tuple2<>("c", 1)),
          List.of(new Tuple2<>("a", 1))));
      JavaPairDStream<String, Integer> totals = words.updateStateByKey(
          (List<Integer> values, Optional<Integer> state) -> {
            int sum = state.orElse(0);
            for (int v : values) {
              sum += v;
            }
            return Optional.of(sum);
          });
      h.collect(totals);
      h.collect(words.mapWithState(StateSpec.function((String k, Optional<Integer> v, State<Integer> s) -> {
        s.update((s.exists() ? s.get() : 0) + v.orElse(0));
        return k;
      })));
      h.collect(words.reduceByKeyAndWindow(Integer::sum, (x, y) -> x - y, Durations.seconds(2), Durations.seconds(1),
          2, t -> t._2() > 0));
      h.runBatches(3);
      MillraceUi ui = MillraceUi.of(h.context().ssc()).orElseThrow();

      PrometheusText m = PrometheusText.parse(Http.get(ui.uri(), "metrics").body());
      Map<String, Double> sizes = family(m, "millrace_streaming_operator_stateSize");
      // a, b and c were seen: three keys in both state operators; the window of the last two
      // batches holds c and a (b's count fell to 0 and was filtered out)
      assertThat(sizes).hasSize(3);
      assertThat(sizes).anySatisfy((k, v) -> {
        assertThat(k).contains("operator_id=\"updateStateByKey-0\"", "operator=\"updateStateByKey\"")
            .containsPattern("call_site=\"updateStateByKey at StateAndLagMetricsIT\\.java:\\d+\"");
        assertThat(v).isEqualTo(3.0);
      });
      assertThat(sizes).anySatisfy((k, v) -> {
        assertThat(k).contains("operator_id=\"mapWithState-0\"", "operator=\"mapWithState\"");
        assertThat(v).isEqualTo(3.0);
      });
      assertThat(sizes).anySatisfy((k, v) -> {
        assertThat(k).contains("operator_id=\"reduceByKeyAndWindow-0\"");
        assertThat(v).isEqualTo(2.0);
      });
      assertThat(m.types).containsEntry("millrace_streaming_operator_stateSize", "gauge");

      // the streaming page lists them too
      String page = Http.get(ui.uri(), "streaming/").body();
      assertThat(page).contains("<table id=\"operator-state\">", "updateStateByKey-0", "<td class=\"keys\">3</td>",
          "<td class=\"keys\">2</td>").containsPattern("updateStateByKey at StateAndLagMetricsIT\\.java:\\d+");

      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      ObjectName name = ui.jmxName().orElseThrow();
      assertThat(server.getAttribute(name, "operator_updateStateByKey-0_stateSize")).isEqualTo(3L);
      assertThat(server.getMBeanInfo(name).getAttributes()).extracting(a -> a.getName())
          .contains("operator_mapWithState-0_stateSize", "operator_reduceByKeyAndWindow-0_stateSize");
    }
  }

  /** Stores five records as soon as it starts. */
  static final class FiveRecords extends Receiver<String> {
    private static final long serialVersionUID = 1L;

    FiveRecords() {
      super(StorageLevel.MEMORY_ONLY());
    }

    @Override
    public void onStart() {
      for (int i = 0; i < 5; i++) {
        store("r" + i);
      }
    }

    @Override
    public void onStop() {}
  }

  @Test
  void receiverLag_isTheRecordsStoredButNotYetInABatch() throws Exception {
    try (StreamingTestHarness h = StreamingTestHarness.builder(Durations.seconds(1)).set("spark.ui.port", "0")
        .set("spark.app.name", "lag").build()) {
      h.collect(h.context().receiverStream(new FiveRecords()));
      h.collect(h.input(List.of(List.of(1))));
      h.start();
      MillraceUi ui = MillraceUi.of(h.context().ssc()).orElseThrow();
      String lag = "millrace_streaming_stream_lag{app=\"lag\",stream_id=\"0\",stream_name=\"receiverStream\"}";
      long deadline = System.nanoTime() + 30_000_000_000L;
      PrometheusText m = PrometheusText.parse(Http.get(ui.uri(), "metrics").body());
      while (m.samples.getOrDefault(lag, 0.0) < 5 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        m = PrometheusText.parse(Http.get(ui.uri(), "metrics").body());
      }
      assertThat(m.samples).containsEntry(lag, 5.0);
      // the scripted queue input cannot tell its lag: no sample for it
      assertThat(family(m, "millrace_streaming_stream_lag")).hasSize(1);
      assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(ui.jmxName().orElseThrow(), "stream_0_lag"))
          .isEqualTo(5L);

      // the receivers table shows it once the UI has heard the receiver started (listener thread)
      String page = Http.get(ui.uri(), "streaming/").body();
      while (!page.contains("<table id=\"receivers\">") && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        page = Http.get(ui.uri(), "streaming/").body();
      }
      assertThat(page).contains("<td class=\"lag\">5</td>");

      h.runBatches(1);
      m = PrometheusText.parse(Http.get(ui.uri(), "metrics").body());
      assertThat(m.samples).containsEntry(lag, 0.0);
    }
  }
}
