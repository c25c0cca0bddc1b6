package dev.millrace.streaming.scheduler;

/** Event: a batch's jobs were submitted. */
public record StreamingListenerBatchSubmitted(BatchInfo batchInfo) implements StreamingListenerEvent {}
