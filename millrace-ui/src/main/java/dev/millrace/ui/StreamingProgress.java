package dev.millrace.ui;

import dev.millrace.streaming.Time;
import dev.millrace.streaming.scheduler.BatchInfo;
import dev.millrace.streaming.scheduler.OutputOperationInfo;
import dev.millrace.streaming.scheduler.ReceiverInfo;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import dev.millrace.streaming.scheduler.StreamingListener;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import dev.millrace.streaming.scheduler.StreamingListenerBatchStarted;
import dev.millrace.streaming.scheduler.StreamingListenerBatchSubmitted;
import dev.millrace.streaming.scheduler.StreamingListenerOutputOperationCompleted;
import dev.millrace.streaming.scheduler.StreamingListenerOutputOperationStarted;
import dev.millrace.streaming.scheduler.StreamingListenerReceiverError;
import dev.millrace.streaming.scheduler.StreamingListenerReceiverStarted;
import dev.millrace.streaming.scheduler.StreamingListenerReceiverStopped;
import dev.millrace.streaming.scheduler.StreamingListenerStreamingStarted;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the UI, REST API and metrics show, kept from the listener events of one streaming context:
 * waiting, running and the last {@code retainedBatches} completed batches with their output
 * operations, the receivers, and running totals.
 *
 * <p>Thread-safe: events arrive on the listener bus thread, readers (HTTP threads, JMX) take
 * consistent copies; every method synchronizes on this object.
 */
final class StreamingProgress implements StreamingListener {
  /** A batch as the UI shows it: the latest known info plus its output operations so far. */
  record Batch(BatchInfo info, Status status, Map<Integer, OutputOperationInfo> outputOps) {
    long batchId() {
      return info.batchTime().milliseconds();
    }
  }

  /** Spark's batch states, with its names. */
  enum Status {
    QUEUED, PROCESSING, COMPLETED
  }

  private final int retainedBatches;
  private final long batchDurationMs;
  private final TreeMap<Time, BatchInfo> waiting = new TreeMap<>();
  private final TreeMap<Time, BatchInfo> running = new TreeMap<>();
  private final ArrayDeque<BatchInfo> completed = new ArrayDeque<>();
  private final TreeMap<Time, TreeMap<Integer, OutputOperationInfo>> outputOps = new TreeMap<>();
  private final TreeMap<Integer, ReceiverInfo> receivers = new TreeMap<>();
  private long startTime = -1;
  private long totalCompletedBatches;
  private long totalReceivedRecords;
  private long totalProcessedRecords;
  private BatchInfo lastReceived;

  StreamingProgress(long batchDurationMs, int retainedBatches) {
    if (retainedBatches < 1) {
      throw new IllegalArgumentException("spark.streaming.ui.retainedBatches must be positive, was " + retainedBatches);
    }
    this.batchDurationMs = batchDurationMs;
    this.retainedBatches = retainedBatches;
  }

  long batchDurationMs() {
    return batchDurationMs;
  }

  // ------------------------------------------------------------ events

  @Override
  public synchronized void onStreamingStarted(StreamingListenerStreamingStarted e) {
    startTime = e.time();
  }

  @Override
  public synchronized void onReceiverStarted(StreamingListenerReceiverStarted e) {
    receivers.put(e.receiverInfo().streamId(), e.receiverInfo());
  }

  @Override
  public synchronized void onReceiverError(StreamingListenerReceiverError e) {
    receivers.put(e.receiverInfo().streamId(), e.receiverInfo());
  }

  @Override
  public synchronized void onReceiverStopped(StreamingListenerReceiverStopped e) {
    receivers.put(e.receiverInfo().streamId(), e.receiverInfo());
  }

  @Override
  public synchronized void onBatchSubmitted(StreamingListenerBatchSubmitted e) {
    BatchInfo info = e.batchInfo();
    waiting.put(info.batchTime(), info);
    totalReceivedRecords += info.numRecords();
    if (lastReceived == null || info.batchTime().greater(lastReceived.batchTime())) {
      lastReceived = info;
    }
  }

  @Override
  public synchronized void onBatchStarted(StreamingListenerBatchStarted e) {
    BatchInfo info = e.batchInfo();
    waiting.remove(info.batchTime());
    running.put(info.batchTime(), info);
    if (lastReceived != null && lastReceived.batchTime().equals(info.batchTime())) {
      lastReceived = info;
    }
  }

  @Override
  public synchronized void onBatchCompleted(StreamingListenerBatchCompleted e) {
    BatchInfo info = e.batchInfo();
    waiting.remove(info.batchTime());
    running.remove(info.batchTime());
    completed.addLast(info);
    totalCompletedBatches++;
    totalProcessedRecords += info.numRecords();
    if (lastReceived != null && lastReceived.batchTime().equals(info.batchTime())) {
      lastReceived = info;
    }
    outputOps.computeIfAbsent(info.batchTime(), t -> new TreeMap<>()).putAll(info.outputOperationInfos());
    while (completed.size() > retainedBatches) {
      BatchInfo dropped = completed.removeFirst();
      outputOps.remove(dropped.batchTime());
    }
  }

  @Override
  public synchronized void onOutputOperationStarted(StreamingListenerOutputOperationStarted e) {
    OutputOperationInfo op = e.outputOperationInfo();
    outputOps.computeIfAbsent(op.batchTime(), t -> new TreeMap<>()).put(op.id(), op);
  }

  @Override
  public synchronized void onOutputOperationCompleted(StreamingListenerOutputOperationCompleted e) {
    OutputOperationInfo op = e.outputOperationInfo();
    outputOps.computeIfAbsent(op.batchTime(), t -> new TreeMap<>()).put(op.id(), op);
  }

  // ------------------------------------------------------------ reads

  /** When streaming started (the clock of the context), or -1 before. */
  synchronized long startTime() {
    return startTime;
  }

  synchronized long totalCompletedBatches() {
    return totalCompletedBatches;
  }

  synchronized long totalReceivedRecords() {
    return totalReceivedRecords;
  }

  synchronized long totalProcessedRecords() {
    return totalProcessedRecords;
  }

  synchronized int numWaiting() {
    return waiting.size();
  }

  synchronized int numRunning() {
    return running.size();
  }

  synchronized int numRetainedCompleted() {
    return completed.size();
  }

  synchronized List<ReceiverInfo> receivers() {
    return new ArrayList<>(receivers.values());
  }

  synchronized Optional<ReceiverInfo> receiver(int streamId) {
    return Optional.ofNullable(receivers.get(streamId));
  }

  synchronized Optional<BatchInfo> lastCompleted() {
    return Optional.ofNullable(completed.peekLast());
  }

  synchronized Optional<BatchInfo> lastReceived() {
    return Optional.ofNullable(lastReceived);
  }

  /** Retained completed batches, oldest first. */
  synchronized List<BatchInfo> completedBatches() {
    return new ArrayList<>(completed);
  }

  /** Every known batch (waiting, running, retained completed), newest first. */
  synchronized List<Batch> allBatches() {
    List<Batch> all = new ArrayList<>(waiting.size() + running.size() + completed.size());
    for (BatchInfo b : waiting.descendingMap().values()) {
      all.add(batch(b, Status.QUEUED));
    }
    for (BatchInfo b : running.descendingMap().values()) {
      all.add(batch(b, Status.PROCESSING));
    }
    for (Iterator<BatchInfo> it = completed.descendingIterator(); it.hasNext(); ) {
      all.add(batch(it.next(), Status.COMPLETED));
    }
    all.sort((a, b) -> Long.compare(b.batchId(), a.batchId()));
    return all;
  }

  /** The batch of {@code batchId} (its time in ms), if it is still known. */
  synchronized Optional<Batch> batch(long batchId) {
    Time t = new Time(batchId);
    if (waiting.containsKey(t)) {
      return Optional.of(batch(waiting.get(t), Status.QUEUED));
    }
    if (running.containsKey(t)) {
      return Optional.of(batch(running.get(t), Status.PROCESSING));
    }
    for (BatchInfo b : completed) {
      if (b.batchTime().equals(t)) {
        return Optional.of(batch(b, Status.COMPLETED));
      }
    }
    return Optional.empty();
  }

  private Batch batch(BatchInfo info, Status status) {
    TreeMap<Integer, OutputOperationInfo> ops = new TreeMap<>(info.outputOperationInfos());
    TreeMap<Integer, OutputOperationInfo> seen = outputOps.get(info.batchTime());
    if (seen != null) {
      for (OutputOperationInfo op : seen.values()) {
        OutputOperationInfo known = ops.get(op.id());
        // keep whichever knows more: an ended operation over a started one
        if (known == null || (known.endTime().isEmpty() && op.endTime().isPresent())) {
          ops.put(op.id(), op);
        }
      }
    }
    return new Batch(info, status, ops);
  }

  /**
   * Records per second of each input stream in each retained completed batch, oldest first:
   * {@code streamId -> [(batchTime ms, rate)]}.
   */
  synchronized Map<Integer, List<long[]>> recordsByStream() {
    Map<Integer, List<long[]>> out = new TreeMap<>();
    for (BatchInfo b : completed) {
      for (StreamInputInfo in : b.streamIdToInputInfo().values()) {
        out.computeIfAbsent(in.inputStreamId(), k -> new ArrayList<>())
            .add(new long[] {b.batchTime().milliseconds(), in.numRecords()});
      }
    }
    return out;
  }
}
