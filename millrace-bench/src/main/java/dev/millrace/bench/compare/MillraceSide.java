package dev.millrace.bench.compare;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaMillraceContext;
import dev.millrace.api.java.JavaRDD;
import dev.millrace.api.java.Optional;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.State;
import dev.millrace.streaming.StateSpec;
import dev.millrace.streaming.api.java.JavaDStream;
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

  /** A new streaming context reporting to {@code log}, and its queue stream over an emptied queue. */
  private JavaDStream<String> input(long intervalMs, BatchLog log) {
    queue.clear();
    newContext(intervalMs, log);
    return ssc.queueStream(queue, true);
  }

  /** A new streaming context whose listener reports every completed batch to {@code log}. */
  private void newContext(long intervalMs, BatchLog log) {
    ssc = new JavaStreamingContext(sc, Durations.milliseconds(intervalMs));
    ssc.addStreamingListener(new StreamingListener() {
      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
        BatchInfo info = completed.batchInfo();
        log.completed(info.batchTime().milliseconds(), info.numRecords(), info.schedulingDelay().orElse(-1L),
            info.processingDelay().orElse(-1L));
      }
    });
  }

  @Override
  public void startSocketWordCount(String host, int port, long intervalMs, BatchLog log) {
    newContext(intervalMs, log);
    ssc.socketTextStream(host, port)
        .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
        .countByValue()
        .foreachRDD((rdd, time) -> {
          log.output(time.milliseconds(), rdd.count());
        });
    ssc.start();
  }

  @Override
  public void startWordCount(long intervalMs, BatchLog log) {
    JavaPairDStream<String, Integer> counts = input(intervalMs, log)
        .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
        .mapToPair(w -> new Tuple2<>(w, 1))
        .reduceByKey(Integer::sum);
    counts.foreachRDD((rdd, time) -> {
      log.output(time.milliseconds(), rdd.count());
    });
    ssc.start();
  }

  @Override
  public void startState(String kind, long intervalMs, String checkpointDir, BatchLog log) {
    JavaPairDStream<String, Integer> ones = input(intervalMs, log).mapToPair(k -> new Tuple2<>(k, 1));
    sc.setCheckpointDir(checkpointDir);
    switch (kind) {
      case "updateStateByKey":
        ones.updateStateByKey((List<Integer> values, Optional<Integer> state) -> {
          int sum = state.orElse(0);
          for (int v : values) {
            sum += v;
          }
          return Optional.of(sum);
        }).foreachRDD((rdd, time) -> {
          log.output(time.milliseconds(), rdd.count());
        });
        break;
      case "mapWithState":
        ones.mapWithState(StateSpec.function((String k, Optional<Integer> v, State<Integer> state) -> {
          int sum = (state.exists() ? state.get() : 0) + v.orElse(0);
          state.update(sum);
          return sum;
        })).foreachRDD((rdd, time) -> {
          log.output(time.milliseconds(), rdd.count());
        });
        break;
      default:
        throw new IllegalArgumentException("unknown state kind '" + kind + "'");
    }
    ssc.start();
  }

  @Override
  public void startWindow(boolean inverse, long intervalMs, long windowMs, String checkpointDir, BatchLog log) {
    JavaPairDStream<String, Integer> ones = input(intervalMs, log)
        .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
        .mapToPair(w -> new Tuple2<>(w, 1));
    sc.setCheckpointDir(checkpointDir);
    JavaPairDStream<String, Integer> counts = inverse
        ? ones.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, Durations.milliseconds(windowMs),
            Durations.milliseconds(intervalMs))
        : ones.reduceByKeyAndWindow(Integer::sum, Durations.milliseconds(windowMs),
            Durations.milliseconds(intervalMs));
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
