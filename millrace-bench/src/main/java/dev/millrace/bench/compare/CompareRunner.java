package dev.millrace.bench.compare;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end comparison of Millrace with Apache Spark Streaming: runs each workload on both
 * engines, each run in a fresh JVM ({@link BenchChild}), Spark first then Millrace, alternating
 * (A B A B), and prints the table of medians ({@link ResultTable}).
 *
 * <pre>
 * bin/millrace-bench            # full run, about 11 minutes on a 2-core machine at load 2-7
 * bin/millrace-bench --quick    # about 3 minutes (4 at load 5-7)
 * </pre>
 *
 * <p>Options: {@code --quick}; {@code --runs N} (JVMs per engine and workload); {@code --workloads
 * 1,2,3,4,5,6,7}; {@code --spark-classpath FILE} (Spark's jars, one class path line; default {@code
 * millrace-bench/target/spark.classpath}); {@code --out FILE} (the table as Markdown, default
 * {@code millrace-bench/target/bench-results.md}); {@code --logs DIR} (each child's standard
 * error). Millrace and plain-loop children get this JVM's class path; Spark children get it plus
 * Spark's jars.
 *
 * <p>JVM flags: throughput workloads (1, 2, 3, 5, 6, 7) run every child with {@link #THROUGHPUT_FLAGS};
 * start-up (4) runs with the JVM's defaults. Spark children also get the {@code --add-opens}
 * options that {@code spark-submit} adds on Java 17 ({@link #SPARK_JAVA17_FLAGS}), and nothing else.
 *
 * <p>Runs one child at a time from the main thread, so children never compete with each other.
 */
public final class CompareRunner {
  /** A fixed, pre-touched heap: fresh memory is slow on these machines (see docs/benchmarks.md). */
  public static final List<String> THROUGHPUT_FLAGS =
      List.of("-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages");

  /** What Spark 4.1's launcher adds on Java 17 ({@code JavaModuleOptions.defaultModuleOptions()}). */
  public static final List<String> SPARK_JAVA17_FLAGS = List.of(
      "-XX:+IgnoreUnrecognizedVMOptions",
      "--add-modules=jdk.incubator.vector",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "-Djdk.reflect.useDirectMethodHandle=false",
      "-Dio.netty.tryReflectionSetAccessible=true",
      "-Dio.netty.allocator.type=pooled",
      "-Dio.netty.handler.ssl.defaultEndpointVerificationAlgorithm=NONE",
      "--enable-native-access=ALL-UNNAMED");

  private static final long CHILD_TIMEOUT_S = 600;

  /** The knobs that differ between a full and a quick run. */
  record Settings(int wordCountRuns, List<String> wordCountParams, int overheadRuns, List<String> overheadParams,
      int startupRuns, int plainRuns, List<String> plainParams, int stateRuns, List<String> stateParams,
      int windowRuns, List<String> windowParams, int socketRuns, List<String> socketParams) {
    static Settings full() {
      // Two runs of workload 1 and one of workload 3 per engine keep a full run under 15 minutes
      // with workloads 2, 5 and 6 in it, on a busy 2-core machine.
      return new Settings(
          2, List.of("startWords=1000000", "growth=1.5", "stepBatches=3", "bisections=3", "warmupBatches=5"),
          1, List.of("seconds=5", "minBatches=40", "warmupBatches=20"),
          3,
          2, List.of("words=10000000", "iterations=5", "warmup=2"),
          1, List.of("keys=1000000", "fillBatchRecords=250000", "recordsPerBatch=100000", "measuredBatches=5"),
          1, List.of("windowMs=30000", "wordsPerBatch=200000", "measuredBatches=5"),
          1, List.of("startRate=50000", "maxUp=5", "warmupBatches=2", "settleBatches=1", "measuredBatches=3",
              "maxSteps=5", "precision=1.1", "generatorMs=1000"));
    }

    static Settings quick() {
      return new Settings(
          1, List.of("startWords=2000000", "growth=2", "stepBatches=1", "bisections=2", "warmupBatches=3"),
          1, List.of("seconds=1.5", "minBatches=20", "warmupBatches=10"),
          1,
          1, List.of("words=5000000", "iterations=3", "warmup=1"),
          1, List.of("keys=1000000", "fillBatchRecords=500000", "recordsPerBatch=100000", "measuredBatches=3"),
          1, List.of("windowMs=3000", "wordsPerBatch=200000", "measuredBatches=3"),
          1, List.of("startRate=50000", "maxUp=5", "warmupBatches=2", "settleBatches=1", "measuredBatches=1",
              "maxSteps=3", "precision=1.2", "generatorMs=200"));
    }

    Settings withRuns(int runs) {
      return new Settings(runs, wordCountParams, runs, overheadParams, runs, runs, plainParams, runs, stateParams,
          runs, windowParams, runs, socketParams);
    }
  }

  private final Settings settings;
  private final Set<Workload> workloads;
  private final List<String> sparkClasspath;
  private final Path logs;
  private final Results results = new Results();
  private int childCount;

  CompareRunner(Settings settings, Set<Workload> workloads, List<String> sparkClasspath, Path logs) {
    this.settings = settings;
    this.workloads = workloads;
    this.sparkClasspath = sparkClasspath;
    this.logs = logs;
  }

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    Integer runs = null;
    Set<Workload> workloads = EnumSet.noneOf(Workload.class);
    Path sparkCp = Path.of("millrace-bench/target/spark.classpath");
    Path out = Path.of("millrace-bench/target/bench-results.md");
    Path logs = Path.of("millrace-bench/target/bench-logs");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick":
          quick = true;
          break;
        case "--runs":
          runs = Integer.parseInt(args[++i]);
          break;
        case "--workloads":
          for (String n : args[++i].split(",")) {
            workloads.add(Workload.byNumber(Integer.parseInt(n.trim())));
          }
          break;
        case "--spark-classpath":
          sparkCp = Path.of(args[++i]);
          break;
        case "--out":
          out = Path.of(args[++i]);
          break;
        case "--logs":
          logs = Path.of(args[++i]);
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i]
              + " (options: --quick, --runs N, --workloads 1,2,3,4,5,6,7, --spark-classpath FILE, --out FILE, --logs DIR)");
      }
    }
    if (workloads.isEmpty()) {
      for (Workload w : Workload.values()) {
        if (w.available()) {
          workloads.add(w);
        }
      }
    }
    for (Workload w : workloads) {
      if (!w.available()) {
        throw new IllegalArgumentException("workload " + w.number() + " (" + w.title() + ") is not built yet");
      }
    }
    List<String> spark = List.of();
    if (Files.exists(sparkCp)) {
      spark = List.of(Files.readString(sparkCp).trim().split(File.pathSeparator));
    } else {
      System.err.println("No " + sparkCp + ": Spark's side will be missing (build with -Pspark).");
    }
    Settings s = quick ? Settings.quick() : Settings.full();
    if (runs != null) {
      s = s.withRuns(runs);
    }
    Files.createDirectories(logs);
    CompareRunner runner = new CompareRunner(s, workloads, spark, logs);
    long t0 = System.nanoTime();
    String loadBefore = loadAverage();
    runner.runAll();
    String table = runner.table().render();
    String header = String.format(Locale.ROOT,
        "Millrace vs Apache Spark Streaming 4.1, local[2] both, %s run finished %s (%.0f s, %d JVMs, "
            + "%d CPUs, load average before: %s, after: %s)%n",
        quick ? "quick" : "full", Instant.now(), (System.nanoTime() - t0) / 1e9, runner.childCount,
        Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
    System.out.println();
    System.out.print(header);
    System.out.println();
    System.out.print(table);
    System.out.println();
    System.out.println("ratio: how many times better Millrace is (rates: Millrace/Spark; times, memory: Spark/Millrace).");
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, header + "\n" + table);
    Files.writeString(Path.of(out + ".raw"), rawResults(runner.results));
  }

  /** The 1, 5 and 15 minute load averages, or "n/a": other work on the machine skews every figure. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  static String rawResults(Results results) {
    StringBuilder b = new StringBuilder();
    for (Result r : results.all()) {
      b.append(r.format()).append('\n');
    }
    return b.toString();
  }

  void runAll() throws Exception {
    if (workloads.contains(Workload.WORD_COUNT) || workloads.contains(Workload.PLAIN_LOOP)) {
      int runs = Math.max(settings.wordCountRuns(), settings.plainRuns());
      for (int r = 0; r < runs; r++) {
        if (workloads.contains(Workload.WORD_COUNT) && r < settings.wordCountRuns()) {
          child("spark", "wordcount", THROUGHPUT_FLAGS, settings.wordCountParams());
          child("millrace", "wordcount", THROUGHPUT_FLAGS, settings.wordCountParams());
        }
        if (workloads.contains(Workload.PLAIN_LOOP) && r < settings.plainRuns()) {
          child("plain", "plainloop", THROUGHPUT_FLAGS, settings.plainParams());
        }
      }
    }
    if (workloads.contains(Workload.SOCKET)) {
      for (int r = 0; r < settings.socketRuns(); r++) {
        child("spark", "socket", THROUGHPUT_FLAGS, settings.socketParams());
        child("millrace", "socket", THROUGHPUT_FLAGS, settings.socketParams());
      }
    }
    if (workloads.contains(Workload.OVERHEAD)) {
      for (int r = 0; r < settings.overheadRuns(); r++) {
        child("spark", "overhead", THROUGHPUT_FLAGS, settings.overheadParams());
        child("millrace", "overhead", THROUGHPUT_FLAGS, settings.overheadParams());
      }
    }
    if (workloads.contains(Workload.STATE)) {
      for (int r = 0; r < settings.stateRuns(); r++) {
        child("spark", "state", THROUGHPUT_FLAGS, settings.stateParams());
        child("millrace", "state", THROUGHPUT_FLAGS, settings.stateParams());
      }
    }
    if (workloads.contains(Workload.WINDOW)) {
      for (int r = 0; r < settings.windowRuns(); r++) {
        child("spark", "window", THROUGHPUT_FLAGS, settings.windowParams());
        child("millrace", "window", THROUGHPUT_FLAGS, settings.windowParams());
      }
    }
    if (workloads.contains(Workload.STARTUP)) {
      for (int r = 0; r < settings.startupRuns(); r++) {
        child("spark", "startup", List.of(), List.of());
        child("millrace", "startup", List.of(), List.of());
      }
    }
  }

  /** Runs one child JVM and records its figures; a failed child is reported and leaves gaps. */
  private void child(String engine, String workload, List<String> flags, List<String> params)
      throws IOException, InterruptedException {
    boolean spark = engine.equals("spark");
    if (spark && sparkClasspath.isEmpty()) {
      return;
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(flags);
    String cp = System.getProperty("java.class.path");
    if (spark) {
      cmd.addAll(SPARK_JAVA17_FLAGS);
      Path tmp = logs.resolve("spark-tmp");
      Files.createDirectories(tmp);
      cmd.add("-Djava.io.tmpdir=" + tmp.toAbsolutePath());
      cp = cp + File.pathSeparator + String.join(File.pathSeparator, sparkClasspath);
    }
    cmd.add("-cp");
    cmd.add(cp);
    cmd.add(BenchChild.class.getName());
    cmd.add(engine);
    cmd.add(workload);
    cmd.addAll(params);
    childCount++;
    Path err = logs.resolve(String.format(Locale.ROOT, "%02d-%s-%s.log", childCount, workload, engine));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
    System.err.printf(Locale.ROOT, "[%s] %s on %s ...%n", Instant.now(), workload, engine);
    long launched = System.currentTimeMillis();
    Process p = pb.start();
    List<Result> got = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        Result.parse(line).ifPresent(got::add);
      }
    }
    if (!p.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      System.err.println("  timed out; see " + err);
      return;
    }
    if (p.exitValue() != 0) {
      System.err.println("  failed with exit code " + p.exitValue() + "; see " + err);
    }
    for (Result r : got) {
      if (r.metric().equals("first_batch_epoch_ms")) {
        r = new Result(r.workload(), r.engine(), "startup_ms", r.value() - launched);
      }
      results.add(r);
      System.err.println("  " + r.metric() + " = " + String.format(Locale.ROOT, "%.3f", r.value()));
    }
  }

  /** The table of medians over runs. */
  ResultTable table() {
    return table(results, workloads, overheadIntervals(settings),
        longParam(settings.windowParams(), "windowMs", 30_000) / 1000);
  }

  /** The value of {@code key=...} among a child's parameters, or {@code def}. */
  static long longParam(List<String> params, String key, long def) {
    for (String p : params) {
      if (p.startsWith(key + "=")) {
        return Long.parseLong(p.substring(key.length() + 1).trim());
      }
    }
    return def;
  }

  private static List<Long> overheadIntervals(Settings s) {
    for (String p : s.overheadParams()) {
      if (p.startsWith("intervals=")) {
        List<Long> out = new ArrayList<>();
        for (String i : p.substring("intervals=".length()).split(",")) {
          out.add(Long.parseLong(i.trim()));
        }
        return out;
      }
    }
    return List.of(100L, 50L, 20L, 10L);
  }

  /** Builds the table with a 30 s window for workload 6. */
  static ResultTable table(Results r, Set<Workload> workloads, List<Long> intervals) {
    return table(r, workloads, intervals, 30);
  }

  /** Builds the table from the figures; rows follow the workload numbers. */
  static ResultTable table(Results r, Set<Workload> workloads, List<Long> intervals, long windowSeconds) {
    ResultTable t = new ResultTable();
    if (workloads.contains(Workload.WORD_COUNT)) {
      t.add("1 word count, 1 s batches: largest batch within the interval (words/s)",
          r.median("wordcount", "spark", "words_per_s"), r.median("wordcount", "millrace", "words_per_s"),
          ResultTable.Better.HIGHER, ResultTable::rate);
    }
    if (workloads.contains(Workload.SOCKET)) {
      String bound = lowerBound(r, "spark") || lowerBound(r, "millrace")
          ? " (>=: a run ran out of steps still passing)" : "";
      t.add(new ResultTable.Row(
          "2 socket word count (countByValue), 1 s batches: highest offered rate sustained (lines/s)" + bound,
          socketCell(r, "spark", "lines_per_s", ResultTable::rate),
          socketCell(r, "millrace", "lines_per_s", ResultTable::rate),
          ResultTable.ratio(r.median("socket", "spark", "lines_per_s"), r.median("socket", "millrace", "lines_per_s"),
              ResultTable.Better.HIGHER)));
      t.add(new ResultTable.Row("2 the same in MB/s of text received",
          socketCell(r, "spark", "mb_per_s", CompareRunner::megabytesPerSecond),
          socketCell(r, "millrace", "mb_per_s", CompareRunner::megabytesPerSecond),
          ResultTable.ratio(r.median("socket", "spark", "mb_per_s"), r.median("socket", "millrace", "mb_per_s"),
              ResultTable.Better.HIGHER)));
      t.add(new ResultTable.Row("2 the line generator alone, unlimited, into a discarding loopback reader (lines/s)",
          cell(r.median("socket", "spark", "generator_loopback_lines_per_s")),
          cell(r.median("socket", "millrace", "generator_loopback_lines_per_s")), ""));
    }
    if (workloads.contains(Workload.OVERHEAD)) {
      for (long i : intervals) {
        String m = "_" + i;
        t.add(new ResultTable.Row(
            "3 tiny batches every " + i + " ms: processing delay p50 / p99 (mean), keeps up?",
            overheadCell(r, "spark", m), overheadCell(r, "millrace", m),
            ResultTable.ratio(r.median("overhead", "spark", "mean_ms" + m),
                r.median("overhead", "millrace", "mean_ms" + m), ResultTable.Better.LOWER)));
      }
    }
    if (workloads.contains(Workload.STARTUP)) {
      t.add("4 start-up: JVM launch to first completed batch",
          r.median("startup", "spark", "startup_ms"), r.median("startup", "millrace", "startup_ms"),
          ResultTable.Better.LOWER, ResultTable::millis);
      t.add("4 peak RSS of a 2 s run (default JVM flags)",
          r.median("startup", "spark", "peak_rss_kib"), r.median("startup", "millrace", "peak_rss_kib"),
          ResultTable.Better.LOWER, ResultTable::mebibytesFromKib);
    }
    if (workloads.contains(Workload.STATE)) {
      for (String kind : List.of("updateStateByKey", "mapWithState")) {
        t.add("5 " + kind + ", 1 M keys, 100 k records per batch: processing time per batch (median)",
            r.median("state", "spark", kind + "_p50_ms"), r.median("state", "millrace", kind + "_p50_ms"),
            ResultTable.Better.LOWER, ResultTable::millis);
      }
    }
    if (workloads.contains(Workload.WINDOW)) {
      for (String variant : List.of("plain", "inverse")) {
        t.add("6 reduceByKeyAndWindow " + windowSeconds + " s / 1 s, " + (variant.equals("inverse") ? "with" : "no")
                + " inverse, 200 k words per batch: processing time per batch, window full (median)",
            r.median("window", "spark", variant + "_p50_ms"), r.median("window", "millrace", variant + "_p50_ms"),
            ResultTable.Better.LOWER, ResultTable::millis);
      }
    }
    if (workloads.contains(Workload.PLAIN_LOOP)) {
      for (int threads = 1; threads <= 2; threads++) {
        OptionalDouble loop = r.median("plainloop", "plain", "words_per_s_t" + threads);
        String label = "7 plain Java loop, " + threads + (threads == 1 ? " thread: " : " threads: ")
            + (loop.isPresent() ? ResultTable.rate(loop.getAsDouble()) : "n/a")
            + " words/s; word count (1) as a fraction of it";
        t.add(new ResultTable.Row(label,
            fractionOf(r.median("wordcount", "spark", "words_per_s"), loop),
            fractionOf(r.median("wordcount", "millrace", "words_per_s"), loop), ""));
      }
    }
    return t;
  }

  /** Whether a run of {@code engine} reported a socket figure that is only a lower bound. */
  private static boolean lowerBound(Results r, String engine) {
    return r.values("socket", engine, "bracketed").stream().anyMatch(v -> v < 0.5);
  }

  /** The median socket figure, marked {@code >=} when a run of this engine was only a lower bound. */
  private static String socketCell(Results r, String engine, String metric,
      java.util.function.DoubleFunction<String> format) {
    OptionalDouble v = r.median("socket", engine, metric);
    if (v.isEmpty()) {
      return "n/a";
    }
    return (lowerBound(r, engine) ? ">= " : "") + format.apply(v.getAsDouble());
  }

  private static String cell(OptionalDouble rate) {
    return rate.isPresent() ? ResultTable.rate(rate.getAsDouble()) : "n/a";
  }

  /** MB/s, 10^6 bytes per second, from a value already in MB/s. */
  static String megabytesPerSecond(double mbPerS) {
    return String.format(Locale.ROOT, mbPerS < 10 ? "%.1f MB/s" : "%.0f MB/s", mbPerS);
  }

  private static String overheadCell(Results r, String engine, String suffix) {
    OptionalDouble p50 = r.median("overhead", engine, "p50_ms" + suffix);
    OptionalDouble p99 = r.median("overhead", engine, "p99_ms" + suffix);
    OptionalDouble mean = r.median("overhead", engine, "mean_ms" + suffix);
    List<Double> keeps = r.values("overhead", engine, "keeps_up" + suffix);
    if (p50.isEmpty() || p99.isEmpty() || mean.isEmpty()) {
      return "n/a";
    }
    long yes = keeps.stream().filter(v -> v > 0.5).count();
    String verdict = yes == keeps.size() ? "yes" : yes == 0 ? "no" : yes + "/" + keeps.size() + " runs";
    return ResultTable.millis(p50.getAsDouble()) + " / " + ResultTable.millis(p99.getAsDouble())
        + " (" + ResultTable.millis(mean.getAsDouble()) + "), " + verdict;
  }

  private static String fractionOf(OptionalDouble value, OptionalDouble reference) {
    if (value.isEmpty() || reference.isEmpty() || reference.getAsDouble() <= 0) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.0f%%", 100 * value.getAsDouble() / reference.getAsDouble());
  }
}
