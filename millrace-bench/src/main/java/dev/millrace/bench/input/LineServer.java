package dev.millrace.bench.input;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback text server for the socket-ingest benchmark: what {@code nc -lk} is to the seed
 * tutorial, but fast and paced. It listens on {@code 127.0.0.1} (a free port), and writes to every
 * client that connects the lines of a fixed pool, each followed by {@code '\n'}, over and over, at
 * the offered rate set with {@link #setRate} ({@link #UNLIMITED}: as fast as the socket takes them;
 * 0: paused). The pool is encoded once, up front, so writing costs one {@code write} call per chunk
 * of up to {@link #CHUNK_LINES} lines and allocates nothing: the generator is not what limits the
 * engines (see {@link #measureLoopback}).
 *
 * <pre>{@code
 * try (LineServer server = LineServer.start(ZipfLines.standard(42).lines(100_000))) {
 *   ssc.socketTextStream("127.0.0.1", server.port()) ...;
 *   server.setRate(500_000);          // lines per second
 * }
 * }</pre>
 *
 * <p>Pacing follows {@link LinePacer}: line k after a rate change is due k / rate seconds later; a
 * writer held up by a full socket catches up by at most one second's worth of lines. Each client
 * connection is served by a thread of its own (daemon), each from the pool's first line; a client
 * that closes its end ends its thread. Thread-safe.
 */
public final class LineServer implements AutoCloseable {
  /** The rate that writes as fast as the socket accepts. */
  public static final long UNLIMITED = Long.MAX_VALUE;
  /** Most lines one {@code write} call carries. */
  public static final int CHUNK_LINES = 2048;

  private final byte[] data;
  /** Line i is {@code data[offsets[i], offsets[i + 1])}, its newline included. */
  private final int[] offsets;
  private final ServerSocket server;
  private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
  private final AtomicLong linesSent = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();
  private volatile long rate;
  private volatile boolean closed;

  private LineServer(List<String> pool, ServerSocket server) {
    if (pool.isEmpty()) {
      throw new IllegalArgumentException("the pool of lines is empty");
    }
    byte[][] encoded = new byte[pool.size()][];
    long total = 0;
    for (int i = 0; i < encoded.length; i++) {
      String line = pool.get(i);
      if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("line " + i + " of the pool holds a line terminator");
      }
      encoded[i] = line.getBytes(StandardCharsets.UTF_8);
      total += encoded[i].length + 1;
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("the pool of lines is too large: " + total + " bytes");
    }
    this.data = new byte[(int) total];
    this.offsets = new int[encoded.length + 1];
    int at = 0;
    for (int i = 0; i < encoded.length; i++) {
      offsets[i] = at;
      System.arraycopy(encoded[i], 0, data, at, encoded[i].length);
      at += encoded[i].length;
      data[at++] = '\n';
    }
    offsets[encoded.length] = at;
    this.server = server;
  }

  /**
   * Starts a paused server on {@code 127.0.0.1} and a free port, serving {@code pool}.
   *
   * @throws IllegalArgumentException if the pool is empty or a line holds {@code \n} or {@code \r}
   */
  public static LineServer start(List<String> pool) throws IOException {
    ServerSocket s = new ServerSocket();
    try {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      LineServer ls = new LineServer(pool, s);
      Thread acceptor = new Thread(ls::acceptLoop, "line-server-accept-" + s.getLocalPort());
      acceptor.setDaemon(true);
      acceptor.start();
      return ls;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** The port clients connect to, on {@code 127.0.0.1}. */
  public int port() {
    return server.getLocalPort();
  }

  /**
   * Sets the offered rate in lines per second for every connection, from now on.
   *
   * @param linesPerSecond a positive rate, {@link #UNLIMITED}, or 0 to pause
   * @throws IllegalArgumentException if negative
   */
  public void setRate(long linesPerSecond) {
    if (linesPerSecond < 0) {
      throw new IllegalArgumentException("rate must be >= 0 lines/s, was " + linesPerSecond);
    }
    rate = linesPerSecond;
  }

  public long rate() {
    return rate;
  }

  /** Lines written to all clients so far. */
  public long linesSent() {
    return linesSent.get();
  }

  /** Bytes written to all clients so far, newlines included. */
  public long bytesSent() {
    return bytesSent.get();
  }

  /** Mean bytes per line of the pool, its newline included: bytes/s = lines/s times this. */
  public double meanBytesPerLine() {
    return (double) data.length / (offsets.length - 1);
  }

  /** Clients connected now. */
  public int clients() {
    return clients.size();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      clients.add(s);
      Thread t = new Thread(() -> serve(s), "line-server-client-" + s.getPort());
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket s) {
    try (s) {
      OutputStream out = s.getOutputStream();
      // Reads nothing: a client that closes its end makes the next write fail, which ends this.
      writeLines(out, new LinePacer(), () -> rate, Long.MAX_VALUE);
    } catch (IOException e) {
      // the client went away, or the server closed
    } finally {
      clients.remove(s);
    }
  }

  /** The offered rate as the writer sees it: read on every round, so changes apply at once. */
  @FunctionalInterface
  interface RateSource {
    long rate();
  }

  /**
   * The writing loop: writes the pool's lines round and round to {@code out}, paced by {@code
   * pacer} at the rate {@code rates} gives, until the server closes or {@code untilNanos} ({@code
   * System.nanoTime()}) passes. Counts what it wrote into this server's totals.
   *
   * @return lines written
   */
  long writeLines(OutputStream out, LinePacer pacer, RateSource rates, long untilNanos) throws IOException {
    int line = 0;
    int lines = offsets.length - 1;
    long written = 0;
    while (!closed) {
      long now = System.nanoTime();
      if (now - untilNanos >= 0 && untilNanos != Long.MAX_VALUE) {
        break;
      }
      long r = rates.rate();
      if (r != pacer.rate()) {
        pacer.setRate(r, now);
      }
      long n = pacer.allowance(now, CHUNK_LINES);
      if (n == 0) {
        long wait = pacer.nanosUntilNext(now);
        LockSupport.parkNanos(Math.max(20_000, Math.min(1_000_000, wait)));
        continue;
      }
      int end = (int) Math.min(lines, line + n);
      int from = offsets[line];
      int to = offsets[end];
      out.write(data, from, to - from);
      int k = end - line;
      pacer.sent(k);
      written += k;
      linesSent.addAndGet(k);
      bytesSent.addAndGet(to - from);
      line = end == lines ? 0 : end;
    }
    return written;
  }

  /**
   * The generator alone, in memory: lines per second it writes, unlimited, into a sink that drops
   * every byte, over {@code millis} ms. The cost of the pacing loop and nothing else.
   */
  public static double measureNullSink(List<String> pool, long millis) throws IOException {
    try (LineServer ls = start(pool)) {
      ls.setRate(UNLIMITED);
      long t0 = System.nanoTime();
      long n = ls.writeLines(OutputStream.nullOutputStream(), new LinePacer(), () -> UNLIMITED,
          t0 + millis * 1_000_000);
      return n * 1e9 / (System.nanoTime() - t0);
    }
  }

  /**
   * The generator through loopback TCP: lines per second a fresh server writes, unlimited, to a
   * client on this JVM that reads into a 64 KiB buffer and drops the bytes, over {@code millis} ms
   * after {@code warmupMillis} ms from the first line written. The most any socket receiver on this machine could be offered.
   */
  public static double measureLoopback(List<String> pool, long warmupMillis, long millis) throws IOException,
      InterruptedException {
    try (LineServer ls = start(pool); Socket client = new Socket(InetAddress.getLoopbackAddress(), ls.port())) {
      Thread drain = new Thread(() -> {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = client.getInputStream()) {
          while (in.read(buf) >= 0) {
            // drop
          }
        } catch (IOException e) {
          // closed
        }
      }, "line-server-drain");
      drain.setDaemon(true);
      drain.start();
      ls.setRate(UNLIMITED);
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (ls.linesSent() == 0) {
        if (System.nanoTime() > deadline) {
          throw new IOException("the loopback client got no line within 30 s");
        }
        Thread.sleep(1);
      }
      Thread.sleep(warmupMillis);
      long l0 = ls.linesSent();
      long t0 = System.nanoTime();
      Thread.sleep(millis);
      long l1 = ls.linesSent();
      long t1 = System.nanoTime();
      ls.setRate(0);
      return (l1 - l0) * 1e9 / (t1 - t0);
    }
  }

  /** Stops accepting, closes every connection. */
  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket s : clients) {
      s.close();
    }
  }
}
