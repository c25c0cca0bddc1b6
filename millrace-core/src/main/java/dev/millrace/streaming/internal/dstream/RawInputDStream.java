package dev.millrace.streaming.internal.dstream;

import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.receiver.RawNetworkReceiver;
import dev.millrace.streaming.receiver.Receiver;

/** {@code rawSocketStream}: length-prefixed frames of Java-serialized records; each frame is a block. */
public final class RawInputDStream<T> extends ReceiverInputDStream<T> {
  private static final long serialVersionUID = 1L;
  private final String host;
  private final int port;
  private final StorageLevel storageLevel;

  public RawInputDStream(StreamingEngine ssc, String host, int port, StorageLevel storageLevel) {
    super(ssc, "rawSocketStream");
    this.host = java.util.Objects.requireNonNull(host, "host");
    this.port = port;
    this.storageLevel = java.util.Objects.requireNonNull(storageLevel, "storageLevel");
  }

  @Override
  public Receiver<T> getReceiver() {
    return new RawNetworkReceiver<>(host, port, storageLevel);
  }

  @Override
  public String toString() {
    return "stream " + id() + " (rawSocketStream " + host + ":" + port + ")";
  }
}
