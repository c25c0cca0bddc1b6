package dev.millrace.streaming.api.java;

import dev.millrace.streaming.internal.dstream.ReceiverInputDStream;

/**
 * A stream fed by a receiver running on a thread of its own (sockets, {@code receiverStream}). The
 * port of Spark's {@code JavaReceiverInputDStream}: batch T holds the blocks the receiver stored
 * since the previous batch, one partition per block (see {@code spark.streaming.blockInterval}).
 *
 * @param <T> type of the records
 */
public class JavaReceiverInputDStream<T> extends JavaInputDStream<T> {
  private final ReceiverInputDStream<T> receiverInputDStream;

  public JavaReceiverInputDStream(ReceiverInputDStream<T> receiverInputDStream) {
    super(receiverInputDStream);
    this.receiverInputDStream = receiverInputDStream;
  }

  public static <T> JavaReceiverInputDStream<T> fromReceiverInputDStream(ReceiverInputDStream<T> receiverInputDStream) {
    return new JavaReceiverInputDStream<>(receiverInputDStream);
  }

  public ReceiverInputDStream<T> receiverInputDStream() {
    return receiverInputDStream;
  }
}
