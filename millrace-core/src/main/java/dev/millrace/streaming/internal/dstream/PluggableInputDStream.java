package dev.millrace.streaming.internal.dstream;

import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.receiver.Receiver;

/** {@code receiverStream}: a stream fed by the user's receiver. */
public final class PluggableInputDStream<T> extends ReceiverInputDStream<T> {
  private static final long serialVersionUID = 1L;
  private final Receiver<T> receiver;

  public PluggableInputDStream(StreamingEngine ssc, Receiver<T> receiver) {
    super(ssc, "receiverStream");
    this.receiver = java.util.Objects.requireNonNull(receiver, "receiver");
    receiver.setReceiverId(id());
  }

  @Override
  public Receiver<T> getReceiver() {
    return receiver;
  }
}
