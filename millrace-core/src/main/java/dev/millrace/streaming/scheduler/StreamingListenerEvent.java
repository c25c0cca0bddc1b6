package dev.millrace.streaming.scheduler;

/** An event delivered to {@link StreamingListener}s. */
public sealed interface StreamingListenerEvent
    permits StreamingListenerStreamingStarted, StreamingListenerBatchSubmitted, StreamingListenerBatchStarted,
        StreamingListenerBatchCompleted, StreamingListenerOutputOperationStarted,
        StreamingListenerOutputOperationCompleted, StreamingListenerReceiverStarted, StreamingListenerReceiverError,
        StreamingListenerReceiverStopped {}
