package dev.millrace.streaming.internal.receiver;

import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.receiver.Receiver;
import java.io.InputStream;
import java.io.Serializable;
import java.net.ConnectException;
import java.net.Socket;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver of {@code socketStream} and {@code socketTextStream}: connects to {@code host:port}
 * as a client, turns the bytes into records with a converter, and stores them one by one (so
 * {@code maxRate} holds a fast peer back: the socket is not read while the receiver waits).
 *
 * <p>As Spark's: a refused connection, a read error, or the peer closing the connection reports
 * the error and restarts the receiver after {@code spark.streaming.receiverRestartDelay}, which
 * connects again.
 */
public final class SocketReceiver<T> extends Receiver<T> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SocketReceiver.class);

  /** Turns the socket's input into records; may report bad input through the receiver. */
  @FunctionalInterface
  public interface Converter<T> extends Serializable {
    Iterator<T> convert(InputStream in, Receiver<T> receiver) throws Exception;
  }

  private final String host;
  private final int port;
  private final Converter<T> converter;
  private transient Socket socket;

  public SocketReceiver(String host, int port, Converter<T> converter, StorageLevel storageLevel) {
    super(storageLevel);
    this.host = java.util.Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    this.port = port;
    this.converter = java.util.Objects.requireNonNull(converter, "converter");
  }

  @Override
  public void onStart() {
    LOG.info("Connecting to {}:{}", host, port);
    Socket s;
    try {
      s = new Socket(host, port);
    } catch (ConnectException e) {
      restart("Error connecting to " + host + ":" + port, e);
      return;
    } catch (java.io.IOException e) {
      restart("Error connecting to " + host + ":" + port, e);
      return;
    }
    synchronized (this) {
      socket = s;
    }
    LOG.info("Connected to {}:{}", host, port);
    supervisorOrNull().threadFactory().newThread(() -> receive(s)).start();
  }

  @Override
  public void onStop() {
    synchronized (this) {
      if (socket != null) {
        try {
          socket.close();
        } catch (java.io.IOException e) {
          // closing anyway
        }
        socket = null;
        LOG.info("Closed socket to {}:{}", host, port);
      }
    }
  }

  private void receive(Socket s) {
    try {
      Iterator<T> records = converter.convert(s.getInputStream(), this);
      while (!isStopped() && records.hasNext()) {
        store(records.next());
      }
      if (!isStopped()) {
        restart("Socket data stream had no more data");
      } else {
        LOG.info("Stopped receiving from {}:{}", host, port);
      }
    } catch (Throwable t) {
      if (!isStopped()) {
        restart("Error receiving data from " + host + ":" + port, t);
      }
    } finally {
      try {
        s.close();
      } catch (java.io.IOException e) {
        // closing anyway
      }
    }
  }

  @Override
  public String toString() {
    return "SocketReceiver(" + host + ":" + port + ")";
  }
}
