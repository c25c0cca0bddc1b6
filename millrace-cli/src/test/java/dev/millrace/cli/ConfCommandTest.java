package dev.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConfCommandTest {
  @Test
  void conf_listsTheKeysOfCoreUiAndKafka_withSparkNamesDefaultsAndDescriptions() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Millrace.run(new String[] {"conf"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(status).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(text).contains(
        "  millrace.streaming.backpressure.enabled  (spark.streaming.backpressure.enabled)\n      default: false\n",
        "  millrace.ui.port  (spark.ui.port)\n      default: 4040\n",
        "  millrace.streaming.kafka.maxRatePerPartition  (spark.streaming.kafka.maxRatePerPartition)\n"
            + "      default: 0\n      Most records per second a direct Kafka stream reads from each partition; 0 means no limit.\n",
        "millrace.streaming.kafka.offsetOutOfRange");
  }
}
