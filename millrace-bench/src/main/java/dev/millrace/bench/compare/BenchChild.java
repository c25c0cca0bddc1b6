package dev.millrace.bench.compare;

import dev.millrace.bench.input.LineServer;
import dev.millrace.bench.input.StateKeys;
import dev.millrace.bench.input.ZipfLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The program each child JVM of the comparison runs: one workload on one engine, printing its
 * figures as {@link Result} lines on standard output.
 *
 * <pre>
 * java -cp ... dev.millrace.bench.compare.BenchChild millrace wordcount startWords=1000000 ...
 * java -cp ... dev.millrace.bench.compare.BenchChild plain plainloop words=10000000
 * </pre>
 *
 * <p>Engines: {@code millrace}, {@code spark} (needs the classes built with {@code -Pspark} and
 * Spark's jars on the class path), {@code plain} (only for {@code plainloop}). Workloads and their
 * parameters (all optional, {@code key=value}) are documented on each routine below. Everything
 * that differs between the engines lives behind {@link StreamingSide}; the routines here are shared,
 * so both engines are driven identically. Each routine runs on the child's main thread; the
 * engines' own threads only report through {@link BatchLog}.
 */
public final class BenchChild {
  /** Seed of the input lines; the same in every child. */
  static final long SEED = 42;

  private final Map<String, String> params;
  private final String engine;
  private final String workload;

  private BenchChild(String engine, String workload, Map<String, String> params) {
    this.engine = engine;
    this.workload = workload;
    this.params = params;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: BenchChild <millrace|spark|plain> <wordcount|socket|overhead|startup|state|window|plainloop> [key=value...]");
      System.exit(2);
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 2; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected key=value, got '" + args[i] + "'");
      }
      params.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    new BenchChild(args[0], args[1], params).run();
    System.out.flush();
    // Spark leaves non-daemon threads behind; a child is done once its figures are printed.
    System.exit(0);
  }

  private void run() throws Exception {
    switch (workload) {
      case "plainloop":
        plainLoop();
        return;
      case "wordcount":
        try (StreamingSide side = side()) {
          wordCount(side);
        }
        return;
      case "socket":
        try (StreamingSide side = side()) {
          socket(side);
        }
        return;
      case "overhead":
        try (StreamingSide side = side()) {
          overhead(side);
        }
        return;
      case "startup":
        startup();
        return;
      case "state":
        try (StreamingSide side = side()) {
          state(side);
        }
        return;
      case "window":
        try (StreamingSide side = side()) {
          window(side);
        }
        return;
      default:
        throw new IllegalArgumentException("unknown workload '" + workload + "'");
    }
  }

  private StreamingSide side() throws ReflectiveOperationException {
    switch (engine) {
      case "millrace":
        return new MillraceSide();
      case "spark":
        // Compiled only with -Pspark; loaded by name so the default build needs no Spark.
        return (StreamingSide) Class.forName("dev.millrace.bench.compare.spark.SparkSide")
            .getDeclaredConstructor().newInstance();
      default:
        throw new IllegalArgumentException("engine '" + engine + "' cannot run " + workload);
    }
  }

  private long longParam(String key, long def) {
    String v = params.get(key);
    return v == null ? def : Long.parseLong(v);
  }

  private double doubleParam(String key, double def) {
    String v = params.get(key);
    return v == null ? def : Double.parseDouble(v);
  }

  private void emit(String metric, double value) {
    System.out.println(new Result(workload, engine, metric, value).format());
  }

  private static void log(String msg) {
    System.err.println("[bench] " + msg);
  }

  /**
   * Workload 1: the largest batch the engine processes within the batch interval. Feeds batches of
   * growing size (factor {@code growth}) one at a time, each after the previous one completed, so
   * every batch starts on time; a size passes when the median processing delay of {@code
   * stepBatches} batches is below the interval. Then {@code bisections} geometric bisections
   * between the last passing and the first failing size. Reports {@code words_per_s} = largest
   * passing batch (words) / interval (s), and the processing delay at that size.
   */
  private void wordCount(StreamingSide side) throws Exception {
    long interval = longParam("intervalMs", 1000);
    long start = longParam("startWords", 1_000_000);
    long max = longParam("maxWords", 80_000_000);
    double growth = doubleParam("growth", 1.5);
    int stepBatches = (int) longParam("stepBatches", 3);
    int bisections = (int) longParam("bisections", 3);
    int warmup = (int) longParam("warmupBatches", 5);
    ZipfLines gen = ZipfLines.standard(SEED);
    List<String> pool = gen.lines((int) longParam("poolLines", 1_000_000));
    BatchLog log = new BatchLog();
    side.startWordCount(interval, log);
    long timeout = interval * 60 + 60_000;
    for (int i = 0; i < warmup; i++) {
      measure(side, log, pool, start, 1, timeout);
    }
    long pass = 0;
    double passDelay = Double.NaN;
    long fail = 0;
    long size = start;
    // Find a bracket [pass, fail).
    while (true) {
      double d = measure(side, log, pool, size, stepBatches, timeout);
      log(engine + " wordcount " + size + " words: median processing " + d + " ms");
      if (d < interval) {
        pass = size;
        passDelay = d;
        if (fail > 0) {
          break;
        }
        if (size >= max) {
          log("reached maxWords; the figure is a lower bound");
          break;
        }
        size = Math.min(max, (long) (size * growth));
      } else {
        fail = size;
        if (pass > 0 || size <= 10_000) {
          break;
        }
        size = (long) (size / growth);
      }
    }
    for (int b = 0; b < bisections && pass > 0 && fail > 0; b++) {
      long mid = (long) Math.sqrt((double) pass * fail);
      double d = measure(side, log, pool, mid, stepBatches, timeout);
      log(engine + " wordcount " + mid + " words: median processing " + d + " ms");
      if (d < interval) {
        pass = mid;
        passDelay = d;
      } else {
        fail = mid;
      }
    }
    side.stopStreaming();
    emit("words_per_s", pass * 1000.0 / interval);
    emit("largest_batch_words", pass);
    emit("processing_ms_at_largest", passDelay);
  }

  /** Median processing delay of {@code batches} batches of about {@code words} words each. */
  private static double measure(StreamingSide side, BatchLog log, List<String> pool, long words, int batches,
      long timeoutMs) throws Exception {
    List<String> lines = ZipfLines.cycle(pool, (int) Math.max(1, words / ZipfLines.STANDARD_WORDS_PER_LINE));
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < batches; i++) {
      side.enqueue(lines);
      delays.add(log.next(timeoutMs).processingDelayMs());
    }
    return Stats.median(delays);
  }

  /**
   * Workload 2: socket ingest. The highest offered line rate the engine sustains on the seed's
   * pipeline over {@code socketTextStream}, fed by a {@link LineServer} on this JVM, by the
   * criterion and search of {@link IngestSearch}. In order:
   *
   * <ol>
   *   <li>the generator alone: lines/s into a null sink and through loopback TCP into a
   *       discarding reader, {@code generatorMs} (1000) each ({@code generator_*_lines_per_s});
   *   <li>the engine starts with {@link StreamingSide#startSocketWordCount} at {@code intervalMs}
   *       (1000) and connects to the paused generator;
   *   <li>warm-up: {@code warmupBatches} (2) batches at {@code startRate} (50,000 lines/s), not
   *       judged; if the last of them was scheduled an interval late or more, the backlog drains
   *       (the generator pauses until a batch that began after the pause brought no records and
   *       was scheduled within the interval);
   *   <li>the search, from {@link IngestSearch#startFrom} the warm-up batches (or from {@code
   *       firstRate}, to profile one rate with {@code maxSteps=1}): each step sets the rate,
   *       skips the batches that began before it and {@code settleBatches} (1) more, judges the
   *       next {@code measuredBatches} (3), and drains after a failure; {@code target} (0.8),
   *       {@code minUp} (1.15), {@code maxUp} (5), {@code down} (0.5), {@code precision} (1.1), at
   *       most {@code maxSteps} (5) steps.
   * </ol>
   *
   * Reports {@code lines_per_s} (the highest passing rate, 0 if none), {@code mb_per_s} (that times
   * the mean line size with its newline, in 10^6 bytes/s), {@code bytes_per_line}, the median
   * processing delay of that step ({@code processing_ms_at_best}), the number of steps, and {@code
   * bracketed}: 1 when a step failed above the best rate, 0 when the figure is only a lower bound.
   */
  private void socket(StreamingSide side) throws Exception {
    long interval = longParam("intervalMs", 1000);
    int settle = (int) longParam("settleBatches", 1);
    int measured = (int) longParam("measuredBatches", 3);
    int maxSteps = (int) longParam("maxSteps", 5);
    int warmup = (int) longParam("warmupBatches", 2);
    long startRate = longParam("startRate", 50_000);
    double target = doubleParam("target", 0.8);
    double minUp = doubleParam("minUp", 1.15);
    double maxUp = doubleParam("maxUp", 5);
    double down = doubleParam("down", 0.5);
    double precision = doubleParam("precision", 1.1);
    long generatorMs = longParam("generatorMs", 1000);
    List<String> pool = ZipfLines.standard(SEED).lines((int) longParam("poolLines", 100_000));

    double nullSink = LineServer.measureNullSink(pool, generatorMs);
    double loopback = LineServer.measureLoopback(pool, 200, generatorMs);
    try (LineServer server = LineServer.start(pool)) {
      double bytesPerLine = server.meanBytesPerLine();
      log(String.format(java.util.Locale.ROOT, "generator alone: %.3g lines/s into a null sink, %.3g lines/s "
          + "(%.0f MB/s) through loopback, %.1f bytes per line", nullSink, loopback, loopback * bytesPerLine / 1e6,
          bytesPerLine));
      emit("generator_null_lines_per_s", nullSink);
      emit("generator_loopback_lines_per_s", loopback);
      emit("bytes_per_line", bytesPerLine);

      BatchLog log = BatchLog.everyBatch();
      side.startSocketWordCount("127.0.0.1", server.port(), interval, log);
      long deadline = System.currentTimeMillis() + 120_000;
      while (server.clients() == 0) {
        if (System.currentTimeMillis() > deadline) {
          throw new java.util.concurrent.TimeoutException("the receiver did not connect within 120 s");
        }
        Thread.sleep(10);
      }
      long timeout = interval * 60 + 120_000;

      // Warm-up at the start rate, not judged; drained if it left a backlog.
      List<BatchLog.AnyBatch> warm = step(server, log, startRate, interval, 0, warmup, timeout);
      log(engine + " socket warm-up at " + startRate + " lines/s: " + warm);
      if (warm.isEmpty() || warm.get(warm.size() - 1).schedulingDelayMs() >= interval) {
        drain(server, log, interval, timeout);
      }
      long first = params.containsKey("firstRate") ? longParam("firstRate", startRate)
          : IngestSearch.startFrom(startRate, interval, target, maxUp, warm);
      IngestSearch search = new IngestSearch(first, interval, target, minUp, maxUp, down, precision, maxSteps);
      double processingAtBest = Double.NaN;
      for (long rate = search.next(); rate > 0; rate = search.next()) {
        List<BatchLog.AnyBatch> batches = step(server, log, rate, interval, settle, measured, timeout);
        IngestSearch.Verdict v = IngestSearch.judge(rate, interval, batches, measured);
        log(engine + " socket " + rate + " lines/s: " + (v.pass() ? "PASS" : "FAIL") + " (" + v.reason()
            + "; received " + Math.round(100 * v.receivedFraction()) + "%, median processing "
            + v.medianProcessingMs() + " ms, last scheduling " + v.lastSchedulingDelayMs() + " ms) " + batches);
        search.record(rate, v);
        if (v.pass()) {
          if (rate == search.best()) {
            processingAtBest = v.medianProcessingMs();
          }
        } else {
          drain(server, log, interval, timeout);
        }
      }
      server.setRate(0);
      side.stopStreaming();
      long best = search.best();
      emit("lines_per_s", best);
      emit("mb_per_s", best * bytesPerLine / 1e6);
      emit("processing_ms_at_best", processingAtBest);
      emit("steps", search.steps().size());
      emit("bracketed", search.bracketed() ? 1 : 0);
    }
  }

  /**
   * Offers {@code rate} lines/s and returns the measured batches: those that began at or after the
   * rate change, less the first {@code settle}, at most {@code wanted}; stops early when a batch's
   * scheduling delay exceeds {@link IngestSearch#ABORT_INTERVALS} intervals.
   */
  private static List<BatchLog.AnyBatch> step(LineServer server, BatchLog log, long rate, long interval, int settle,
      int wanted, long timeoutMs) throws Exception {
    long t0 = System.currentTimeMillis();
    server.setRate(rate);
    List<BatchLog.AnyBatch> out = new ArrayList<>();
    int skipped = 0;
    while (out.size() < wanted) {
      BatchLog.AnyBatch b = log.nextAny(timeoutMs);
      if (b.batchTimeMs() - interval < t0) {
        continue;
      }
      boolean behind = b.schedulingDelayMs() > IngestSearch.ABORT_INTERVALS * interval;
      if (skipped < settle && !behind) {
        skipped++;
        continue;
      }
      out.add(b);
      if (behind) {
        break;
      }
    }
    return out;
  }

  /**
   * Pauses the generator and waits for the backlog to drain: until a batch that began after the
   * pause brought no records and was scheduled within the interval.
   */
  private void drain(LineServer server, BatchLog log, long interval, long timeoutMs) throws Exception {
    long t0 = System.currentTimeMillis();
    server.setRate(0);
    while (true) {
      BatchLog.AnyBatch b = log.nextAny(timeoutMs);
      if (b.batchTimeMs() - interval >= t0 && b.inputRecords() == 0 && b.schedulingDelayMs() < interval) {
        log(engine + " socket drained in " + (System.currentTimeMillis() - t0) + " ms");
        return;
      }
    }
  }

  /**
   * Workload 3: per-batch overhead. For each interval in {@code intervals} (ms, comma-separated),
   * a new streaming context on the same batch context first runs {@code warmupBatches} tiny
   * batches of {@code lines} lines and waits until they are all done (so a slow, cold start leaves
   * no backlog behind), then queues max({@code minBatches}, {@code seconds} / interval) more up
   * front and measures those. Reports the median, mean and p99 processing delay, and {@code
   * keeps_up}: 1 when the median processing delay is below the interval and the median scheduling
   * delay of the last quarter of the batches is at most one interval (a backlog that grows means
   * it does not keep up). Delays come from the engines' batch info, in whole milliseconds; the mean
   * of such differences is still an unbiased estimate when most of them round to 0 or 1.
   */
  private void overhead(StreamingSide side) throws Exception {
    String[] intervals = params.getOrDefault("intervals", "100,50,20,10").split(",");
    double seconds = doubleParam("seconds", 5);
    int minBatches = (int) longParam("minBatches", 40);
    int warmup = (int) longParam("warmupBatches", 20);
    List<String> lines = ZipfLines.standard(SEED).lines((int) longParam("lines", 10));
    for (String s : intervals) {
      long interval = Long.parseLong(s.trim());
      int measured = (int) Math.max(minBatches, seconds * 1000 / interval);
      BatchLog log = new BatchLog();
      side.startWordCount(interval, log);
      for (int i = 0; i < warmup; i++) {
        side.enqueue(lines);
      }
      for (int i = 0; i < warmup; i++) {
        log.next(120_000);
      }
      for (int i = 0; i < measured; i++) {
        side.enqueue(lines);
      }
      List<Long> processing = new ArrayList<>();
      List<Long> scheduling = new ArrayList<>();
      for (int i = 0; i < measured; i++) {
        BatchLog.Batch b = log.next(120_000);
        processing.add(b.processingDelayMs());
        scheduling.add(b.schedulingDelayMs());
      }
      side.stopStreaming();
      double p50 = Stats.median(processing);
      double p99 = Stats.percentile(processing, 99);
      double mean = processing.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
      double lateScheduling = Stats.median(scheduling.subList(scheduling.size() * 3 / 4, scheduling.size()));
      boolean keepsUp = p50 < interval && lateScheduling <= interval;
      log(engine + " overhead " + interval + " ms: p50 " + p50 + " mean " + mean + " p99 " + p99
          + " late scheduling " + lateScheduling);
      emit("p50_ms_" + interval, p50);
      emit("mean_ms_" + interval, mean);
      emit("p99_ms_" + interval, p99);
      emit("late_scheduling_ms_" + interval, lateScheduling);
      emit("keeps_up_" + interval, keepsUp ? 1 : 0);
    }
  }

  /**
   * Workload 5: state. For each kind in {@code kinds} ({@code updateStateByKey,mapWithState}), a
   * new streaming context at {@code intervalMs} (1000) with {@link StreamingSide#startState} gets,
   * queued up front (one per batch): fill batches of {@code fillBatchRecords} (250,000) records
   * that put each of {@code keys} (1,000,000) keys into the state once, then {@code
   * measuredBatches} (10) batches of {@code recordsPerBatch} (100,000) keys drawn uniformly from
   * all keys. Reports the median and maximum processing delay of the measured batches ({@code
   * <kind>_p50_ms}, {@code <kind>_max_ms}) and the last batch's output count ({@code
   * <kind>_output}: the state's size for updateStateByKey, the batch's records for mapWithState),
   * which checks that the engine really held all keys. Queueing up front keeps every batch
   * non-empty; a batch slower than the interval only delays the next one's start, not its
   * processing delay.
   */
  private void state(StreamingSide side) throws Exception {
    long interval = longParam("intervalMs", 1000);
    int keys = (int) longParam("keys", 1_000_000);
    int fillSize = (int) longParam("fillBatchRecords", 250_000);
    int perBatch = (int) longParam("recordsPerBatch", 100_000);
    int measured = (int) longParam("measuredBatches", 10);
    List<List<String>> fill = StateKeys.fill(keys, fillSize);
    List<List<String>> batches = new ArrayList<>();
    for (int i = 0; i < measured; i++) {
      batches.add(StateKeys.random(SEED, keys, perBatch, i));
    }
    for (String kind : params.getOrDefault("kinds", "updateStateByKey,mapWithState").split(",")) {
      Path ckpt = Files.createTempDirectory("bench-ckpt-" + engine + "-" + kind);
      BatchLog log = new BatchLog();
      side.startState(kind, interval, ckpt.toString(), log);
      runQueued(side, log, kind, fill, batches);
      side.stopStreaming();
      deleteTree(ckpt);
    }
  }

  /**
   * Workload 6: windows. For each variant in {@code variants} ({@code plain,inverse}), a new
   * streaming context at {@code intervalMs} (1000) with {@link StreamingSide#startWindow}, window
   * {@code windowMs} (30,000), slide = interval, gets, queued up front, window / interval batches
   * that fill the window, then {@code measuredBatches} (10) more, each of {@code wordsPerBatch}
   * (200,000) words: consecutive, distinct lines from the standard Zipf input. Reports the median
   * and maximum processing delay of the measured batches, all of them with a full window that
   * slides ({@code <variant>_p50_ms}, {@code <variant>_max_ms}), and the last output count
   * ({@code <variant>_output}, the window's keys).
   */
  private void window(StreamingSide side) throws Exception {
    long interval = longParam("intervalMs", 1000);
    long windowMs = longParam("windowMs", 30_000);
    int linesPerBatch = (int) (longParam("wordsPerBatch", 200_000) / ZipfLines.STANDARD_WORDS_PER_LINE);
    int measured = (int) longParam("measuredBatches", 10);
    int fillCount = (int) (windowMs / interval);
    List<String> all = ZipfLines.standard(SEED).lines(linesPerBatch * (fillCount + measured));
    List<List<String>> fill = new ArrayList<>();
    List<List<String>> batches = new ArrayList<>();
    for (int i = 0; i < fillCount + measured; i++) {
      (i < fillCount ? fill : batches).add(all.subList(i * linesPerBatch, (i + 1) * linesPerBatch));
    }
    for (String variant : params.getOrDefault("variants", "plain,inverse").split(",")) {
      Path ckpt = Files.createTempDirectory("bench-ckpt-" + engine + "-" + variant);
      BatchLog log = new BatchLog();
      side.startWindow(variant.equals("inverse"), interval, windowMs, ckpt.toString(), log);
      runQueued(side, log, variant, fill, batches);
      side.stopStreaming();
      deleteTree(ckpt);
    }
  }

  /** Queues {@code fill} then {@code measured} (one dataset per batch), waits for all, reports the measured. */
  private void runQueued(StreamingSide side, BatchLog log, String name, List<List<String>> fill,
      List<List<String>> measured) throws Exception {
    for (List<String> b : fill) {
      side.enqueue(b);
    }
    for (List<String> b : measured) {
      side.enqueue(b);
    }
    for (int i = 0; i < fill.size(); i++) {
      log.next(300_000);
    }
    List<Long> delays = new ArrayList<>();
    long output = -1;
    for (int i = 0; i < measured.size(); i++) {
      BatchLog.Batch b = log.next(300_000);
      delays.add(b.processingDelayMs());
      output = b.outputRecords();
    }
    double p50 = Stats.median(delays);
    long max = delays.stream().mapToLong(Long::longValue).max().orElse(-1);
    log(engine + " " + workload + " " + name + ": processing delays " + delays + " ms, last output " + output);
    emit(name + "_p50_ms", p50);
    emit(name + "_max_ms", max);
    emit(name + "_output", output);
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /**
   * Workload 4: start-up and memory. Run with the JVM's default flags. Starts the engine and the
   * word count at {@code intervalMs} (100) with one batch of {@code lines} (1000) lines queued,
   * prints the wall-clock time when the first batch completed ({@code first_batch_epoch_ms}; the
   * runner subtracts the time it launched the JVM), then runs {@code batches} (20) more such
   * batches and reports the peak resident set size ({@code VmHWM}, KiB).
   */
  private void startup() throws Exception {
    long interval = longParam("intervalMs", 100);
    List<String> lines = ZipfLines.standard(SEED).lines((int) longParam("lines", 1000));
    try (StreamingSide side = side()) {
      BatchLog log = new BatchLog();
      side.startWordCount(interval, log);
      side.enqueue(lines);
      log.next(120_000);
      emit("first_batch_epoch_ms", System.currentTimeMillis());
      int batches = (int) longParam("batches", 20);
      for (int i = 0; i < batches; i++) {
        side.enqueue(lines);
        log.next(120_000);
      }
      emit("peak_rss_kib", peakRssKib());
      side.stopStreaming();
    }
  }

  /** VmHWM of this process, in KiB, or -1 where /proc is not available. */
  static long peakRssKib() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /**
   * Workload 7: the practical limit. The same word count as the engines' pipeline ({@code
   * line.split(" ")}, a {@code HashMap<String, Integer>} merge per word) over a batch of {@code
   * words} words built exactly as workload 1 builds its batches, on 1 thread and on 2 (each thread
   * counts half the lines into its own map, then the maps are merged). Reports the median words/s
   * over {@code iterations} runs after {@code warmup} runs.
   */
  private void plainLoop() throws Exception {
    long words = longParam("words", 10_000_000);
    int iterations = (int) longParam("iterations", 7);
    int warmup = (int) longParam("warmup", 3);
    List<String> pool = ZipfLines.standard(SEED).lines((int) longParam("poolLines", 1_000_000));
    List<String> lines = ZipfLines.cycle(pool, (int) (words / ZipfLines.STANDARD_WORDS_PER_LINE));
    long actualWords = (long) lines.size() * ZipfLines.STANDARD_WORDS_PER_LINE;
    ExecutorService pool2 = Executors.newFixedThreadPool(1, r -> {
      Thread t = new Thread(r, "plain-loop-helper");
      t.setDaemon(true);
      return t;
    });
    try {
      for (int threads = 1; threads <= 2; threads++) {
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < warmup + iterations; i++) {
          long t0 = System.nanoTime();
          Map<String, Integer> counts = PlainWordCount.count(lines, threads, pool2);
          long t1 = System.nanoTime();
          if (counts.isEmpty()) {
            throw new AssertionError("no words counted");
          }
          if (i >= warmup) {
            rates.add(actualWords * 1e9 / (t1 - t0));
          }
        }
        double median = Stats.median(rates);
        log("plain loop, " + threads + " thread(s): " + median + " words/s");
        emit("words_per_s_t" + threads, median);
      }
    } finally {
      pool2.shutdownNow();
    }
  }

  /** The reference word count; public for the tests that check it against the engines' semantics. */
  public static final class PlainWordCount {
    private PlainWordCount() {}

    /** Counts the words of {@code lines} on {@code threads} (1 or 2) threads; {@code helper} runs the second half. */
    public static Map<String, Integer> count(List<String> lines, int threads, ExecutorService helper)
        throws Exception {
      if (threads == 1) {
        return countRange(lines, 0, lines.size());
      }
      if (threads != 2) {
        throw new IllegalArgumentException("threads must be 1 or 2, was " + threads);
      }
      int mid = lines.size() / 2;
      Future<Map<String, Integer>> second = helper.submit(() -> countRange(lines, mid, lines.size()));
      Map<String, Integer> first = countRange(lines, 0, mid);
      for (Map.Entry<String, Integer> e : second.get().entrySet()) {
        first.merge(e.getKey(), e.getValue(), Integer::sum);
      }
      return first;
    }

    private static Map<String, Integer> countRange(List<String> lines, int from, int to) {
      Map<String, Integer> m = new HashMap<>();
      for (int i = from; i < to; i++) {
        for (String w : lines.get(i).split(" ")) {
          m.merge(w, 1, Integer::sum);
        }
      }
      return m;
    }
  }
}
