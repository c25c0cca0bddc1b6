package dev.millrace.streaming.api.java;

import dev.millrace.streaming.internal.dstream.InputDStream;

/**
 * A stream read from a source (queue, directory, socket, Kafka). The port of Spark's
 * {@code JavaInputDStream}.
 *
 * @param <T> type of the records
 */
public class JavaInputDStream<T> extends JavaDStream<T> {
  private final InputDStream<T> inputDStream;

  public JavaInputDStream(InputDStream<T> inputDStream) {
    super(inputDStream);
    this.inputDStream = inputDStream;
  }

  public static <T> JavaInputDStream<T> fromInputDStream(InputDStream<T> inputDStream) {
    return new JavaInputDStream<>(inputDStream);
  }

  public InputDStream<T> inputDStream() {
    return inputDStream;
  }
}
