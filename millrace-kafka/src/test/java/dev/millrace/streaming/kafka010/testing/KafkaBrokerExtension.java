package dev.millrace.streaming.kafka010.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests an {@link EmbeddedKafka} broker: one broker for the whole test run, started on
 * first use and shut down when the run ends. Declare {@code @ExtendWith(KafkaBrokerExtension.class)}
 * and take an {@code EmbeddedKafka} parameter (in {@code @BeforeAll} or a test).
 */
public final class KafkaBrokerExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == EmbeddedKafka.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return extensionContext.getRoot().getStore(NS).getOrComputeIfAbsent("broker", k -> {
      try {
        return EmbeddedKafka.start();
      } catch (Exception e) {
        throw new IllegalStateException("Cannot start the Kafka broker", e);
      }
    }, EmbeddedKafka.class);
  }
}
