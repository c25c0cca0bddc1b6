package dev.millrace.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.MillraceException;
import dev.millrace.Tuple2;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaDStreamLike;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared set-up and contract checks of the stream operator tests: a fresh harness per test
 * ({@code local[2]}, 1 s batches, two partitions per scripted batch), a way to run an operator
 * over scripted batches and read its output per batch, and the checks every operator must pass:
 * an empty batch gives the operator's empty result, and a user function that throws fails the
 * batch with a {@link MillraceException} naming the batch time, the stream and the operator.
 */
public abstract class StreamingTestBase {
  protected StreamingTestHarness h;

  @BeforeEach
  void createHarness() {
    h = harness().build();
  }

  @AfterEach
  void closeHarness() {
    h.close();
  }

  /** The harness settings of this test class; override to change them. */
  protected StreamingTestHarness.Builder harness() {
    return StreamingTestHarness.builder(Durations.seconds(1));
  }

  protected JavaStreamingContext jssc() {
    return h.context();
  }

  protected static <K, V> Tuple2<K, V> t(K k, V v) {
    return new Tuple2<>(k, v);
  }

  /** A failure a user function raises on purpose. */
  public static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Boom() {
      super("boom");
    }
  }

  /** A user function body that always throws {@link Boom}. */
  public static <T> T boom() {
    throw new Boom();
  }

  /**
   * Runs {@code op} over the scripted batches plus one more (empty) batch and returns the output
   * of every batch.
   */
  protected <T, U> List<List<U>> runStream(List<List<T>> input, Function<JavaDStream<T>, JavaDStream<U>> op) {
    BatchCollector<U> out = h.collect(op.apply(h.input(input)));
    h.runBatches(input.size() + 1);
    return checkedBatches(out, input.size() + 1);
  }

  /** As {@link #runStream}, for an operator that returns a pair stream. */
  protected <T, K, V> List<List<Tuple2<K, V>>> runPairs(List<List<T>> input,
      Function<JavaDStream<T>, JavaPairDStream<K, V>> op) {
    BatchCollector<Tuple2<K, V>> out = h.collect(op.apply(h.input(input)));
    h.runBatches(input.size() + 1);
    return checkedBatches(out, input.size() + 1);
  }

  /** As {@link #runPairs}, from a pair stream. */
  protected <K, V, K2, V2> List<List<Tuple2<K2, V2>>> runPairsFromPairs(List<List<Tuple2<K, V>>> input,
      Function<JavaPairDStream<K, V>, JavaPairDStream<K2, V2>> op) {
    BatchCollector<Tuple2<K2, V2>> out = h.collect(op.apply(h.pairInput(input)));
    h.runBatches(input.size() + 1);
    return checkedBatches(out, input.size() + 1);
  }

  private <U> List<List<U>> checkedBatches(BatchCollector<U> out, int n) {
    List<Time> expectedTimes = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      expectedTimes.add(h.batchTime(i));
    }
    // Every batch produces output, also an empty one.
    assertThat(out.times()).isEqualTo(expectedTimes);
    return out.batches();
  }

  /**
   * Asserts that batch 1 of a stream built by {@code build} fails with a {@link MillraceException}
   * whose message names the batch time, {@code stream} (a part of the stream's description, e.g.
   * {@code (map)}) and {@code operator} (the operation, quoted), and whose cause is the user's
   * {@link Boom}.
   */
  protected void assertFirstBatchFails(String stream, String operator, JavaDStreamLike<?, ?, ?> built) {
    built.dstream().foreachRDD((rdd, time) -> rdd.collect(), "collect");
    MillraceException e = assertThrows(MillraceException.class, () -> h.runBatches(1));
    assertThat(e.getMessage()).contains(h.batchTime(1).toString()).contains(stream).contains(operator);
    assertThat(rootCause(e)).isInstanceOf(Boom.class);
  }

  protected static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /** Three batches: two words, nothing, three words (and the run adds an empty fourth). */
  protected static List<List<String>> words() {
    return List.of(List.of("a", "b", "a"), List.of(), List.of("c", "a", "c", "d"));
  }
}
