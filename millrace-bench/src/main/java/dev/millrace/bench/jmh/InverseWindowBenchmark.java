package dev.millrace.bench.jmh;

import dev.millrace.Tuple2;
import dev.millrace.bench.state.BatchDriver;
import dev.millrace.bench.state.Workloads;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaPairDStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
 * Time per slide of {@code reduceByKeyAndWindow} (word counts, 20,000 words a batch over a
 * 20,000-word vocabulary, 1 s batches) for window lengths of 10 and 40 batches and slides of 1 and 4
 * batches, with and without the inverse function. The inverse form's time should follow the slide
 * and stay flat as the window grows; the recomputing form's time follows the window. State
 * checkpoints are pushed out of the measured range, so that the figure is the computation alone.
 *
 * <p>Run (from the repository root):
 *
 * <pre>
 * mvn -q -pl millrace-bench -am compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp "millrace-bench/target/classes:$(cat millrace-bench/target/cp.txt)" \
 *     org.openjdk.jmh.Main InverseWindowBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class InverseWindowBenchmark {
  @Param({"10", "40"})
  public int windowBatches;

  @Param({"1", "4"})
  public int slideBatches;

  @Param({"true", "false"})
  public boolean inverse;

  private BatchDriver driver;
  private Path checkpointDir;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    checkpointDir = Files.createTempDirectory("millrace-window-bench");
    driver = new BatchDriver(2, Durations.seconds(1), checkpointDir.toString());
    JavaPairDStream<String, Integer> pairs = driver.input(Workloads.words(50, 20_000, 20_000, 3), 2)
        .mapToPair(w -> new Tuple2<>(w, 1));
    JavaPairDStream<String, Integer> counts = inverse
        ? pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, Durations.seconds(windowBatches),
            Durations.seconds(slideBatches))
        : pairs.reduceByKeyAndWindow(Integer::sum, Durations.seconds(windowBatches),
            Durations.seconds(slideBatches));
    // State checkpoints (an fsync per file) would dominate the small slides; measure the computation.
    counts.checkpoint(Durations.seconds(1_000_000L * slideBatches));
    counts.foreachRDD(rdd -> {
      rdd.count();
    });
    // Fill the window, ending on a slide boundary.
    int warm = (windowBatches + slideBatches + slideBatches - 1) / slideBatches * slideBatches;
    driver.run(warm);
  }

  /** One slide: {@code slideBatches} batches, the last of which computes a window. */
  @Benchmark
  public long slide() {
    return driver.run(slideBatches);
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
