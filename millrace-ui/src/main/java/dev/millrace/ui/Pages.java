package dev.millrace.ui;

import dev.millrace.MillraceConf;
import dev.millrace.internal.config.ConfigKey;
import dev.millrace.internal.config.ConfigKeys;
import dev.millrace.streaming.scheduler.BatchInfo;
import dev.millrace.streaming.scheduler.OutputOperationInfo;
import dev.millrace.streaming.scheduler.ReceiverInfo;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The server-rendered HTML pages: streaming overview, completed batches (paged), one batch, and
 * the configuration. Every page is complete without JavaScript; the streaming page's script
 * draws the charts and refreshes the numbers. Stateless; thread-safe.
 */
final class Pages {
  static final int PAGE_SIZE = 50;
  private static final int RECENT_BATCHES = 10;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneId.systemDefault());

  private final RestApi.AppInfo app;
  private final StreamingProgress progress;
  private final MillraceConf conf;
  private final Map<Integer, String> streamNames;
  private final RestApi api;
  private final StreamingMetrics.Live live;

  Pages(RestApi.AppInfo app, StreamingProgress progress, MillraceConf conf, Map<Integer, String> streamNames,
      RestApi api) {
    this(app, progress, conf, streamNames, api, StreamingMetrics.Live.NONE);
  }

  /** @param live each stream's lag and each stateful operator's state size, read when a page is drawn */
  Pages(RestApi.AppInfo app, StreamingProgress progress, MillraceConf conf, Map<Integer, String> streamNames,
      RestApi api, StreamingMetrics.Live live) {
    this.live = live;
    this.app = app;
    this.progress = progress;
    this.conf = conf;
    this.streamNames = streamNames;
    this.api = api;
  }

  // ------------------------------------------------------------ helpers

  static String esc(Object o) {
    String s = String.valueOf(o);
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  static String time(long ms) {
    return TIME.format(Instant.ofEpochMilli(ms));
  }

  /** A duration as people read it: {@code 12 ms}, {@code 1.5 s}, {@code 2.0 min}; "-" when absent. */
  static String duration(Optional<Long> ms) {
    if (ms.isEmpty()) {
      return "-";
    }
    long v = ms.get();
    if (v < 1000) {
      return v + " ms";
    }
    if (v < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", v / 1000.0);
    }
    if (v < 3_600_000) {
      return String.format(Locale.ROOT, "%.1f min", v / 60_000.0);
    }
    return String.format(Locale.ROOT, "%.1f h", v / 3_600_000.0);
  }

  private String page(String title, String nav, String body, boolean charts) {
    StringBuilder sb = new StringBuilder(8192);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(esc(app.name())).append(" - ").append(esc(title)).append("</title>")
        .append("<link rel=\"stylesheet\" href=\"/static/millrace-ui.css\">");
    if (charts) {
      sb.append("<link rel=\"stylesheet\" href=\"/static/uPlot.min.css\">");
    }
    sb.append("</head><body data-app-id=\"").append(esc(app.id())).append("\" data-batch-ms=\"")
        .append(progress.batchDurationMs()).append("\">\n<header><span class=\"brand\">Millrace</span>");
    for (String[] link : new String[][] {{"streaming", "/streaming/", "Streaming"},
        {"batches", "/streaming/batches", "Completed batches"}, {"environment", "/environment/", "Environment"}}) {
      sb.append("<a href=\"").append(link[1]).append('"').append(link[0].equals(nav) ? " class=\"active\"" : "")
          .append('>').append(link[2]).append("</a>");
    }
    sb.append("<a href=\"/api/v1/applications/").append(esc(app.id())).append("/streaming/statistics\">REST</a>")
        .append("<a href=\"/metrics\">Metrics</a>")
        .append("<span class=\"app\">").append(esc(app.name())).append(" application UI</span></header>\n<main>")
        .append("<h1>").append(esc(title)).append("</h1>\n").append(body).append("</main>");
    if (charts) {
      sb.append("<script src=\"/static/uPlot.iife.min.js\"></script>")
          .append("<script src=\"/static/millrace-ui.js\"></script>");
    }
    sb.append("</body></html>\n");
    return sb.toString();
  }

  // ------------------------------------------------------------ streaming page

  String streaming() {
    Map<String, Object> stats = api.statistics();
    StringBuilder b = new StringBuilder(8192);
    long start = progress.startTime();
    b.append("<p class=\"summary\">Running batches of <strong>").append(duration(Optional.of(progress.batchDurationMs())))
        .append("</strong>").append(start >= 0 ? " since <strong>" + esc(time(start)) + "</strong>" : "")
        .append(" (<strong data-stat=\"numTotalCompletedBatches\">").append(progress.totalCompletedBatches())
        .append("</strong> completed batches, <strong data-stat=\"numReceivedRecords\">")
        .append(progress.totalReceivedRecords()).append("</strong> records)</p>\n");
    b.append("<ul class=\"counts\">")
        .append("<li>Running batches: <strong id=\"running-count\">").append(progress.numRunning()).append("</strong></li>")
        .append("<li>Waiting batches: <strong id=\"waiting-count\">").append(progress.numWaiting()).append("</strong></li>")
        .append("<li>Completed batches: <strong id=\"completed-count\">").append(progress.totalCompletedBatches())
        .append("</strong></li></ul>\n");

    b.append("<h2>Statistics</h2><table class=\"stats\" id=\"stat-table\"><thead><tr><th>Metric</th><th>Average</th>")
        .append("<th>Timeline</th><th>Histogram</th></tr></thead><tbody>\n");
    List<BatchInfo> done = progress.completedBatches();
    long batchMs = progress.batchDurationMs();
    statRow(b, "inputRate", "Input Rate", rate(stats.get("avgInputRate")),
        summary(done, x -> Optional.of(x.numRecords() * 1000 / batchMs), v -> v + " records/sec"));
    statRow(b, "schedulingDelay", "Scheduling Delay", duration(asLong(stats.get("avgSchedulingDelay"))),
        summary(done, BatchInfo::schedulingDelay, v -> duration(Optional.of(v))));
    statRow(b, "processingTime", "Processing Time", duration(asLong(stats.get("avgProcessingTime"))),
        summary(done, BatchInfo::processingDelay, v -> duration(Optional.of(v))));
    statRow(b, "totalDelay", "Total Delay", duration(asLong(stats.get("avgTotalDelay"))),
        summary(done, BatchInfo::totalDelay, v -> duration(Optional.of(v))));
    b.append("</tbody></table>\n");

    b.append("<h2>Receivers</h2>");
    List<ReceiverInfo> receivers = progress.receivers();
    if (receivers.isEmpty()) {
      b.append("<p>No receivers: this job's inputs are direct streams.</p>\n");
    } else {
      Map<Integer, Long> lags = live.lags();
      b.append("<table id=\"receivers\"><thead><tr><th>Stream</th><th>Name</th><th>Status</th><th>Location</th>")
          .append("<th>Executor</th><th title=\"records received, not yet in a batch\">Lag</th>")
          .append("<th>Last error time</th><th>Last error</th></tr></thead><tbody>");
      for (ReceiverInfo r : receivers) {
        Long lag = lags.get(r.streamId());
        b.append("<tr><td>").append(r.streamId()).append("</td><td>").append(esc(r.name())).append("</td><td class=\"")
            .append(r.active() ? "ok\">ACTIVE" : "bad\">INACTIVE").append("</td><td>").append(esc(r.location()))
            .append("</td><td>").append(esc(r.executorId())).append("</td><td class=\"lag\">")
            .append(lag == null ? "-" : lag.toString()).append("</td><td>")
            .append(r.lastErrorTime() >= 0 ? esc(time(r.lastErrorTime())) : "-").append("</td><td>")
            .append(r.lastErrorMessage().isEmpty() ? "-"
                : "<details><summary>" + esc(r.lastErrorMessage()) + "</summary><pre>" + esc(r.lastError())
                    + "</pre></details>")
            .append("</td></tr>");
      }
      b.append("</tbody></table>\n");
    }

    List<StreamingMetrics.OperatorState> states = live.operatorStates();
    if (!states.isEmpty()) {
      b.append("<h2>State</h2><table id=\"operator-state\"><thead><tr><th>Operator</th><th>Id</th>")
          .append("<th>Created at</th><th>Keys</th></tr></thead><tbody>");
      for (StreamingMetrics.OperatorState o : states) {
        b.append("<tr><td>").append(esc(o.kind())).append("</td><td>").append(esc(o.id())).append("</td><td>")
            .append(esc(o.callSite())).append("</td><td class=\"keys\">").append(o.keys()).append("</td></tr>");
      }
      b.append("</tbody></table>\n");
    }

    List<StreamingProgress.Batch> all = progress.allBatches();
    b.append("<h2>Active batches</h2>");
    batchTable(b, all.stream().filter(x -> x.status() != StreamingProgress.Status.COMPLETED).toList(), "active-batches");
    b.append("<h2>Recent completed batches</h2>");
    batchTable(b, all.stream().filter(x -> x.status() == StreamingProgress.Status.COMPLETED).limit(RECENT_BATCHES)
        .toList(), "recent-batches");
    b.append("<p><a href=\"/streaming/batches\">All completed batches</a></p>\n");
    return page("Streaming Statistics", "streaming", b.toString(), true);
  }

  private static Optional<Long> asLong(Object o) {
    return o instanceof Long l ? Optional.of(l) : Optional.empty();
  }

  private static String rate(Object o) {
    if (o instanceof java.util.OptionalDouble d) {
      return d.isPresent() ? String.format(Locale.ROOT, "%.2f records/sec", d.getAsDouble()) : "-";
    }
    return o instanceof Double d ? String.format(Locale.ROOT, "%.2f records/sec", d) : "-";
  }

  /** Last, smallest and largest value over the retained batches: what the charts show, in words. */
  private static String summary(List<BatchInfo> batches, java.util.function.Function<BatchInfo, Optional<Long>> f,
      java.util.function.LongFunction<String> format) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    Long last = null;
    int n = 0;
    for (BatchInfo x : batches) {
      Optional<Long> v = f.apply(x);
      if (v.isPresent()) {
        min = Math.min(min, v.get());
        max = Math.max(max, v.get());
        last = v.get();
        n++;
      }
    }
    if (n == 0) {
      return "No completed batch yet.";
    }
    return "Last " + format.apply(last) + ", min " + format.apply(min) + ", max " + format.apply(max) + " over " + n
        + " batches.";
  }

  private static void statRow(StringBuilder b, String key, String label, String avg, String summary) {
    b.append("<tr><th scope=\"row\">").append(label).append("</th><td data-avg=\"").append(key).append("\">")
        .append(esc(avg)).append("</td><td><div class=\"chart\" id=\"timeline-").append(key)
        .append("\"><noscript>").append(esc(summary)).append(" (Charts need JavaScript.)</noscript></div></td>")
        .append("<td><div class=\"chart hist\" id=\"histogram-").append(key).append("\"></div></td></tr>\n");
  }

  private void batchTable(StringBuilder b, List<StreamingProgress.Batch> batches, String id) {
    b.append("<table class=\"batches\" id=\"").append(id).append("\"><thead><tr><th>Batch time</th><th>Records</th>")
        .append("<th>Scheduling delay</th><th>Processing time</th><th>Total delay</th>")
        .append("<th>Output ops: succeeded/total</th><th>Status</th></tr></thead><tbody>");
    if (batches.isEmpty()) {
      b.append("<tr><td colspan=\"7\">None</td></tr>");
    }
    for (StreamingProgress.Batch x : batches) {
      BatchInfo info = x.info();
      long ok = x.outputOps().values().stream()
          .filter(o -> o.endTime().isPresent() && o.failureReason().isEmpty()).count();
      Optional<String> failure = x.outputOps().values().stream().map(OutputOperationInfo::failureReason)
          .flatMap(Optional::stream).findFirst();
      b.append("<tr data-batch-id=\"").append(x.batchId()).append("\"><td><a href=\"/streaming/batch?id=")
          .append(x.batchId()).append("\">").append(esc(time(x.batchId()))).append("</a></td><td>")
          .append(info.numRecords()).append(" records</td><td>").append(duration(info.schedulingDelay()))
          .append("</td><td>").append(duration(info.processingDelay())).append("</td><td>")
          .append(duration(info.totalDelay())).append("</td><td>").append(ok).append('/')
          .append(x.outputOps().size()).append("</td><td")
          .append(failure.isPresent() ? " class=\"bad\">failed: " + esc(firstLine(failure.get()))
              : ">" + x.status().name().toLowerCase(Locale.ROOT))
          .append("</td></tr>");
    }
    b.append("</tbody></table>\n");
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  // ------------------------------------------------------------ completed batches, paged

  String batches(int pageNumber) {
    List<StreamingProgress.Batch> done = progress.allBatches().stream()
        .filter(x -> x.status() == StreamingProgress.Status.COMPLETED).toList();
    int pages = Math.max(1, (done.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    int pageNo = Math.min(Math.max(1, pageNumber), pages);
    List<StreamingProgress.Batch> slice =
        done.subList((pageNo - 1) * PAGE_SIZE, Math.min(done.size(), pageNo * PAGE_SIZE));
    StringBuilder b = new StringBuilder(8192);
    b.append("<p>").append(done.size()).append(" retained of ").append(progress.totalCompletedBatches())
        .append(" completed batches, newest first. Page ").append(pageNo).append(" of ").append(pages).append(".</p>");
    pager(b, pageNo, pages);
    batchTable(b, slice, "completed-batches");
    pager(b, pageNo, pages);
    return page("Completed Batches", "batches", b.toString(), false);
  }

  private static void pager(StringBuilder b, int pageNo, int pages) {
    b.append("<nav class=\"pager\">");
    if (pageNo > 1) {
      b.append("<a rel=\"prev\" href=\"/streaming/batches?page=").append(pageNo - 1).append("\">&larr; Newer</a> ");
    }
    if (pageNo < pages) {
      b.append("<a rel=\"next\" href=\"/streaming/batches?page=").append(pageNo + 1).append("\">Older &rarr;</a>");
    }
    b.append("</nav>");
  }

  // ------------------------------------------------------------ one batch

  /** The page of batch {@code batchId}, or empty if it is not known (any more). */
  Optional<String> batch(long batchId) {
    Optional<StreamingProgress.Batch> found = progress.batch(batchId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    StreamingProgress.Batch x = found.get();
    BatchInfo info = x.info();
    StringBuilder b = new StringBuilder(4096);
    b.append("<dl class=\"facts\" id=\"batch-facts\" data-batch-id=\"").append(batchId).append("\">")
        .append("<dt>Batch duration</dt><dd>").append(duration(Optional.of(progress.batchDurationMs()))).append("</dd>")
        .append("<dt>Status</dt><dd id=\"batch-status\">").append(x.status().name()).append("</dd>")
        .append("<dt>Input size</dt><dd id=\"batch-input-size\">").append(info.numRecords()).append(" records</dd>")
        .append("<dt>Scheduling delay</dt><dd id=\"batch-scheduling-delay\">").append(duration(info.schedulingDelay()))
        .append("</dd><dt>Processing time</dt><dd id=\"batch-processing-time\">")
        .append(duration(info.processingDelay())).append("</dd><dt>Total delay</dt><dd id=\"batch-total-delay\">")
        .append(duration(info.totalDelay())).append("</dd></dl>\n");

    b.append("<h2>Input per stream</h2><table id=\"batch-inputs\"><thead><tr><th>Stream</th><th>Name</th>")
        .append("<th>Records</th><th>Details</th></tr></thead><tbody>");
    if (info.streamIdToInputInfo().isEmpty()) {
      b.append("<tr><td colspan=\"4\">No input recorded</td></tr>");
    }
    for (StreamInputInfo in : new java.util.TreeMap<>(info.streamIdToInputInfo()).values()) {
      b.append("<tr><td>").append(in.inputStreamId()).append("</td><td>")
          .append(esc(streamNames.getOrDefault(in.inputStreamId(), "stream " + in.inputStreamId())))
          .append("</td><td class=\"records\">").append(in.numRecords()).append("</td><td>");
      if (in.metadata().isEmpty()) {
        b.append('-');
      } else {
        b.append("<ul class=\"meta\">");
        for (Map.Entry<String, Object> e : new java.util.TreeMap<>(in.metadata()).entrySet()) {
          b.append("<li><span class=\"k\">").append(esc(e.getKey())).append("</span> ")
              .append(esc(e.getValue())).append("</li>");
        }
        b.append("</ul>");
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table>\n");

    b.append("<h2>Output operations</h2><table id=\"batch-operations\"><thead><tr><th>Id</th><th>Name</th>")
        .append("<th>Description</th><th>Duration</th><th>Status</th><th>Failure reason</th></tr></thead><tbody>");
    for (OutputOperationInfo op : x.outputOps().values()) {
      String status = op.failureReason().isPresent() ? "failed"
          : op.endTime().isPresent() ? "succeeded" : op.startTime().isPresent() ? "running" : "queued";
      b.append("<tr data-op-id=\"").append(op.id()).append("\"><td>").append(op.id()).append("</td><td>")
          .append(esc(op.name())).append("</td><td><code>").append(esc(op.description())).append("</code></td><td class=\"duration\">")
          .append(duration(op.duration())).append("</td><td class=\"").append(status.equals("failed") ? "bad" : "ok")
          .append("\">").append(status).append("</td><td>")
          .append(op.failureReason().map(f -> "<pre>" + esc(f) + "</pre>").orElse("-")).append("</td></tr>");
    }
    b.append("</tbody></table>\n<p><a href=\"/streaming/\">Back to streaming statistics</a></p>");
    return Optional.of(page("Details of batch at " + time(batchId), "batches", b.toString(), false));
  }

  // ------------------------------------------------------------ configuration

  String environment() {
    StringBuilder b = new StringBuilder(8192);
    b.append("<p>Each setting answers to its <code>millrace.*</code> name and to its Spark name "
        + "<code>spark.*</code>.</p><table id=\"config\"><thead><tr><th>Key</th><th>Spark name</th><th>Value</th>"
        + "<th>Description</th></tr></thead><tbody>");
    Set<String> known = new HashSet<>();
    for (ConfigKey<?> key : ConfigKeys.all()) {
      known.add(key.name());
      boolean set = conf.contains(key.name());
      String value = set ? conf.get(key.name()) : key.defaultText();
      b.append("<tr><td><code>").append(esc(key.name())).append("</code></td><td><code>").append(esc(key.sparkAlias()))
          .append("</code></td><td>")
          .append(value == null ? "<em>(none)</em>" : set ? esc(value) : esc(value) + " <em>(default)</em>")
          .append("</td><td>").append(esc(key.description())).append("</td></tr>");
    }
    b.append("</tbody></table>\n<h2>Other settings</h2><table id=\"other-config\"><thead><tr><th>Key</th>"
        + "<th>Value</th></tr></thead><tbody>");
    int others = 0;
    for (Map.Entry<String, String> e : conf.getAll()) {
      if (!known.contains(e.getKey())) {
        others++;
        b.append("<tr><td><code>").append(esc(e.getKey())).append("</code></td><td>").append(esc(redact(e)))
            .append("</td></tr>");
      }
    }
    if (others == 0) {
      b.append("<tr><td colspan=\"2\">None</td></tr>");
    }
    b.append("</tbody></table>");
    return page("Environment", "environment", b.toString(), false);
  }

  /** Hides values of keys that look secret, as Spark's UI does. */
  static String redact(Map.Entry<String, String> e) {
    String k = e.getKey().toLowerCase(Locale.ROOT);
    return k.contains("secret") || k.contains("password") || k.contains("token") ? "*********(redacted)" : e.getValue();
  }
}
