package dev.millrace.streaming.recovery;

import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.receiver.Receiver;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A socket line receiver that, after each {@code store(line)} returned, appends the line to an
 * acknowledgement file with one unbuffered write: the file lists what the receiver stored, which a
 * SIGKILL cannot take back, so the fault-injection test can check that none of it was lost.
 */
final class AckingSocketReceiver extends Receiver<String> {
  private static final long serialVersionUID = 1L;
  private final String host;
  private final int port;
  private final String ackFile;
  private transient volatile Socket socket;

  AckingSocketReceiver(String host, int port, String ackFile) {
    super(StorageLevel.MEMORY_AND_DISK_SER_2());
    this.host = host;
    this.port = port;
    this.ackFile = ackFile;
  }

  @Override
  public void onStart() {
    Thread t = new Thread(this::receive, "acking-socket-receiver");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void onStop() {
    Socket s = socket;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private void receive() {
    try (Socket s = new Socket(host, port);
        FileOutputStream ack = new FileOutputStream(ackFile, true);
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      socket = s;
      String line;
      while (!isStopped() && (line = in.readLine()) != null) {
        store(line);
        ack.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      if (!isStopped()) {
        restart("connection closed", null, 100);
      }
    } catch (IOException | IllegalStateException e) {
      if (!isStopped()) {
        restart("connection failed", e, 100);
      }
    }
  }
}
