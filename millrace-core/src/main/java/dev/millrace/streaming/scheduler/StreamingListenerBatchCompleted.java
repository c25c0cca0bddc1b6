package dev.millrace.streaming.scheduler;

/** Event: all of a batch's jobs finished. */
public record StreamingListenerBatchCompleted(BatchInfo batchInfo) implements StreamingListenerEvent {}
