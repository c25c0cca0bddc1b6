package dev.millrace.bench.jmh;

import dev.millrace.api.java.JavaRDD;
import dev.millrace.bench.input.ZipfLines;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import dev.millrace.testkit.StreamingTestHarness;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * The seed's pipeline, one whole batch per operation, through the streaming engine on {@code
 * local[2]}: a queued batch of {@code lines} lines (10 Zipf words each), {@code flatMap} on
 * whitespace ({@code trim().split("\\s+")}, as the seed writes it), {@code countByValue}, and an
 * output operation that counts the result. The batch is run by moving the manual clock one interval
 * and waiting for the batch to complete, so the figure includes the scheduler's per-batch work.
 * Words per second = lines &times; 10 / (seconds per operation).
 *
 * <pre>
 * mvn -q package -pl millrace-bench -am -DskipTests
 * java -Xms2g -Xmx2g -jar millrace-bench/target/benchmarks.jar SeedPipelineBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class SeedPipelineBenchmark {
  @Param({"100000"})
  public int lines;

  private StreamingTestHarness harness;
  private final Queue<JavaRDD<String>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong distinct = new AtomicLong();
  private JavaRDD<String> batch;

  @Setup(Level.Trial)
  public void setUp() {
    harness = StreamingTestHarness.create(Durations.seconds(1));
    JavaStreamingContext ssc = harness.context();
    List<String> data = ZipfLines.standard(42).lines(lines);
    batch = ssc.sparkContext().parallelize(data);
    ssc.queueStream(queue, true)
        .flatMap(text -> Arrays.asList(text.trim().split("\\s+")).iterator())
        .countByValue()
        .foreachRDD(rdd -> {
          distinct.set(rdd.count());
        });
  }

  @Benchmark
  public long batch() {
    queue.add(batch);
    harness.runBatches(1);
    return distinct.get();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    harness.close();
  }
}
