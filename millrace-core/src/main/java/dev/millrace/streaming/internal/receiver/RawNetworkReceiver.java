package dev.millrace.streaming.internal.receiver;

import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.receiver.Receiver;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver of {@code rawSocketStream}: reads frames of a 4-byte big-endian length N followed
 * by N bytes, each a Java serialization stream of records, and stores each frame as one block.
 * Connection errors and a closed connection restart it after the restart delay; a negative length
 * is reported and restarts it (the rest of the connection cannot be trusted).
 */
public final class RawNetworkReceiver<T> extends Receiver<T> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RawNetworkReceiver.class);

  private final String host;
  private final int port;
  private transient Socket socket;

  public RawNetworkReceiver(String host, int port, StorageLevel storageLevel) {
    super(storageLevel);
    this.host = java.util.Objects.requireNonNull(host, "host");
    this.port = port;
  }

  @Override
  public void onStart() {
    Socket s;
    try {
      s = new Socket(host, port);
    } catch (IOException e) {
      restart("Error connecting to " + host + ":" + port, e);
      return;
    }
    synchronized (this) {
      socket = s;
    }
    supervisorOrNull().threadFactory().newThread(() -> receive(s)).start();
  }

  @Override
  public void onStop() {
    synchronized (this) {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException e) {
          // closing anyway
        }
        socket = null;
      }
    }
  }

  private void receive(Socket s) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 64 * 1024))) {
      while (!isStopped()) {
        int length;
        try {
          length = in.readInt();
        } catch (EOFException end) {
          if (!isStopped()) {
            restart("Socket data stream had no more data");
          }
          return;
        }
        if (length < 0) {
          restart("Invalid frame length " + length + " from " + host + ":" + port
              + " (a frame is a 4-byte big-endian length and that many bytes)");
          return;
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        try {
          store(ByteBuffer.wrap(frame));
        } catch (IllegalArgumentException bad) {
          reportError("Skipped a frame of " + length + " bytes from " + host + ":" + port + ": " + bad.getMessage(), bad);
        }
      }
    } catch (Throwable t) {
      if (!isStopped()) {
        restart("Error receiving data from " + host + ":" + port, t);
      } else {
        LOG.debug("Receiver stopped while reading", t);
      }
    }
  }
}
