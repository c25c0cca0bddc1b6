package dev.millrace.ui;

import dev.millrace.streaming.scheduler.BatchInfo;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Spark's streaming gauges ({@code StreamingSource}: {@code receivers}, {@code
 * totalCompletedBatches}, {@code lastCompletedBatch_processingDelay}, ...) with their meanings and
 * defaults (-1 where Spark reports -1 for "no batch yet"), plus per-input-stream gauges, read from
 * a {@link StreamingProgress}. Rendered in Prometheus text format by {@link #prometheus()} and
 * exposed over JMX by {@link JmxMetrics}.
 *
 * <p>Thread-safe.
 */
final class StreamingMetrics {
  /** Prefix of every Prometheus metric name. */
  static final String PREFIX = "millrace_streaming_";

  /** One gauge: Spark's name, a help text and how to read it. */
  record Gauge(String name, String help, ToLongFunction<StreamingProgress> value) {}

  /**
   * What the metrics read from the running engine itself rather than from listener events: each
   * input stream's lag and each stateful operator's state size. Called at every scrape; must not
   * block. Thread-safe.
   */
  interface Live {
    /** Live values of nothing: no stream reports a lag, no operator keeps state. */
    Live NONE = new Live() {
      @Override
      public Map<Integer, Long> lags() {
        return Map.of();
      }

      @Override
      public List<OperatorState> operatorStates() {
        return List.of();
      }
    };

    /** Lag (records accepted, not yet in a batch) of each input stream that can tell, by stream id. */
    Map<Integer, Long> lags();

    /** Each stateful operator whose state is known. */
    List<OperatorState> operatorStates();
  }

  /**
   * The state size of one stateful operator.
   *
   * @param id its stable operator id ({@code updateStateByKey-0}, {@code name-counts})
   * @param kind {@code updateStateByKey}, {@code mapWithState} or {@code reduceByKeyAndWindow}
   * @param callSite where the user created it ({@code updateStateByKey at WordCount.java:42})
   * @param keys keys held by its newest complete state
   */
  record OperatorState(String id, String kind, String callSite, long keys) {}

  private final StreamingProgress progress;
  private final Live live;
  private final String appName;
  private final Map<Integer, String> streamNames;
  private final List<Gauge> gauges = new ArrayList<>();

  /**
   * @param streamNames name of each input stream by id, for labels
   */
  StreamingMetrics(StreamingProgress progress, String appName, Map<Integer, String> streamNames) {
    this(progress, appName, streamNames, Live.NONE);
  }

  /**
   * @param streamNames name of each input stream by id, for labels
   * @param live lags and state sizes read from the engine
   */
  StreamingMetrics(StreamingProgress progress, String appName, Map<Integer, String> streamNames, Live live) {
    this.progress = progress;
    this.live = live;
    this.appName = appName;
    this.streamNames = new LinkedHashMap<>(streamNames);
    gauge("receivers", "Number of receivers.", p -> p.receivers().size());
    gauge("totalCompletedBatches", "Batches completed since the context started.", StreamingProgress::totalCompletedBatches);
    gauge("totalReceivedRecords", "Records received by all input streams since the start.",
        StreamingProgress::totalReceivedRecords);
    gauge("totalProcessedRecords", "Records of completed batches since the start.",
        StreamingProgress::totalProcessedRecords);
    gauge("unprocessedBatches", "Batches waiting or running.", p -> (long) p.numWaiting() + p.numRunning());
    gauge("waitingBatches", "Batches submitted and waiting to run.", StreamingProgress::numWaiting);
    gauge("runningBatches", "Batches running.", StreamingProgress::numRunning);
    gauge("retainedCompletedBatches", "Completed batches the UI remembers.", StreamingProgress::numRetainedCompleted);
    lastCompleted("submissionTime", "When the last completed batch was submitted (ms).", b -> Optional.of(b.submissionTime()));
    lastCompleted("processingStartTime", "When the last completed batch started (ms).", BatchInfo::processingStartTime);
    lastCompleted("processingEndTime", "When the last completed batch ended (ms).", BatchInfo::processingEndTime);
    lastCompleted("processingDelay", "Processing time of the last completed batch (ms).", BatchInfo::processingDelay);
    lastCompleted("schedulingDelay", "Scheduling delay of the last completed batch (ms).", BatchInfo::schedulingDelay);
    lastCompleted("totalDelay", "Total delay of the last completed batch (ms).", BatchInfo::totalDelay);
    lastReceived("submissionTime", "When the last received batch was submitted (ms).", b -> Optional.of(b.submissionTime()));
    lastReceived("processingStartTime", "When the last received batch started (ms).", BatchInfo::processingStartTime);
    lastReceived("processingEndTime", "When the last received batch ended (ms).", BatchInfo::processingEndTime);
    gauge("lastReceivedBatch_records", "Records in the last received batch.",
        p -> p.lastReceived().map(BatchInfo::numRecords).orElse(0L));
  }

  private void gauge(String name, String help, ToLongFunction<StreamingProgress> f) {
    gauges.add(new Gauge(name, help, f));
  }

  private void lastCompleted(String field, String help, Function<BatchInfo, Optional<Long>> f) {
    gauge("lastCompletedBatch_" + field, help + " -1 before the first.",
        p -> p.lastCompleted().flatMap(f).orElse(-1L));
  }

  private void lastReceived(String field, String help, Function<BatchInfo, Optional<Long>> f) {
    gauge("lastReceivedBatch_" + field, help + " -1 before the first.",
        p -> p.lastReceived().flatMap(f).orElse(-1L));
  }

  List<Gauge> gauges() {
    return List.copyOf(gauges);
  }

  long value(Gauge g) {
    return g.value().applyAsLong(progress);
  }

  /** Per input stream: records per second and records in the last completed batch, and total records. */
  record StreamValues(int streamId, String name, double inputRate, long lastBatchRecords, long totalRecords) {}

  List<StreamValues> streams() {
    List<BatchInfo> done = progress.completedBatches();
    BatchInfo last = done.isEmpty() ? null : done.get(done.size() - 1);
    Map<Integer, Long> totals = new LinkedHashMap<>();
    for (BatchInfo b : done) {
      for (StreamInputInfo in : b.streamIdToInputInfo().values()) {
        totals.merge(in.inputStreamId(), in.numRecords(), Long::sum);
      }
    }
    List<StreamValues> out = new ArrayList<>();
    for (Map.Entry<Integer, String> s : streamNames.entrySet()) {
      StreamInputInfo in = last == null ? null : last.streamIdToInputInfo().get(s.getKey());
      long records = in == null ? 0 : in.numRecords();
      out.add(new StreamValues(s.getKey(), s.getValue(), records * 1000.0 / progress.batchDurationMs(), records,
          totals.getOrDefault(s.getKey(), 0L)));
    }
    return out;
  }

  /** Every gauge in Prometheus text exposition format 0.0.4. */
  String prometheus() {
    StringBuilder sb = new StringBuilder(4096);
    String app = "app=\"" + label(appName) + "\"";
    for (Gauge g : gauges) {
      String name = PREFIX + g.name();
      sb.append("# HELP ").append(name).append(' ').append(g.help()).append('\n');
      sb.append("# TYPE ").append(name).append(" gauge\n");
      sb.append(name).append('{').append(app).append("} ").append(value(g)).append('\n');
    }
    List<StreamValues> streams = streams();
    streamFamily(sb, "inputRate", "Records per second of each input stream in the last completed batch.", app,
        streams, s -> format(s.inputRate()));
    streamFamily(sb, "lastBatchRecords", "Records of each input stream in the last completed batch.", app,
        streams, s -> Long.toString(s.lastBatchRecords()));
    streamFamily(sb, "retainedRecords", "Records of each input stream over the retained completed batches.", app,
        streams, s -> Long.toString(s.totalRecords()));
    Map<Integer, Long> lags = live.lags();
    List<StreamValues> lagging = new ArrayList<>();
    for (StreamValues s : streams) {
      if (lags.containsKey(s.streamId())) {
        lagging.add(s);
      }
    }
    streamFamily(sb, "lag", "Records each input stream accepted that are not yet in a batch (streams that can tell).",
        app, lagging, s -> Long.toString(lags.get(s.streamId())));
    String state = PREFIX + "operator_stateSize";
    sb.append("# HELP ").append(state)
        .append(" Keys held by each stateful operator's newest complete state.\n");
    sb.append("# TYPE ").append(state).append(" gauge\n");
    for (OperatorState o : live.operatorStates()) {
      sb.append(state).append('{').append(app).append(",operator_id=\"").append(label(o.id()))
          .append("\",operator=\"").append(label(o.kind())).append("\",call_site=\"").append(label(o.callSite()))
          .append("\"} ").append(o.keys()).append('\n');
    }
    return sb.toString();
  }

  /** The live values, for JMX. */
  Live live() {
    return live;
  }

  private static void streamFamily(StringBuilder sb, String family, String help, String app,
      List<StreamValues> streams, Function<StreamValues, String> value) {
    String name = PREFIX + "stream_" + family;
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" gauge\n");
    for (StreamValues s : streams) {
      sb.append(name).append('{').append(app).append(",stream_id=\"").append(s.streamId())
          .append("\",stream_name=\"").append(label(s.name())).append("\"} ").append(value.apply(s)).append('\n');
    }
  }

  private static String format(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    return Double.toString(d);
  }

  /** Escapes a label value: backslash, double quote and line feed. */
  static String label(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
