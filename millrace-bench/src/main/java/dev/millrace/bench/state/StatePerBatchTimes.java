package dev.millrace.bench.state;

import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaPairRDD;
import dev.millrace.bench.input.StateKeys;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaPairDStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Per-batch time of the stateful operations on large inputs, driven by a manual clock as fast as
 * batches complete (so the figure is processing time, with checkpoint writes included at every
 * 10th batch):
 *
 * <ul>
 *   <li>{@code updateStateByKey} and {@code mapWithState} over 1,000,000 keys, 100,000 records a batch;
 *   <li>{@code reduceByKeyAndWindow} with a 30 s window and 1 s slide at 200,000 words a batch,
 *       with and without the inverse function.
 * </ul>
 *
 * <pre>
 * mvn -q -pl millrace-bench -am package -DskipTests
 * mvn -q -pl millrace-bench dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -cp "millrace-bench/target/classes:$(cat millrace-bench/target/cp.txt)" \
 *     dev.millrace.bench.state.StatePerBatchTimes all
 * </pre>
 */
public final class StatePerBatchTimes {
  private StatePerBatchTimes() {}

  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "all";
    System.out.printf("%-58s %10s %10s %10s %10s %12s%n", "workload (local[2])", "median ms", "mean ms", "p90 ms",
        "max ms", "CPU ms/batch");
    if (which.equals("all") || which.equals("updateStateByKey")) {
      state("updateStateByKey", 1_000_000, 100_000);
    }
    if (which.equals("all") || which.equals("mapWithState")) {
      state("mapWithState", 1_000_000, 100_000);
    }
    if (which.equals("all") || which.equals("window")) {
      window(false);
      window(true);
    }
  }

  private static void state(String op, int keys, int perBatch) throws Exception {
    Path dir = Files.createTempDirectory("millrace-state-times");
    try (BatchDriver driver = new BatchDriver(2, Durations.seconds(1), dir.toString())) {
      // The keys of workload 5 (k0000000 ...), so that hashing and comparing keys costs what it does there.
      List<List<Tuple2<String, Integer>>> batches = new ArrayList<>();
      for (int b = 0; b < 20; b++) {
        List<Tuple2<String, Integer>> batch = new ArrayList<>(perBatch);
        for (String k : StateKeys.random(7, keys, perBatch, b)) {
          batch.add(new Tuple2<>(k, 1));
        }
        batches.add(batch);
      }
      JavaPairDStream<String, Integer> input = driver.pairInput(batches, 2);
      List<Tuple2<String, Long>> initialStates = new ArrayList<>(keys);
      Long zero = 0L;
      for (int k = 0; k < keys; k++) {
        initialStates.add(new Tuple2<>(StateKeys.key(k), zero));
      }
      JavaPairRDD<String, Long> initial = driver.context().sparkContext().parallelizePairs(initialStates, 2);
      CountingStateJob.register(op, input, initial);
      report(op + " (1M keys, 100k rec/batch)", driver, 10, 40);
    } finally {
      delete(dir);
    }
  }

  private static void window(boolean inverse) throws Exception {
    Path dir = Files.createTempDirectory("millrace-window-times");
    try (BatchDriver driver = new BatchDriver(2, Durations.seconds(1), dir.toString())) {
      JavaPairDStream<String, Integer> pairs = driver.input(Workloads.words(40, 200_000, 100_000, 11), 2)
          .mapToPair(w -> new Tuple2<>(w, 1));
      JavaPairDStream<String, Integer> counts = inverse
          ? pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, Durations.seconds(30), Durations.seconds(1))
          : pairs.reduceByKeyAndWindow(Integer::sum, Durations.seconds(30), Durations.seconds(1));
      counts.foreachRDD(rdd -> {
        rdd.count();
      });
      report("reduceByKeyAndWindow 30s/1s " + (inverse ? "inverse" : "no inverse") + " (200k words)", driver, 35,
          40);
    } finally {
      delete(dir);
    }
  }

  private static void report(String name, BatchDriver driver, int warmup, int measured) {
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    driver.run(warmup);
    List<Double> ms = new ArrayList<>();
    long cpu = os.getProcessCpuTime();
    for (int i = 0; i < measured; i++) {
      ms.add(driver.run(1) / 1e6);
    }
    cpu = os.getProcessCpuTime() - cpu;
    double mean = ms.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    Collections.sort(ms);
    System.out.printf("%-58s %10.1f %10.1f %10.1f %10.1f %12.1f%n", name, ms.get(ms.size() / 2), mean,
        ms.get((int) (ms.size() * 0.9)), ms.get(ms.size() - 1), cpu / 1e6 / measured);
  }

  private static void delete(Path dir) throws java.io.IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
