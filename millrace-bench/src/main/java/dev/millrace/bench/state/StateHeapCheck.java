package dev.millrace.bench.state;

import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaPairRDD;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaPairDStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * Checks that a long-running stateful pipeline keeps its heap flat: runs {@code batches} batches of
 * {@code mapWithState} or {@code updateStateByKey} over {@code keys} keys (state checkpoints every
 * 10 batches, which cut the state's lineage) and prints the heap in use after a full GC every
 * {@code batches / 10} batches.
 *
 * <pre>
 * mvn -q -pl millrace-bench -am package -DskipTests
 * java -Xmx1g -cp "millrace-bench/target/classes:$(cat millrace-bench/target/cp.txt)" \
 *     dev.millrace.bench.state.StateHeapCheck mapWithState 10000 100000 10000
 * </pre>
 *
 * (the classpath file comes from {@code mvn -q -pl millrace-bench dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt}).
 */
public final class StateHeapCheck {
  private StateHeapCheck() {}

  public static void main(String[] args) throws Exception {
    String op = args.length > 0 ? args[0] : "mapWithState";
    int batches = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int keys = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    int perBatch = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
    Path dir = Files.createTempDirectory("millrace-heap-check");
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try (BatchDriver driver = new BatchDriver(2, Durations.seconds(1), dir.toString())) {
      JavaPairDStream<Integer, Integer> input = driver.pairInput(Workloads.keyedOnes(50, perBatch, keys, 42), 2);
      JavaPairRDD<Integer, Long> initial = driver.context().sparkContext().parallelizePairs(
          Workloads.initialStates(keys), 2);
      CountingStateJob.register(op, input, initial);
      int step = Math.max(1, batches / 10);
      System.out.printf("%s: %d batches, %d keys, %d records per batch, max heap %d MB%n", op, batches, keys,
          perBatch, memory.getHeapMemoryUsage().getMax() >> 20);
      System.out.printf("%10s %14s %14s %18s%n", "batch", "heap after GC", "ms per batch", "CPU ms per batch");
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      for (int done = 0; done < batches; done += step) {
        long cpu = os.getProcessCpuTime();
        long nanos = driver.run(Math.min(step, batches - done));
        cpu = os.getProcessCpuTime() - cpu;
        System.gc();
        System.gc();
        long used = memory.getHeapMemoryUsage().getUsed();
        System.out.printf("%10d %11d MB %14.2f %18.2f%n", done + step, used >> 20, nanos / 1e6 / step,
            cpu / 1e6 / step);
      }
    } finally {
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

}
