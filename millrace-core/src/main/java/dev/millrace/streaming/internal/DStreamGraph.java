package dev.millrace.streaming.internal;

import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.internal.dstream.DStream;
import dev.millrace.streaming.internal.dstream.ForEachDStream;
import dev.millrace.streaming.internal.dstream.InputDStream;
import dev.millrace.streaming.internal.scheduler.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The streams of one context: its inputs and its output operations, which reach every other
 * stream through their parents. Generates each batch's jobs and forgets old datasets.
 */
public final class DStreamGraph {
  private final List<InputDStream<?>> inputStreams = new CopyOnWriteArrayList<>();
  private final List<ForEachDStream<?>> outputStreams = new CopyOnWriteArrayList<>();
  private final AtomicInteger nextStreamId = new AtomicInteger();
  private final AtomicInteger nextInputId = new AtomicInteger();
  private Duration rememberDuration;
  private Time zeroTime;

  public int nextStreamId() {
    return nextStreamId.getAndIncrement();
  }

  /** Registers an input stream; returns its input id. */
  public int addInputStream(InputDStream<?> stream) {
    inputStreams.add(stream);
    return nextInputId.getAndIncrement();
  }

  /** Registers an output operation; returns its output operation id. */
  public int addOutputStream(ForEachDStream<?> stream) {
    outputStreams.add(stream);
    return outputStreams.size() - 1;
  }

  public List<InputDStream<?>> inputStreams() {
    return new ArrayList<>(inputStreams);
  }

  public List<ForEachDStream<?>> outputStreams() {
    return new ArrayList<>(outputStreams);
  }

  void remember(Duration duration) {
    this.rememberDuration = duration;
  }

  public Time zeroTime() {
    return zeroTime;
  }

  /**
   * Checks the graph before start.
   *
   * @throws IllegalArgumentException with Spark's message when there is no output operation
   */
  void validate() {
    if (outputStreams.isEmpty()) {
      throw new IllegalArgumentException("requirement failed: No output operations registered, so nothing to execute");
    }
    for (ForEachDStream<?> out : outputStreams) {
      out.validateAtStart();
    }
  }

  /** Initializes every stream with {@code time} as zero time; the first batch is one interval later. */
  void start(Time time) {
    zeroTime = time;
    for (ForEachDStream<?> out : outputStreams) {
      out.initialize(time);
    }
    for (ForEachDStream<?> out : outputStreams) {
      out.remember(rememberDuration);
    }
  }

  /** The jobs of batch {@code time}, one per output operation that has a dataset at that time. */
  List<Job> generateJobs(Time time) {
    List<Job> jobs = new ArrayList<>();
    for (ForEachDStream<?> out : outputStreams) {
      Job job = out.generateJob(time);
      if (job != null) {
        jobs.add(job);
      }
    }
    return jobs;
  }

  /** Forgets datasets no stream needs after batch {@code time}. */
  void clearMetadata(Time time) {
    for (ForEachDStream<?> out : outputStreams) {
      out.clearMetadata(time);
    }
  }

  /** Every stream reachable from the outputs, each once, parents before children. */
  public List<DStream<?>> allStreams() {
    List<DStream<?>> out = new ArrayList<>();
    java.util.Set<DStream<?>> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (ForEachDStream<?> o : outputStreams) {
      collect(o, seen, out);
    }
    return out;
  }

  private static void collect(DStream<?> s, java.util.Set<DStream<?>> seen, List<DStream<?>> out) {
    if (seen.add(s)) {
      for (DStream<?> d : s.dependencies()) {
        collect(d, seen, out);
      }
      out.add(s);
    }
  }
}
