package dev.millrace.bench.jmh;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaMillraceContext;
import dev.millrace.api.java.JavaPairRDD;
import dev.millrace.bench.input.ZipfLines;
import java.util.ArrayList;
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
 * {@code reduceByKey(Integer::sum)} with map-side combine over {@code pairs} ready-made {@code (word,
 * 1)} pairs, Zipf-distributed over a vocabulary of {@code vocabulary} words, in 2 partitions on
 * {@code local[2]}, then {@code count()}: the map-side combine map, the hash partitioning into
 * buckets and the reduce-side merge. The words are fresh strings per pair (as a {@code split}
 * makes them), so hashing them is part of the cost as in a real batch.
 *
 * <pre>
 * mvn -q package -pl millrace-bench -am -DskipTests
 * java -jar millrace-bench/target/benchmarks.jar ReduceByKeyShuffleBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class ReduceByKeyShuffleBenchmark {
  @Param({"1000000"})
  public int pairs;

  @Param({"1000", "100000"})
  public int vocabulary;

  private JavaMillraceContext sc;
  private JavaPairRDD<String, Integer> input;

  @Setup(Level.Trial)
  public void setUp() {
    sc = new JavaMillraceContext(new MillraceConf().setMaster("local[2]").setAppName("jmh"));
    ZipfLines gen = new ZipfLines(vocabulary, 1.0, 1, 42);
    List<Tuple2<String, Integer>> data = new ArrayList<>(pairs);
    for (int i = 0; i < pairs; i++) {
      data.add(new Tuple2<>(new String(ZipfLines.word(gen.nextRank()).toCharArray()), 1));
    }
    input = sc.parallelizePairs(data, 2);
  }

  @Benchmark
  public long reduceByKey() {
    return input.reduceByKey(Integer::sum).count();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    sc.stop();
  }
}
