package dev.millrace.streaming.sources;

import dev.millrace.streaming.scheduler.BatchInfo;
import dev.millrace.streaming.scheduler.ReceiverInfo;
import dev.millrace.streaming.scheduler.StreamingListener;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import dev.millrace.streaming.scheduler.StreamingListenerReceiverError;
import dev.millrace.streaming.scheduler.StreamingListenerReceiverStarted;
import dev.millrace.streaming.scheduler.StreamingListenerReceiverStopped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the receiver events and completed batches a context reports. */
final class EventLog implements StreamingListener {
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<ReceiverInfo> errors = new CopyOnWriteArrayList<>();
  final List<ReceiverInfo> started = new CopyOnWriteArrayList<>();
  final List<ReceiverInfo> stopped = new CopyOnWriteArrayList<>();
  final List<BatchInfo> batches = new CopyOnWriteArrayList<>();

  @Override
  public void onReceiverStarted(StreamingListenerReceiverStarted e) {
    started.add(e.receiverInfo());
    events.add("started");
  }

  @Override
  public void onReceiverError(StreamingListenerReceiverError e) {
    errors.add(e.receiverInfo());
    events.add("error: " + e.receiverInfo().lastErrorMessage());
  }

  @Override
  public void onReceiverStopped(StreamingListenerReceiverStopped e) {
    stopped.add(e.receiverInfo());
    events.add("stopped");
  }

  @Override
  public void onBatchCompleted(StreamingListenerBatchCompleted e) {
    batches.add(e.batchInfo());
  }

  List<String> errorMessages() {
    List<String> out = new ArrayList<>();
    for (ReceiverInfo i : errors) {
      out.add(i.lastErrorMessage());
    }
    return out;
  }
}
