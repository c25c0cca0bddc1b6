package dev.millrace.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP server that sends the bundled sample text to each client, a line every 100 ms,
 * over and over, standing in for {@code nc -lk 9999} so the first run needs nothing else.
 */
final class SampleServer implements AutoCloseable {
  private static final long LINE_EVERY_MS = 100;

  private final ServerSocket server;
  private final List<String> lines;

  private SampleServer(ServerSocket server, List<String> lines) {
    this.server = server;
    this.lines = lines;
  }

  static SampleServer start() throws IOException {
    List<String> lines = new ArrayList<>();
    try (InputStream in = SampleServer.class.getResourceAsStream("sample.txt")) {
      if (in == null) {
        throw new IOException("the bundled sample text is missing from the jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    }
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    SampleServer s = new SampleServer(server, lines);
    Thread t = new Thread(s::serve, "millrace-sample-server");
    t.setDaemon(true);
    t.start();
    return s;
  }

  int port() {
    return server.getLocalPort();
  }

  String address() {
    return "127.0.0.1:" + port();
  }

  private void serve() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread t = new Thread(() -> feed(client), "millrace-sample-client");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void feed(Socket client) {
    try (client; OutputStream out = client.getOutputStream()) {
      while (true) {
        for (String line : lines) {
          out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
          Thread.sleep(LINE_EVERY_MS);
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client went away
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
