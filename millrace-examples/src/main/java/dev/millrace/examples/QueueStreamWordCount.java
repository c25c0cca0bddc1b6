package dev.millrace.examples;

import dev.millrace.MillraceConf;
import dev.millrace.api.java.JavaRDD;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The seed tutorial's pipeline on a queue of batches: lines, {@code flatMap} on whitespace,
 * {@code countByValue}, {@code print}. One queued dataset becomes one batch.
 *
 * <pre>
 * java -cp millrace-examples.jar:millrace-core.jar dev.millrace.examples.QueueStreamWordCount
 * </pre>
 */
public final class QueueStreamWordCount {
  private QueueStreamWordCount() {}

  public static void main(String[] args) throws Exception {
    MillraceConf conf = new MillraceConf().setMaster("local[2]").setAppName("QueueStreamWordCount");
    JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.milliseconds(500));

    Queue<JavaRDD<String>> queue = new ConcurrentLinkedQueue<>();
    for (List<String> batch : List.of(
        List.of("to be or not to be", "that is the question"),
        List.of("whether tis nobler in the mind to suffer"),
        List.of("the slings and arrows of outrageous fortune"))) {
      queue.add(ssc.sparkContext().parallelize(batch));
    }

    JavaDStream<String> lines = ssc.queueStream(queue);
    JavaPairDStream<String, Long> uniqueWords = lines
        .flatMap(text -> Arrays.asList(text.trim().split("\\s+")).iterator())
        .countByValue();
    uniqueWords.print();

    ssc.start();
    ssc.awaitTerminationOrTimeout(2000);
    ssc.stop(true, true);
  }
}
