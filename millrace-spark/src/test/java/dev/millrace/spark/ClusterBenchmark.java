package dev.millrace.spark;

import dev.millrace.Tuple2;
import dev.millrace.api.java.Optional;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.testkit.StreamingTestHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * End-to-end comparison of the local runtime ({@code local[2]}) with a 2-worker Spark standalone
 * cluster on this machine: the same word count and stateful word count, batch by batch, under a
 * manual clock (so a batch's time is its processing time, with no waiting for the interval).
 * Prints a table: median and p90 batch time for an almost empty batch (per-batch overhead) and
 * for a full batch, and the records per second that the full batch time gives. A third job keeps a
 * large state ({@code -Dbench.stateKeys}, 1,000,000 keys by default) and measures its batches;
 * {@code -Dbench.jobs=wordcount,stateful-wordcount,stateful-1m-keys} picks the jobs (all by default).
 *
 * <p>Run from the repository root ({@code OPENS} is the list of {@code --add-opens} options in
 * docs/cluster.md, which Spark needs on Java 17):
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -pl millrace-spark -am -Dmdep.outputFile=target/cp.txt
 * cd millrace-spark
 * SPARK_LOCAL_IP=127.0.0.1 java -Xmx1g $OPENS \
 *   -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.millrace.spark.ClusterBenchmark [lines]
 * </pre>
 */
public final class ClusterBenchmark {
  private static final int WARMUP = 4;
  private static final int MEASURED = 10;
  /** The jobs to run, {@code -Dbench.jobs=wordcount,stateful-wordcount,stateful-1m-keys} (all by default). */
  private static final List<String> JOBS = List.of(System.getProperty("bench.jobs",
      "wordcount,stateful-wordcount,stateful-1m-keys").split(","));
  /** Keys of the large-state job. */
  private static final int BIG_STATE_KEYS = Integer.getInteger("bench.stateKeys", 1_000_000);

  private ClusterBenchmark() {}

  public static void main(String[] args) throws Exception {
    int lines = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    List<String> big = lines(lines, 10, new Random(42));
    List<String> tiny = lines(10, 10, new Random(7));
    Path dir = StandaloneCluster.targetDir("bench-cluster");
    List<String> rows = new ArrayList<>();
    rows.add(String.format("%-12s %-22s %10s %10s %14s", "runtime", "job", "median ms", "p90 ms", "records/s"));
    for (String mode : List.of("local[2]", "cluster")) {
      StandaloneCluster cluster = mode.equals("cluster") ? StandaloneCluster.start(dir, 2) : null;
      try {
        for (String job : JOBS) {
          if (job.equals("stateful-1m-keys")) {
            rows.add(bigState(cluster, dir, mode));
            System.out.println(rows.get(rows.size() - 1));
            continue;
          }
          for (boolean full : new boolean[] {false, true}) {
            List<String> batch = full ? big : tiny;
            long[] ms = run(cluster, dir, job, batch);
            long[] sorted = ms.clone();
            Arrays.sort(sorted);
            long median = sorted[sorted.length / 2];
            long p90 = sorted[(int) Math.ceil(sorted.length * 0.9) - 1];
            double words = batch.size() * 10.0;
            rows.add(String.format("%-12s %-22s %10d %10d %14s", mode, job + (full ? " (" + (long) words
                + " words)" : " (100 words)"), median, p90,
                full ? String.format("%,.0f", words * 1000 / Math.max(1, median)) : "-"));
            System.out.println(rows.get(rows.size() - 1));
          }
        }
      } finally {
        if (cluster != null) {
          cluster.close();
        }
      }
    }
    System.out.println();
    rows.forEach(System.out::println);
  }

  private static long[] run(StandaloneCluster cluster, Path dir, String job, List<String> batch) throws Exception {
    List<List<String>> input = new ArrayList<>();
    for (int i = 0; i < WARMUP + MEASURED; i++) {
      input.add(batch);
    }
    StreamingTestHarness.Builder b = cluster == null
        ? StreamingTestHarness.builder(Durations.seconds(1)).master("local[2]")
        // Executors get the full JIT here: the tests' fast-start flags would understate throughput.
        : cluster.harness(Durations.seconds(1)).set("spark.executor.extraJavaOptions", "-XX:+UseSerialGC");
    long[] times = new long[MEASURED];
    try (StreamingTestHarness h = b.inputPartitions(4).build()) {
      Path checkpoint = Files.createDirectories(dir.resolve("checkpoint-" + job + "-" + System.nanoTime()));
      h.context().checkpoint(checkpoint.toString());
      JavaDStream<String> lines = h.input(input);
      JavaPairDStream<String, Integer> pairs = lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator())
          .mapToPair(w -> new Tuple2<>(w, 1));
      JavaPairDStream<String, Integer> out = job.equals("wordcount")
          ? pairs.reduceByKey(Integer::sum)
          : pairs.updateStateByKey((List<Integer> vs, Optional<Integer> s) -> {
            int sum = s.orElse(0);
            for (int v : vs) {
              sum += v;
            }
            return Optional.of(sum);
          });
      out.foreachRDD(rdd -> {
        rdd.count();
      });
      h.runBatches(WARMUP);
      for (int i = 0; i < MEASURED; i++) {
        long start = System.nanoTime();
        h.runBatches(1);
        times[i] = (System.nanoTime() - start) / 1_000_000;
      }
    }
    return times;
  }

  /**
   * A stateful word count holding {@link #BIG_STATE_KEYS} keys: the first batch brings every key
   * once, each measured batch 20,000 words over the same keys; {@code updateStateByKey} calls its
   * function for every key each batch, as Spark does. The output is a count (a number per
   * partition reaches the driver).
   */
  private static String bigState(StandaloneCluster cluster, Path dir, String mode) throws Exception {
    List<List<String>> input = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (int i = 0; i < BIG_STATE_KEYS; i += 10) {
      StringBuilder sb = new StringBuilder();
      for (int k = i; k < Math.min(i + 10, BIG_STATE_KEYS); k++) {
        sb.append(k == i ? "" : " ").append("k").append(k);
      }
      all.add(sb.toString());
    }
    input.add(all);
    Random random = new Random(3);
    int warmup = 2;
    for (int b = 0; b < warmup + MEASURED; b++) {
      List<String> batch = new ArrayList<>();
      for (int l = 0; l < 2_000; l++) {
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < 10; w++) {
          sb.append(w == 0 ? "" : " ").append("k").append(random.nextInt(BIG_STATE_KEYS));
        }
        batch.add(sb.toString());
      }
      input.add(batch);
    }
    StreamingTestHarness.Builder b = cluster == null
        ? StreamingTestHarness.builder(Durations.seconds(1)).master("local[2]")
        : cluster.harness(Durations.seconds(1)).set("spark.executor.extraJavaOptions", "-XX:+UseSerialGC");
    long[] times = new long[MEASURED];
    long[] counts = new long[1];
    long first;
    try (StreamingTestHarness h = b.inputPartitions(4).build()) {
      Path checkpoint = Files.createDirectories(dir.resolve("checkpoint-big-" + System.nanoTime()));
      h.context().checkpoint(checkpoint.toString());
      JavaPairDStream<String, Integer> totals = h.input(input)
          .flatMap(l -> Arrays.asList(l.split(" ")).iterator())
          .mapToPair(w -> new Tuple2<>(w, 1))
          .updateStateByKey((List<Integer> vs, Optional<Integer> s) -> {
            int sum = s.orElse(0);
            for (int v : vs) {
              sum += v;
            }
            return Optional.of(sum);
          });
      totals.foreachRDD(rdd -> {
        counts[0] = rdd.count();
      });
      long start = System.nanoTime();
      h.runBatches(1);
      first = (System.nanoTime() - start) / 1_000_000;
      h.runBatches(warmup);
      for (int i = 0; i < MEASURED; i++) {
        start = System.nanoTime();
        h.runBatches(1);
        times[i] = (System.nanoTime() - start) / 1_000_000;
      }
    }
    if (counts[0] != BIG_STATE_KEYS) {
      throw new AssertionError("state holds " + counts[0] + " keys, expected " + BIG_STATE_KEYS);
    }
    long[] sorted = times.clone();
    Arrays.sort(sorted);
    return String.format("%-12s %-22s %10d %10d %14s", mode, "stateful, " + BIG_STATE_KEYS + " keys",
        sorted[sorted.length / 2], sorted[(int) Math.ceil(sorted.length * 0.9) - 1],
        "first batch " + first + " ms");
  }

  private static List<String> lines(int count, int wordsPerLine, Random random) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < wordsPerLine; w++) {
        if (w > 0) {
          sb.append(' ');
        }
        sb.append("w").append(random.nextInt(1000));
      }
      out.add(sb.toString());
    }
    return out;
  }
}
