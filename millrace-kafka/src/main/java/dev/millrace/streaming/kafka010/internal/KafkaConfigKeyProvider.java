package dev.millrace.streaming.kafka010.internal;

import dev.millrace.internal.config.ConfigKey;
import dev.millrace.internal.config.ConfigKeyProvider;
import java.util.List;

/**
 * Lists the Kafka module's keys ({@link KafkaConfigKeys#all()}) with the core's, so the CLI help and
 * the web UI's configuration page show them. Registered in {@code META-INF/services}. Stateless.
 */
public final class KafkaConfigKeyProvider implements ConfigKeyProvider {
  /** Called by {@link java.util.ServiceLoader}. */
  public KafkaConfigKeyProvider() {}

  @Override
  public List<ConfigKey<?>> keys() {
    return KafkaConfigKeys.all();
  }
}
