package dev.millrace.examples;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaRDD;
import dev.millrace.api.java.Optional;
import dev.millrace.api.java.function.Function3;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.State;
import dev.millrace.streaming.StateSpec;
import dev.millrace.streaming.api.java.JavaMapWithStateDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Spark's {@code JavaStatefulNetworkWordCount} on a queue of batches, plus a sliding window: a
 * running count per word with {@code mapWithState}, and the counts of the last two seconds with the
 * incremental {@code reduceByKeyAndWindow}. Both need a checkpoint directory.
 *
 * <pre>
 * java -cp millrace-examples.jar:millrace-core.jar dev.millrace.examples.QueueStreamStatefulWordCount
 * </pre>
 */
public final class QueueStreamStatefulWordCount {
  private QueueStreamStatefulWordCount() {}

  public static void main(String[] args) throws Exception {
    MillraceConf conf = new MillraceConf().setMaster("local[2]").setAppName("QueueStreamStatefulWordCount");
    JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.milliseconds(500));
    // Queue streams cannot be checkpointed (as in Spark), so the state gets a dataset checkpoint
    // directory only; a program to recover with getOrCreate uses ssc.checkpoint(dir) instead.
    ssc.sparkContext().setCheckpointDir(Files.createTempDirectory("stateful-word-count").toString());

    Queue<JavaRDD<String>> queue = new ConcurrentLinkedQueue<>();
    for (List<String> batch : List.<List<String>>of(List.of("a b a"), List.of("b c"), List.of(), List.of("a"))) {
      queue.add(ssc.sparkContext().parallelize(batch));
    }
    JavaPairDStream<String, Integer> ones = ssc.queueStream(queue)
        .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
        .mapToPair(word -> new Tuple2<>(word, 1));

    // Running count per word: called only for words in the batch.
    Function3<String, Optional<Integer>, State<Integer>, Tuple2<String, Integer>> count = (word, one, state) -> {
      int sum = one.orElse(0) + state.getOption().orElse(0);
      state.update(sum);
      return new Tuple2<>(word, sum);
    };
    JavaMapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> running =
        ones.mapWithState(StateSpec.function(count));
    running.print();

    // Counts over the last 2 s, every 500 ms, dropping words that left the window.
    ones.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, Durations.seconds(2), Durations.milliseconds(500),
        2, pair -> pair._2() != 0).print();

    ssc.start();
    ssc.awaitTerminationOrTimeout(3000);
    ssc.stop(true, true);
  }
}
