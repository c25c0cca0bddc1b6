package dev.millrace.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.millrace.MillraceConf;
import dev.millrace.internal.config.ConfigKeys;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.dstream.InputDStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI of one running streaming context: the streaming page with live charts, completed
 * batches, one page per batch, the configuration, Spark's streaming REST API under {@code
 * /api/v1/}, Prometheus metrics at {@code /metrics}, and the same gauges over JMX.
 *
 * <p>It starts by itself when {@code millrace-ui} is on the classpath and {@code
 * spark.ui.enabled} is true (the default), on {@code spark.ui.port} (4040; when taken, the next
 * free one, up to {@code spark.port.maxRetries} further; 0 for any free port), bound to {@code
 * millrace.ui.host} (loopback unless configured); it stops with the context. Find it with {@link
 * #of}:
 *
 * <pre>{@code
 * jssc.start();
 * MillraceUi.of(jssc.ssc()).ifPresent(ui -> System.out.println("UI at " + ui.uri()));
 * }</pre>
 *
 * <p>The server answers only the paths above and its own static files, GET and HEAD only;
 * anything else is 404 (unknown path) or 405 (other method). Thread-safe: requests are served on
 * two daemon threads and read consistent copies of the collected progress.
 */
public final class MillraceUi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MillraceUi.class);
  private static final Map<StreamingEngine, MillraceUi> RUNNING = new ConcurrentHashMap<>();
  private static final String WEBJAR = "META-INF/resources/webjars/uplot/";

  private final StreamingEngine engine;
  private final StreamingProgress progress;
  private final RestApi api;
  private final Pages pages;
  private final StreamingMetrics metrics;
  private final JmxMetrics jmx;
  private final Map<String, Asset> assets;
  private final HttpServer server;
  private final ExecutorService executor;
  private final String host;

  /** A static file: its content type and class-path resource. */
  private record Asset(String contentType, String resource) {}

  private MillraceUi(StreamingEngine engine) throws IOException {
    this.engine = engine;
    MillraceConf conf = engine.engine().conf();
    this.progress = new StreamingProgress(engine.batchDuration().milliseconds(),
        conf.get(ConfigKeys.UI_RETAINED_BATCHES));
    Map<Integer, String> streamNames = new LinkedHashMap<>();
    for (InputDStream<?> in : engine.graph().inputStreams()) {
      streamNames.put(in.id(), in.name() != null ? in.name() : in.operation());
    }
    String appName = engine.engine().appName();
    RestApi.AppInfo app = new RestApi.AppInfo(conf.getAppId(), appName, System.getProperty("user.name", ""),
        engine.engine().startTime(), version());
    this.api = new RestApi(app, progress);
    EngineValues live = new EngineValues(engine);
    this.pages = new Pages(app, progress, conf, streamNames, api, live);
    this.metrics = new StreamingMetrics(progress, appName, streamNames, live);
    this.assets = assets();
    this.host = conf.get(ConfigKeys.UI_HOST);
    this.server = bind(InetAddress.getByName(host), conf.get(ConfigKeys.UI_PORT),
        conf.get(ConfigKeys.PORT_MAX_RETRIES));
    this.executor = Executors.newFixedThreadPool(2, engine.named("ui-http"));
    server.setExecutor(executor);
    server.createContext("/", this::serve);
    engine.addStreamingListener(progress);
    JmxMetrics registered = null;
    try {
      registered = new JmxMetrics(metrics, appName);
    } catch (javax.management.JMException | RuntimeException e) {
      LOG.warn("Streaming metrics are not registered with JMX", e);
    }
    this.jmx = registered;
    startDaemon(server, engine);
  }

  /** Lags and state sizes read from the engine's graph at each scrape. */
  private static final class EngineValues implements StreamingMetrics.Live {
    private final StreamingEngine engine;

    EngineValues(StreamingEngine engine) {
      this.engine = engine;
    }

    @Override
    public Map<Integer, Long> lags() {
      Map<Integer, Long> out = new LinkedHashMap<>();
      for (InputDStream<?> in : engine.graph().inputStreams()) {
        java.util.OptionalLong lag = in.lag();
        if (lag.isPresent()) {
          out.put(in.id(), lag.getAsLong());
        }
      }
      return out;
    }

    @Override
    public List<StreamingMetrics.OperatorState> operatorStates() {
      List<StreamingMetrics.OperatorState> out = new ArrayList<>();
      for (dev.millrace.streaming.internal.dstream.DStream<?> s : engine.graph().allStreams()) {
        String kind = s.stateKind();
        if (kind == null) {
          continue;
        }
        java.util.OptionalLong keys = s.stateSize();
        if (keys.isPresent()) {
          String id = s.operatorId() != null ? s.operatorId() : kind + "@" + s.id();
          out.add(new StreamingMetrics.OperatorState(id, kind, s.creationSite(), keys.getAsLong()));
        }
      }
      return out;
    }
  }

  /**
   * Starts the server from a daemon thread: its dispatcher thread inherits that, so a UI never
   * keeps the JVM alive after the program's last thread ends (as the context's own threads don't).
   */
  private static void startDaemon(HttpServer server, StreamingEngine engine) throws IOException {
    RuntimeException[] failure = new RuntimeException[1];
    Thread starter = engine.named("ui-start").newThread(() -> {
      try {
        server.start();
      } catch (RuntimeException e) {
        failure[0] = e;
      }
    });
    starter.start();
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.stop(0);
      throw new java.io.InterruptedIOException("interrupted while starting the web UI");
    }
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  /**
   * Starts the UI of {@code engine} now, whatever {@code spark.ui.enabled} says; the context
   * normally does this itself when it starts. Call before the context starts to see every event.
   *
   * @throws UncheckedIOException if no port in the allowed range could be bound
   */
  public static MillraceUi start(StreamingEngine engine) {
    try {
      MillraceUi ui = new MillraceUi(engine);
      RUNNING.put(engine, ui);
      LOG.info("Millrace UI for {} at {}", engine.engine().appName(), ui.uri());
      return ui;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the web UI: " + e.getMessage(), e);
    }
  }

  /** The UI serving {@code engine}, while it runs. */
  public static Optional<MillraceUi> of(StreamingEngine engine) {
    return Optional.ofNullable(RUNNING.get(engine));
  }

  private static HttpServer bind(InetAddress address, int port, int maxRetries) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(ConfigKeys.UI_PORT.sparkAlias() + " must be 0..65535, was " + port);
    }
    int attempts = port == 0 ? 1 : Math.max(1, maxRetries + 1);
    BindException last = null;
    for (int i = 0; i < attempts && port + i <= 65535; i++) {
      try {
        return HttpServer.create(new InetSocketAddress(address, port + i), 0);
      } catch (BindException e) {
        last = e;
        LOG.warn("Web UI could not bind on port {}. Attempting port {}.", port + i, port + i + 1);
      }
    }
    BindException e = new BindException("no free port in " + port + ".." + (port + attempts - 1) + " on "
        + address.getHostAddress() + " (" + ConfigKeys.UI_PORT.sparkAlias() + ", "
        + ConfigKeys.PORT_MAX_RETRIES.sparkAlias() + ")");
    e.initCause(last);
    throw e;
  }

  private static Map<String, Asset> assets() {
    String uplot = WEBJAR + uplotVersion() + "/dist/";
    Map<String, Asset> m = new LinkedHashMap<>();
    m.put("/static/uPlot.iife.min.js", new Asset("text/javascript; charset=utf-8", uplot + "uPlot.iife.min.js"));
    m.put("/static/uPlot.min.css", new Asset("text/css; charset=utf-8", uplot + "uPlot.min.css"));
    m.put("/static/millrace-ui.js", new Asset("text/javascript; charset=utf-8", "dev/millrace/ui/static/millrace-ui.js"));
    m.put("/static/millrace-ui.css", new Asset("text/css; charset=utf-8", "dev/millrace/ui/static/millrace-ui.css"));
    return Map.copyOf(m);
  }

  private static String uplotVersion() {
    Properties p = new Properties();
    try (InputStream in = MillraceUi.class.getClassLoader()
        .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("uPlot's webjar (org.webjars.npm:uplot) is not on the classpath");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }

  private static String version() {
    String v = MillraceUi.class.getPackage().getImplementationVersion();
    return v != null ? v : "0.1.0-SNAPSHOT";
  }

  /** The port the UI listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The address the UI is bound to. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The UI's base address, e.g. {@code http://127.0.0.1:4040/}. */
  public URI uri() {
    String h = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
    if (h.contains(":")) {
      h = "[" + h + "]";
    }
    return URI.create("http://" + h + ":" + port() + "/");
  }

  /** The JMX name of the streaming metrics, if they were registered. */
  public Optional<javax.management.ObjectName> jmxName() {
    return Optional.ofNullable(jmx).map(JmxMetrics::objectName);
  }

  /** Stops serving and unregisters the MBean; idempotent. */
  @Override
  public void close() {
    if (RUNNING.remove(engine, this)) {
      engine.removeStreamingListener(progress);
      server.stop(0);
      executor.shutdownNow();
      if (jmx != null) {
        jmx.close();
      }
      LOG.info("Millrace UI stopped");
    }
  }

  // ------------------------------------------------------------ requests

  private void serve(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      boolean head = method.equals("HEAD");
      if (!method.equals("GET") && !head) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        send(ex, RestApi.Response.error(405, "Method not allowed: " + method), head);
        return;
      }
      send(ex, route(ex.getRequestURI()), head);
    } catch (RuntimeException e) {
      LOG.warn("Web UI failed to answer {}", ex.getRequestURI(), e);
      try {
        send(ex, RestApi.Response.error(500, "Internal error: " + e), false);
      } catch (IOException | RuntimeException ignored) {
        // the response was already under way
      }
    }
  }

  private RestApi.Response route(URI uri) {
    // The raw path is matched as it came: no decoding, no normalisation, so "..", "%2e%2e" or
    // "//" can never name anything but an exact route or one of the listed assets.
    String path = uri.getRawPath();
    if (path == null) {
      return notFound("");
    }
    Map<String, List<String>> query = query(uri.getRawQuery());
    switch (path) {
      case "/":
      case "/streaming":
        return new RestApi.Response(302, "text/plain; charset=utf-8", "/streaming/");
      case "/streaming/":
        return html(pages.streaming());
      case "/streaming/batches":
        return html(pages.batches(intParam(query, "page", 1)));
      case "/streaming/batch": {
        String id = first(query, "id");
        Optional<String> page = Optional.empty();
        try {
          page = id == null ? Optional.empty() : pages.batch(Long.parseLong(id));
        } catch (NumberFormatException e) {
          // not a batch id: fall through to 404
        }
        return page.map(MillraceUi::html).orElseGet(() -> RestApi.Response.error(404, "unknown batch: " + id));
      }
      case "/environment":
      case "/environment/":
        return html(pages.environment());
      case "/metrics":
        return new RestApi.Response(200, "text/plain; version=0.0.4; charset=utf-8", metrics.prometheus());
      default:
        break;
    }
    if (path.startsWith("/api/v1/")) {
      return api.handle(path.substring("/api/v1/".length()), query);
    }
    Asset asset = assets.get(path);
    if (asset != null) {
      return new RestApi.Response(200, asset.contentType(), null); // body read from the jar on send
    }
    return notFound(path);
  }

  private static RestApi.Response notFound(String path) {
    return RestApi.Response.error(404, "Not found");
  }

  private static RestApi.Response html(String body) {
    return new RestApi.Response(200, "text/html; charset=utf-8", body);
  }

  private static int intParam(Map<String, List<String>> query, String name, int otherwise) {
    String v = first(query, name);
    try {
      return v == null ? otherwise : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return m;
  }

  private void send(HttpExchange ex, RestApi.Response r, boolean head) throws IOException {
    byte[] body;
    if (r.body() == null) {
      body = readAsset(ex.getRequestURI().getRawPath());
      ex.getResponseHeaders().set("Cache-Control", "max-age=3600");
    } else {
      body = r.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Cache-Control", "no-store");
    }
    if (r.status() == 302) {
      ex.getResponseHeaders().set("Location", r.body());
    }
    ex.getResponseHeaders().set("Content-Type", r.contentType());
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    ex.getResponseHeaders().set("Content-Security-Policy",
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'");
    if (head) {
      ex.sendResponseHeaders(r.status(), -1);
      return;
    }
    ex.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private byte[] readAsset(String path) throws IOException {
    Asset asset = assets.get(path);
    try (InputStream in = MillraceUi.class.getClassLoader().getResourceAsStream(asset.resource())) {
      if (in == null) {
        throw new IOException("missing UI resource " + asset.resource());
      }
      return in.readAllBytes();
    }
  }
}
