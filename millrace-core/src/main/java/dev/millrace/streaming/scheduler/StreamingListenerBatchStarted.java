package dev.millrace.streaming.scheduler;

/** Event: a batch's first job started. */
public record StreamingListenerBatchStarted(BatchInfo batchInfo) implements StreamingListenerEvent {}
