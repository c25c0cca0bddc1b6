package dev.millrace.bench.jmh;

import dev.millrace.HashPartitioner;
import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaPairRDD;
import dev.millrace.api.java.Optional;
import dev.millrace.bench.input.StateKeys;
import dev.millrace.bench.state.BatchDriver;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.StateSpec;
import dev.millrace.streaming.api.java.JavaMapWithStateDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time per batch of the state operators on workload 5's shape: {@code updateStateByKey} or {@code
 * mapWithState} over {@code keys} keys ({@code k0000000}, ... as in the comparison), all present
 * from an initial state, with {@code recordsPerBatch} records a batch drawn uniformly from them,
 * {@code local[2]}, a manual clock driving batches back to back. The state checkpoints (every 10
 * batches by default) are pushed out of the measured range, so that the figure is the update
 * alone; {@code StatePerBatchTimes} measures with them.
 *
 * <p>Run (from the repository root):
 *
 * <pre>
 * mvn -q -pl millrace-bench -am package -DskipTests
 * java -jar millrace-bench/target/benchmarks.jar StateUpdateBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class StateUpdateBenchmark {
  @Param({"updateStateByKey", "mapWithState"})
  public String operator;

  @Param({"1000000"})
  public int keys;

  @Param({"100000"})
  public int recordsPerBatch;

  private BatchDriver driver;
  private Path checkpointDir;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    checkpointDir = Files.createTempDirectory("millrace-state-bench");
    driver = new BatchDriver(2, Durations.seconds(1), checkpointDir.toString());
    List<List<Tuple2<String, Integer>>> batches = new ArrayList<>();
    for (int b = 0; b < 20; b++) {
      List<Tuple2<String, Integer>> batch = new ArrayList<>(recordsPerBatch);
      for (String k : StateKeys.random(5, keys, recordsPerBatch, b)) {
        batch.add(new Tuple2<>(k, 1));
      }
      batches.add(batch);
    }
    List<Tuple2<String, Integer>> initialStates = new ArrayList<>(keys);
    Integer zero = 0;
    for (int k = 0; k < keys; k++) {
      initialStates.add(new Tuple2<>(StateKeys.key(k), zero));
    }
    JavaPairRDD<String, Integer> initial = driver.context().sparkContext().parallelizePairs(initialStates, 2);
    JavaPairDStream<String, Integer> input = driver.pairInput(batches, 2);
    HashPartitioner partitioner = new HashPartitioner(2);
    if (operator.equals("mapWithState")) {
      JavaMapWithStateDStream<String, Integer, Integer, Integer> mapped =
          input.mapWithState(StateSpec.<String, Integer, Integer, Integer>function((k, v, s) -> {
            int sum = (s.exists() ? s.get() : 0) + v.orElse(0);
            s.update(sum);
            return sum;
          }).initialState(initial).partitioner(partitioner));
      mapped.checkpoint(Durations.seconds(1_000_000L));
      mapped.foreachRDD(rdd -> {
        rdd.count();
      });
    } else {
      JavaPairDStream<String, Integer> counts = input.updateStateByKey((List<Integer> values, Optional<Integer> s) -> {
        int sum = s.orElse(0);
        for (int v : values) {
          sum += v;
        }
        return Optional.of(sum);
      }, partitioner, initial);
      counts.checkpoint(Durations.seconds(1_000_000L));
      counts.foreachRDD(rdd -> {
        rdd.count();
      });
    }
    driver.run(5);
  }

  /** One batch. */
  @Benchmark
  public long batch() {
    return driver.run(1);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    driver.close();
    try (var walk = Files.walk(checkpointDir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
