package dev.millrace.streaming.scheduler;

/** Event: an output operation of a batch finished, successfully or not. */
public record StreamingListenerOutputOperationCompleted(OutputOperationInfo outputOperationInfo) implements StreamingListenerEvent {}
