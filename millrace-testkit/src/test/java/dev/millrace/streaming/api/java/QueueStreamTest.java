package dev.millrace.streaming.api.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.api.java.JavaRDD;
import dev.millrace.streaming.StreamingTestBase;
import dev.millrace.testkit.BatchCollector;
import java.util.LinkedList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** {@code queueStream}: all three overloads, one at a time or all at once, and the default dataset. */
class QueueStreamTest extends StreamingTestBase {

  private JavaRDD<String> rdd(String... records) {
    return jssc().sparkContext().parallelize(List.of(records), 2);
  }

  @Test
  void queueStream_takesOneDatasetPerBatch_thenEmptyBatches() {
    Queue<JavaRDD<String>> queue = new LinkedList<>(List.of(rdd("a", "b"), rdd(), rdd("c")));
    BatchCollector<String> out = h.collect(jssc().queueStream(queue));
    h.runBatches(5);
    assertThat(out.batches()).containsExactly(List.of("a", "b"), List.of(), List.of("c"), List.of(), List.of());
    assertThat(queue).isEmpty();
  }

  @Test
  void queueStream_oneAtATimeTrue_isTheDefault() {
    Queue<JavaRDD<String>> queue = new LinkedList<>(List.of(rdd("a"), rdd("b")));
    BatchCollector<String> out = h.collect(jssc().queueStream(queue, true));
    h.runBatches(3);
    assertThat(out.batches()).containsExactly(List.of("a"), List.of("b"), List.of());
  }

  @Test
  void queueStream_oneAtATimeFalse_takesEveryQueuedDatasetInOneBatch() {
    Queue<JavaRDD<String>> queue = new LinkedList<>(List.of(rdd("a", "b"), rdd("c"), rdd("d")));
    JavaInputDStream<String> stream = jssc().queueStream(queue, false);
    BatchCollector<String> out = h.collect(stream);
    BatchCollector<Long> counts = h.collect(stream.count());
    h.runBatches(2);
    assertThat(out.batches()).containsExactly(List.of("a", "b", "c", "d"), List.of());
    assertThat(counts.batches()).containsExactly(List.of(4L), List.of(0L));
  }

  @Test
  void queueStream_withDefault_usesItWhenTheQueueIsEmpty() {
    Queue<JavaRDD<String>> queue = new LinkedList<>(List.of(rdd("a")));
    BatchCollector<String> out = h.collect(jssc().queueStream(queue, true, rdd("default")));
    h.runBatches(3);
    assertThat(out.batches()).containsExactly(List.of("a"), List.of("default"), List.of("default"));
  }

  @Test
  void queueStream_allAtOnceWithDefault() {
    Queue<JavaRDD<String>> queue = new LinkedList<>(List.of(rdd("a"), rdd("b")));
    BatchCollector<String> out = h.collect(jssc().queueStream(queue, false, rdd("d")));
    h.runBatches(2);
    assertThat(out.batches()).containsExactly(List.of("a", "b"), List.of("d"));
  }

  @Test
  void queueStream_throughThePipeline() {
    Queue<JavaRDD<String>> queue = new LinkedList<>(List.of(rdd("to be or", "not to be"), rdd()));
    BatchCollector<dev.millrace.Tuple2<String, Long>> out = h.collect(jssc().queueStream(queue)
        .flatMap(l -> List.of(l.split(" ")).iterator()).countByValue());
    h.runBatches(2);
    assertThat(out.batch(1)).containsExactlyInAnyOrder(t("to", 2L), t("be", 2L), t("or", 1L), t("not", 1L));
    assertThat(out.batch(2)).isEmpty();
  }
}
