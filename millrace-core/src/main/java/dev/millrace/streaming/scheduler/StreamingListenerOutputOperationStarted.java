package dev.millrace.streaming.scheduler;

/** Event: an output operation of a batch started. */
public record StreamingListenerOutputOperationStarted(OutputOperationInfo outputOperationInfo) implements StreamingListenerEvent {}
