package dev.millrace.ui;

import dev.millrace.internal.config.ConfigKeys;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.StreamingPlugin;

/**
 * Starts the {@link MillraceUi} of every streaming context that starts while this module is on
 * the classpath, unless {@code spark.ui.enabled} is false. Found by {@link java.util.ServiceLoader}.
 */
public final class UiPlugin implements StreamingPlugin {
  @Override
  public AutoCloseable start(StreamingEngine engine) {
    if (!engine.engine().conf().get(ConfigKeys.UI_ENABLED)) {
      return null;
    }
    return MillraceUi.start(engine);
  }
}
