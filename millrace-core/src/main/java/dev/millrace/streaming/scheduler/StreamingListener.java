package dev.millrace.streaming.scheduler;

/**
 * Receives the life events of a streaming context: started, batches submitted / started /
 * completed, output operations started / completed, receivers started / failed / stopped.
 *
 * <p>Every method has an empty default, so a listener overrides only what it needs. Events are
 * delivered in order on one dedicated thread, never on the thread processing a batch; a listener
 * that throws is logged and keeps receiving events. Register with {@code
 * JavaStreamingContext.addStreamingListener}.
 *
 * <pre>{@code
 * jssc.addStreamingListener(new StreamingListener() {
 *   public void onBatchCompleted(StreamingListenerBatchCompleted e) {
 *     System.out.println(e.batchInfo().processingDelay());
 *   }
 * });
 * }</pre>
 */
public interface StreamingListener {
  default void onStreamingStarted(StreamingListenerStreamingStarted streamingStarted) {}

  default void onReceiverStarted(StreamingListenerReceiverStarted receiverStarted) {}

  default void onReceiverError(StreamingListenerReceiverError receiverError) {}

  default void onReceiverStopped(StreamingListenerReceiverStopped receiverStopped) {}

  default void onBatchSubmitted(StreamingListenerBatchSubmitted batchSubmitted) {}

  default void onBatchStarted(StreamingListenerBatchStarted batchStarted) {}

  default void onBatchCompleted(StreamingListenerBatchCompleted batchCompleted) {}

  default void onOutputOperationStarted(StreamingListenerOutputOperationStarted outputOperationStarted) {}

  default void onOutputOperationCompleted(StreamingListenerOutputOperationCompleted outputOperationCompleted) {}
}
