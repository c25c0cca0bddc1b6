package dev.millrace.ui;

import dev.millrace.streaming.scheduler.BatchInfo;
import dev.millrace.streaming.scheduler.OutputOperationInfo;
import dev.millrace.streaming.scheduler.ReceiverInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Spark's monitoring REST API for streaming, with its paths, field names and date format, over
 * one application's {@link StreamingProgress}:
 *
 * <pre>
 * /api/v1/applications
 * /api/v1/applications/{appId}
 * /api/v1/applications/{appId}/streaming/statistics
 * /api/v1/applications/{appId}/streaming/receivers
 * /api/v1/applications/{appId}/streaming/receivers/{streamId}
 * /api/v1/applications/{appId}/streaming/batches[?status=QUEUED|PROCESSING|COMPLETED...]
 * /api/v1/applications/{appId}/streaming/batches/{batchId}
 * /api/v1/applications/{appId}/streaming/batches/{batchId}/operations
 * /api/v1/applications/{appId}/streaming/batches/{batchId}/operations/{outputOpId}
 * </pre>
 *
 * Absent values are left out, as Spark leaves out empty options; a batch id is its batch time in
 * milliseconds. Unknown ids answer 404 with Spark's messages. Stateless apart from its inputs;
 * thread-safe.
 */
final class RestApi {
  /** Spark's date format: {@code 2015-09-29T20:59:00.000GMT}. */
  static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  /** A response: status, content type and body. */
  record Response(int status, String contentType, String body) {
    static Response json(Object tree) {
      return new Response(200, "application/json; charset=utf-8", Json.write(tree) + "\n");
    }

    static Response error(int status, String message) {
      return new Response(status, "text/plain; charset=utf-8", message + "\n");
    }
  }

  /** The application as {@code /applications} shows it. */
  record AppInfo(String id, String name, String user, long startTime, String version) {}

  private final AppInfo app;
  private final StreamingProgress progress;

  RestApi(AppInfo app, StreamingProgress progress) {
    this.app = app;
    this.progress = progress;
  }

  static String date(long epochMillis) {
    return DATE.format(Instant.ofEpochMilli(epochMillis));
  }

  /**
   * Answers {@code path} (after {@code /api/v1/}) with {@code query} parameters.
   */
  Response handle(String path, Map<String, List<String>> query) {
    String[] p = path.isEmpty() ? new String[0] : path.split("/", -1);
    if (p.length == 0 || !p[0].equals("applications")) {
      return Response.error(404, "no such API: /api/v1/" + path);
    }
    if (p.length == 1) {
      return Response.json(List.of(application()));
    }
    if (!p[1].equals(app.id())) {
      return Response.error(404, "unknown app: " + p[1]);
    }
    if (p.length == 2) {
      return Response.json(application());
    }
    if (p.length < 4 || !p[2].equals("streaming")) {
      return Response.error(404, "no such API: /api/v1/" + path);
    }
    switch (p[3]) {
      case "statistics":
        return p.length == 4 ? Response.json(statistics()) : notFound(path);
      case "receivers":
        if (p.length == 4) {
          return Response.json(receivers());
        }
        if (p.length == 5) {
          Optional<Integer> id = parseInt(p[4]);
          Optional<ReceiverInfo> r = id.flatMap(progress::receiver);
          return r.isPresent() ? Response.json(receiver(r.get())) : Response.error(404, "unknown receiver: " + p[4]);
        }
        return notFound(path);
      case "batches":
        return batches(p, path, query);
      default:
        return notFound(path);
    }
  }

  private static Response notFound(String path) {
    return Response.error(404, "no such API: /api/v1/" + path);
  }

  private Response batches(String[] p, String path, Map<String, List<String>> query) {
    if (p.length == 4) {
      Set<StreamingProgress.Status> statuses = EnumSet.allOf(StreamingProgress.Status.class);
      List<String> asked = query.getOrDefault("status", List.of());
      if (!asked.isEmpty()) {
        statuses = EnumSet.noneOf(StreamingProgress.Status.class);
        for (String s : asked) {
          try {
            statuses.add(StreamingProgress.Status.valueOf(s.toUpperCase(Locale.ROOT)));
          } catch (IllegalArgumentException e) {
            return Response.error(400, "Illegal value for status: " + s + " (use QUEUED, PROCESSING or COMPLETED)");
          }
        }
      }
      List<Object> out = new ArrayList<>();
      for (StreamingProgress.Batch b : progress.allBatches()) {
        if (statuses.contains(b.status())) {
          out.add(batch(b));
        }
      }
      return Response.json(out);
    }
    Optional<StreamingProgress.Batch> batch = parseLong(p[4]).flatMap(progress::batch);
    if (batch.isEmpty()) {
      return Response.error(404, "unknown batch: " + p[4]);
    }
    if (p.length == 5) {
      return Response.json(batch(batch.get()));
    }
    if (!p[5].equals("operations")) {
      return notFound(path);
    }
    Map<Integer, OutputOperationInfo> ops = batch.get().outputOps();
    if (p.length == 6) {
      List<Object> out = new ArrayList<>();
      for (OutputOperationInfo op : ops.values()) {
        out.add(operation(op));
      }
      return Response.json(out);
    }
    if (p.length == 7) {
      Optional<OutputOperationInfo> op = parseInt(p[6]).map(ops::get);
      return op.isPresent() ? Response.json(operation(op.get()))
          : Response.error(404, "unknown output operation: " + p[6]);
    }
    return notFound(path);
  }

  private static Optional<Integer> parseInt(String s) {
    try {
      return Optional.of(Integer.parseInt(s));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<Long> parseLong(String s) {
    try {
      return Optional.of(Long.parseLong(s));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  // ------------------------------------------------------------ trees

  Map<String, Object> application() {
    Map<String, Object> attempt = Json.object();
    attempt.put("startTime", date(app.startTime()));
    attempt.put("endTime", date(-1));
    attempt.put("lastUpdated", date(app.startTime()));
    attempt.put("duration", 0L);
    attempt.put("sparkUser", app.user());
    attempt.put("completed", false);
    attempt.put("appSparkVersion", app.version());
    attempt.put("startTimeEpoch", app.startTime());
    attempt.put("endTimeEpoch", -1L);
    attempt.put("lastUpdatedEpoch", app.startTime());
    Map<String, Object> a = Json.object();
    a.put("id", app.id());
    a.put("name", app.name());
    a.put("attempts", List.of(attempt));
    return a;
  }

  Map<String, Object> statistics() {
    List<BatchInfo> done = progress.completedBatches();
    long batchMs = progress.batchDurationMs();
    List<ReceiverInfo> receivers = progress.receivers();
    int active = (int) receivers.stream().filter(ReceiverInfo::active).count();
    Map<String, Object> s = Json.object();
    long start = progress.startTime();
    s.put("startTime", start >= 0 ? date(start) : null);
    s.put("batchDuration", batchMs);
    s.put("numReceivers", receivers.size());
    s.put("numActiveReceivers", active);
    s.put("numInactiveReceivers", receivers.size() - active);
    s.put("numTotalCompletedBatches", progress.totalCompletedBatches());
    s.put("numRetainedCompletedBatches", (long) done.size());
    s.put("numActiveBatches", (long) progress.numWaiting() + progress.numRunning());
    s.put("numProcessedRecords", progress.totalProcessedRecords());
    s.put("numReceivedRecords", progress.totalReceivedRecords());
    OptionalDouble rate = done.stream().mapToDouble(b -> b.numRecords() * 1000.0 / batchMs).average();
    s.put("avgInputRate", rate);
    s.put("avgSchedulingDelay", avgTime(done, BatchInfo::schedulingDelay));
    s.put("avgProcessingTime", avgTime(done, BatchInfo::processingDelay));
    s.put("avgTotalDelay", avgTime(done, BatchInfo::totalDelay));
    return s;
  }

  /** Integer average of the present values, as Spark computes it; null when there are none. */
  private static Long avgTime(List<BatchInfo> batches, java.util.function.Function<BatchInfo, Optional<Long>> f) {
    long sum = 0;
    long n = 0;
    for (BatchInfo b : batches) {
      Optional<Long> v = f.apply(b);
      if (v.isPresent()) {
        sum += v.get();
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }

  List<Object> receivers() {
    List<Object> out = new ArrayList<>();
    for (ReceiverInfo r : progress.receivers()) {
      out.add(receiver(r));
    }
    return out;
  }

  Map<String, Object> receiver(ReceiverInfo r) {
    List<long[]> records = progress.recordsByStream().getOrDefault(r.streamId(), List.of());
    long batchMs = progress.batchDurationMs();
    List<Object> eventRates = new ArrayList<>();
    double sum = 0;
    for (long[] tr : records) {
      double rate = tr[1] * 1000.0 / batchMs;
      sum += rate;
      eventRates.add(List.of(tr[0], rate));
    }
    boolean hasError = !r.lastErrorMessage().isEmpty();
    Map<String, Object> m = Json.object();
    m.put("streamId", r.streamId());
    m.put("streamName", r.name());
    m.put("isActive", r.active());
    m.put("executorId", r.executorId());
    m.put("executorHost", r.location());
    m.put("lastErrorTime", r.lastErrorTime() >= 0 ? date(r.lastErrorTime()) : null);
    m.put("lastErrorMessage", hasError ? r.lastErrorMessage() : null);
    m.put("lastError", hasError ? r.lastError() : null);
    m.put("avgEventRate", records.isEmpty() ? null : sum / records.size());
    m.put("eventRates", eventRates);
    return m;
  }

  Map<String, Object> batch(StreamingProgress.Batch b) {
    BatchInfo info = b.info();
    int active = 0;
    int completed = 0;
    int failed = 0;
    String firstFailure = null;
    for (OutputOperationInfo op : b.outputOps().values()) {
      if (op.failureReason().isPresent()) {
        failed++;
        if (firstFailure == null) {
          firstFailure = op.failureReason().get();
        }
      } else if (op.endTime().isPresent()) {
        completed++;
      }
      if (op.endTime().isEmpty()) {
        active++;
      }
    }
    Map<String, Object> m = Json.object();
    m.put("batchId", b.batchId());
    m.put("batchTime", date(b.batchId()));
    m.put("status", b.status().name());
    m.put("batchDuration", progress.batchDurationMs());
    m.put("inputSize", info.numRecords());
    m.put("schedulingDelay", info.schedulingDelay());
    m.put("processingTime", info.processingDelay());
    m.put("totalDelay", info.totalDelay());
    m.put("numActiveOutputOps", active);
    m.put("numCompletedOutputOps", completed);
    m.put("numFailedOutputOps", failed);
    m.put("numTotalOutputOps", b.outputOps().size());
    m.put("firstFailureReason", firstFailure);
    return m;
  }

  static Map<String, Object> operation(OutputOperationInfo op) {
    Map<String, Object> m = Json.object();
    m.put("outputOpId", op.id());
    m.put("name", op.name());
    m.put("description", op.description());
    m.put("startTime", op.startTime().map(RestApi::date));
    m.put("endTime", op.endTime().map(RestApi::date));
    m.put("duration", op.duration());
    m.put("failureReason", op.failureReason());
    m.put("jobIds", List.of());
    return m;
  }
}
