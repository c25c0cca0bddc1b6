package dev.millrace.bench.jmh;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaMillraceContext;
import dev.millrace.api.java.JavaRDD;
import dev.millrace.bench.input.ZipfLines;
import java.util.Arrays;
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
 * The fused narrow pipeline: {@code flatMap(line.split(" "))} then {@code mapToPair(w -> (w, 1))}
 * over {@code lines} lines in {@code partitions} partitions, consumed by {@code count()} on {@code
 * local[threads]}. No shuffle: this is the per-record cost of the iterator chain and the user
 * functions. One operation is one pass over the whole dataset.
 *
 * <pre>
 * mvn -q package -pl millrace-bench -am -DskipTests
 * java -jar millrace-bench/target/benchmarks.jar NarrowPipelineBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class NarrowPipelineBenchmark {
  @Param({"100000"})
  public int lines;

  @Param({"1", "2"})
  public int threads;

  private JavaMillraceContext sc;
  private JavaRDD<String> input;

  @Setup(Level.Trial)
  public void setUp() {
    sc = new JavaMillraceContext(new MillraceConf().setMaster("local[" + threads + "]").setAppName("jmh"));
    input = sc.parallelize(ZipfLines.standard(42).lines(lines), threads);
  }

  @Benchmark
  public long flatMapThenMapToPair() {
    return input.flatMap(line -> Arrays.asList(line.split(" ")).iterator())
        .mapToPair(w -> new Tuple2<>(w, 1))
        .count();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    sc.stop();
  }
}
