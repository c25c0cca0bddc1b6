package dev.millrace.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.MillraceConf;
import dev.millrace.internal.EngineContext;
import org.junit.jupiter.api.Test;

class RuntimeSelectionTest {

  private static EngineContext context(String master) {
    return new EngineContext(new MillraceConf(false).setMaster(master).setAppName("selection"));
  }

  @Test
  void localMasters_useTheLocalRuntime_evenWithAProviderOnTheClasspath() {
    EngineContext c = context("local[3]");
    try {
      assertThat(c.runtime()).isInstanceOf(LocalRuntime.class);
      assertThat(((LocalRuntime) c.runtime()).threads()).isEqualTo(3);
    } finally {
      c.stop();
    }
  }

  @Test
  void aMasterAProviderAccepts_usesThatProvidersRuntime() {
    EngineContext c = context("test-runtime://7");
    try {
      assertThat(c.defaultParallelism()).isEqualTo(7);
    } finally {
      c.stop();
    }
  }

  @Test
  void aMasterNoProviderAccepts_failsNamingTheModuleThatRunsClusters() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> context("spark://host:7077"));
    assertThat(e).hasMessageContaining("Could not parse Master URL: 'spark://host:7077'")
        .hasMessageContaining("millrace-spark");
  }
}
