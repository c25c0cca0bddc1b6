package dev.millrace.streaming.sources;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real TCP server on the loopback interface whose accepted connections the test drives. */
final class TestServer implements AutoCloseable {
  private final ServerSocket server;
  private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
  private final List<Socket> all = new CopyOnWriteArrayList<>();

  TestServer() throws IOException {
    this(0);
  }

  TestServer(int port) throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          all.add(s);
          accepted.add(s);
        } catch (IOException e) {
          return;
        }
      }
    }, "test-server-accept");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** The next connection a client made. */
  Socket next() throws InterruptedException {
    Socket s = accepted.poll(20, TimeUnit.SECONDS);
    if (s == null) {
      throw new AssertionError("no client connected to port " + port());
    }
    return s;
  }

  static void send(Socket s, byte[] bytes) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(bytes);
    out.flush();
  }

  static void send(Socket s, String text) throws IOException {
    send(s, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A port nothing listens on (just freed). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : all) {
      s.close();
    }
  }
}
