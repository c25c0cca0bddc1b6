package dev.millrace.streaming.internal.dstream;

import dev.millrace.internal.rdd.EmptyRDD;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.internal.rdd.UnionRDD;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.StreamingEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * {@code queueStream}: each batch takes the next dataset from a queue (or, unless one at a time,
 * all of them, unioned); an empty queue gives the default dataset, or an empty one.
 *
 * <p>The queue is read when the batch is generated. It may be filled while the context runs; use
 * a thread-safe queue then. Like Spark's, this stream cannot be recovered from a checkpoint.
 */
public final class QueueInputDStream<T> extends InputDStream<T> {
  private static final long serialVersionUID = 1L;
  private final transient Queue<RDD<T>> queue;
  private final boolean oneAtATime;
  private final transient RDD<T> defaultRDD;

  public QueueInputDStream(StreamingEngine ssc, Queue<RDD<T>> queue, boolean oneAtATime, RDD<T> defaultRDD) {
    super(ssc, "queueStream");
    this.queue = java.util.Objects.requireNonNull(queue, "queue");
    this.oneAtATime = oneAtATime;
    this.defaultRDD = defaultRDD;
  }

  @Override
  public void start() {}

  @Override
  public void stop() {}

  @Override
  protected RDD<T> compute(Time validTime) {
    List<RDD<T>> taken = new ArrayList<>();
    synchronized (queue) {
      if (oneAtATime) {
        RDD<T> next = queue.poll();
        if (next != null) {
          taken.add(next);
        }
      } else {
        RDD<T> next;
        while ((next = queue.poll()) != null) {
          taken.add(next);
        }
      }
    }
    if (taken.isEmpty()) {
      return defaultRDD != null ? defaultRDD : new EmptyRDD<>(context().engine());
    }
    return taken.size() == 1 ? taken.get(0) : new UnionRDD<>(context().engine(), taken);
  }
}
