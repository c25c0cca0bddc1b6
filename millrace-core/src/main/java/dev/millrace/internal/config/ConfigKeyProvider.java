package dev.millrace.internal.config;

import java.util.List;

/**
 * Contributes the configuration keys of an optional module (Kafka, ...) to {@link
 * ConfigKeys#all()}, the list that the CLI help, the web UI's configuration page and the docs read.
 * Core cannot import optional modules, so they register an implementation with {@link
 * java.util.ServiceLoader}: a public class with a public no-argument constructor, named in {@code
 * META-INF/services/dev.millrace.internal.config.ConfigKeyProvider}.
 *
 * <pre>{@code
 * public final class KafkaConfigKeyProvider implements ConfigKeyProvider {
 *   public List<ConfigKey<?>> keys() { return KafkaConfigKeys.all(); }
 * }
 * }</pre>
 *
 * <p>Implementations are stateless and thread-safe; {@link #keys()} is called once per class
 * loader.
 */
public interface ConfigKeyProvider {
  /** The module's keys, in documentation order; their names must not repeat any other key's. */
  List<ConfigKey<?>> keys();
}
