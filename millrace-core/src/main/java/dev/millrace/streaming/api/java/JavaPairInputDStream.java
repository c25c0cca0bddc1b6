package dev.millrace.streaming.api.java;

import dev.millrace.Tuple2;
import dev.millrace.streaming.internal.dstream.InputDStream;

/**
 * A stream of key/value pairs read from a source. The port of Spark's {@code JavaPairInputDStream}.
 *
 * @param <K> type of the keys
 * @param <V> type of the values
 */
public class JavaPairInputDStream<K, V> extends JavaPairDStream<K, V> {
  private final InputDStream<Tuple2<K, V>> inputDStream;

  public JavaPairInputDStream(InputDStream<Tuple2<K, V>> inputDStream) {
    super(inputDStream);
    this.inputDStream = inputDStream;
  }

  public InputDStream<Tuple2<K, V>> inputDStream() {
    return inputDStream;
  }
}
