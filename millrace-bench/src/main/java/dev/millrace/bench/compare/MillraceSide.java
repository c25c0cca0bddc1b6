package dev.millrace.bench.compare;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaMillraceContext;
import dev.millrace.api.java.JavaRDD;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import dev.millrace.streaming.scheduler.BatchInfo;
import dev.millrace.streaming.scheduler.StreamingListener;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Millrace's side of the comparison; see {@link StreamingSide}. Driver thread only. */
public final class MillraceSide implements StreamingSide {
  private final JavaMillraceContext sc;
  private final Queue<JavaRDD<String>> queue = new ConcurrentLinkedQueue<>();
  private JavaStreamingContext ssc;

  public MillraceSide() {
    sc = new JavaMillraceContext(new MillraceConf().setMaster("local[2]").setAppName("millrace-bench"));
  }

  @Override
  public String engine() {
    return "millrace";
  }

  @Override
  public void startWordCount(long intervalMs, BatchLog log) {
    queue.clear();
    ssc = new JavaStreamingContext(sc, Durations.milliseconds(intervalMs));
    ssc.addStreamingListener(new StreamingListener() {
      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
        BatchInfo info = completed.batchInfo();
        log.completed(info.batchTime().milliseconds(), info.schedulingDelay().orElse(-1L),
            info.processingDelay().orElse(-1L));
      }
    });
    JavaPairDStream<String, Integer> counts = ssc.queueStream(queue, true)
        .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
        .mapToPair(w -> new Tuple2<>(w, 1))
        .reduceByKey(Integer::sum);
    counts.foreachRDD((rdd, time) -> {
      log.output(time.milliseconds(), rdd.count());
    });
    ssc.start();
  }

  @Override
  public void enqueue(List<String> lines) {
    queue.add(sc.parallelize(lines));
  }

  @Override
  public void stopStreaming() {
    if (ssc != null) {
      ssc.stop(false);
      ssc = null;
    }
  }

  @Override
  public void close() {
    stopStreaming();
    sc.stop();
  }
}
