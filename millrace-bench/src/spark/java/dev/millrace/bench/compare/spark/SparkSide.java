package dev.millrace.bench.compare.spark;

import dev.millrace.bench.compare.BatchLog;
import dev.millrace.bench.compare.StreamingSide;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.Optional;
import org.apache.spark.rdd.RDD;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.State;
import org.apache.spark.streaming.StateSpec;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.dstream.InputDStream;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Apache Spark Streaming's side of the comparison: the same pipeline as {@code MillraceSide}, with
 * Spark's imports. Two differences, both forced by Spark's API and neither costing Spark time:
 *
 * <ul>
 *   <li>Spark's Java {@code queueStream(java.util.Queue)} copies the queue once when called, so
 *       datasets added later are never seen; this side feeds the Scala queue that Spark's own
 *       {@code QueueInputDStream} reads (under the queue's lock, as that stream does).
 *   <li>Spark's {@code BatchInfo} delays are Scala {@code Option}s.
 *   <li>The stateful workloads set the checkpoint directory on the {@code SparkContext}: Spark
 *       refuses to start a queue stream with a streaming checkpoint ({@code ssc.checkpoint}).
 * </ul>
 *
 * <p>The web UI is disabled (Spark's best case for both speed and start-up). Driver thread only.
 */
public final class SparkSide implements StreamingSide {
  private final JavaSparkContext sc;
  private scala.collection.mutable.Queue<RDD<String>> queue;
  private JavaStreamingContext ssc;

  public SparkSide() {
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("millrace-bench")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.local.dir", System.getProperty("java.io.tmpdir"));
    sc = new JavaSparkContext(conf);
  }

  @Override
  public String engine() {
    return "spark";
  }

  /** A new streaming context reporting to {@code log}, and its queue stream over a new queue. */
  private JavaDStream<String> input(long intervalMs, BatchLog log) {
    queue = new scala.collection.mutable.Queue<>(16);
    newContext(intervalMs, log);
    ClassTag<String> tag = ClassTag$.MODULE$.apply(String.class);
    InputDStream<String> input = ssc.ssc().queueStream(queue, true, tag);
    return new JavaDStream<>(input, tag);
  }

  /** A new streaming context whose listener reports every completed batch to {@code log}. */
  private void newContext(long intervalMs, BatchLog log) {
    ssc = new JavaStreamingContext(sc, Durations.milliseconds(intervalMs));
    ssc.addStreamingListener(new StreamingListener() {
      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
        BatchInfo info = completed.batchInfo();
        log.completed(info.batchTime().milliseconds(), info.numRecords(), delay(info.schedulingDelay()),
            delay(info.processingDelay()));
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

  private static long delay(scala.Option<Object> d) {
    return d.isDefined() ? ((Number) d.get()).longValue() : -1L;
  }

  @Override
  public void enqueue(List<String> lines) {
    JavaRDD<String> rdd = sc.parallelize(lines);
    synchronized (queue) {
      queue.enqueue(rdd.rdd());
    }
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
