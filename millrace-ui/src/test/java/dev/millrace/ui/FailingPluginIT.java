package dev.millrace.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.streaming.Durations;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.StreamingPlugin;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A plugin that fails to start is skipped: the job and the other plugins (the UI) still run. */
class FailingPluginIT {
  /** Registered for tests; throws only when {@code millrace.test.failingPlugin} is set. */
  public static final class FailingPlugin implements StreamingPlugin {
    @Override
    public AutoCloseable start(StreamingEngine engine) {
      if (engine.engine().conf().getBoolean("millrace.test.failingPlugin", false)) {
        throw new IllegalStateException("plugin failure for a test");
      }
      return null;
    }
  }

  @Test
  void failingPlugin_doesNotStopTheJobOrTheUi() {
    try (StreamingTestHarness h = StreamingTestHarness.builder(Durations.seconds(1)).set("spark.ui.port", "0")
        .set("millrace.test.failingPlugin", "true").build()) {
      BatchCollector<String> out = h.collect(h.input(List.of(List.of("a", "b"))));
      h.runBatches(1);
      assertThat(out.batch(1)).containsExactlyInAnyOrder("a", "b");
      assertThat(MillraceUi.of(h.context().ssc())).isPresent();
    }
  }
}
