package dev.millrace.streaming.internal.dstream;

import dev.millrace.internal.config.ConfigKeys;
import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.receiver.LineReader;
import dev.millrace.streaming.internal.receiver.SocketReceiver;
import dev.millrace.streaming.receiver.Receiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * {@code socketStream} / {@code socketTextStream}: a receiver stream that connects to a TCP server
 * and converts what it sends into records.
 */
public final class SocketInputDStream<T> extends ReceiverInputDStream<T> {
  private static final long serialVersionUID = 1L;
  private final String host;
  private final int port;
  private final SocketReceiver.Converter<T> converter;
  private final StorageLevel storageLevel;

  public SocketInputDStream(StreamingEngine ssc, String operation, String host, int port,
      SocketReceiver.Converter<T> converter, StorageLevel storageLevel) {
    super(ssc, operation);
    this.host = java.util.Objects.requireNonNull(host, "host");
    this.port = port;
    this.converter = java.util.Objects.requireNonNull(converter, "converter");
    this.storageLevel = java.util.Objects.requireNonNull(storageLevel, "storageLevel");
  }

  /** A stream of the UTF-8 lines sent by {@code host:port}; over-long lines are reported and skipped. */
  public static SocketInputDStream<String> text(StreamingEngine ssc, String host, int port, StorageLevel level) {
    int maxChars = ssc.engine().conf().get(ConfigKeys.MAX_LINE_LENGTH);
    String where = host + ":" + port;
    return new SocketInputDStream<>(ssc, "socketTextStream", host, port,
        (in, receiver) -> lines(new LineReader(in, maxChars, (offset, bytes) -> receiver.reportError(
            "socketTextStream " + where + " (stream " + receiver.streamId() + "): skipped a line of " + bytes
                + " bytes at byte " + offset + " of the connection, longer than "
                + ConfigKeys.MAX_LINE_LENGTH.name() + " = " + maxChars + " characters", null))),
        level);
  }

  /** The lines of a reader as an iterator; I/O errors surface as {@link UncheckedIOException}. */
  public static Iterator<String> lines(LineReader reader) {
    return new Iterator<>() {
      private String next;
      private boolean done;

      @Override
      public boolean hasNext() {
        if (next == null && !done) {
          try {
            next = reader.readLine();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          done = next == null;
        }
        return next != null;
      }

      @Override
      public String next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        String s = next;
        next = null;
        return s;
      }
    };
  }

  @Override
  public Receiver<T> getReceiver() {
    return new SocketReceiver<>(host, port, converter, storageLevel);
  }

  @Override
  public String toString() {
    return "stream " + id() + " (" + operation() + " " + host + ":" + port + ")";
  }
}
