package dev.millrace.bench.jmh;

import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaRDD;
import dev.millrace.bench.input.ZipfLines;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import dev.millrace.testkit.StreamingTestHarness;
import java.util.Arrays;
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
 * Per-batch scheduling overhead: one batch per operation of the word-count pipeline ({@code
 * queueStream} -> {@code flatMap} -> {@code mapToPair} -> {@code reduceByKey} -> {@code
 * foreachRDD(count)}) under a manual clock on {@code local[2]}, with {@code lines} lines per batch
 * (0: empty batches, the pure cost of generating the batch's jobs, running the shuffle stages and
 * the output job, and the listener events). Each operation moves the clock one interval and waits
 * for the batch to complete, so it includes the hand-off to the scheduler's threads and back.
 *
 * <pre>
 * mvn -q package -pl millrace-bench -am -DskipTests
 * java -jar millrace-bench/target/benchmarks.jar BatchOverheadBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class BatchOverheadBenchmark {
  @Param({"0", "10"})
  public int lines;

  private StreamingTestHarness harness;
  private final Queue<JavaRDD<String>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong distinct = new AtomicLong();
  private JavaRDD<String> batch;

  @Setup(Level.Trial)
  public void setUp() {
    harness = StreamingTestHarness.create(Durations.milliseconds(10));
    JavaStreamingContext ssc = harness.context();
    batch = lines == 0 ? null : ssc.sparkContext().parallelize(ZipfLines.standard(42).lines(lines));
    ssc.queueStream(queue, true)
        .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
        .mapToPair(w -> new Tuple2<>(w, 1))
        .reduceByKey(Integer::sum)
        .foreachRDD(rdd -> {
          distinct.set(rdd.count());
        });
  }

  @Benchmark
  public long batch() {
    if (batch != null) {
      queue.add(batch);
    }
    harness.runBatches(1);
    return distinct.get();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    harness.close();
  }
}
