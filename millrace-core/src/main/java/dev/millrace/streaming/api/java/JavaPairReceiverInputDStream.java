package dev.millrace.streaming.api.java;

import dev.millrace.Tuple2;
import dev.millrace.streaming.internal.dstream.ReceiverInputDStream;

/**
 * A stream of key/value pairs fed by a receiver. The port of Spark's {@code
 * JavaPairReceiverInputDStream}; see {@link JavaReceiverInputDStream} for how batches are formed.
 *
 * @param <K> type of the keys
 * @param <V> type of the values
 */
public class JavaPairReceiverInputDStream<K, V> extends JavaPairInputDStream<K, V> {
  private final ReceiverInputDStream<Tuple2<K, V>> receiverInputDStream;

  public JavaPairReceiverInputDStream(ReceiverInputDStream<Tuple2<K, V>> receiverInputDStream) {
    super(receiverInputDStream);
    this.receiverInputDStream = receiverInputDStream;
  }

  public static <K, V> JavaPairReceiverInputDStream<K, V> fromReceiverInputDStream(
      ReceiverInputDStream<Tuple2<K, V>> receiverInputDStream) {
    return new JavaPairReceiverInputDStream<>(receiverInputDStream);
  }

  public ReceiverInputDStream<Tuple2<K, V>> receiverInputDStream() {
    return receiverInputDStream;
  }
}
