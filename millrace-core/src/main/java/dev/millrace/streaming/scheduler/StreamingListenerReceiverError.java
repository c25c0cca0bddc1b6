package dev.millrace.streaming.scheduler;

/** Event: a receiver reported an error. */
public record StreamingListenerReceiverError(ReceiverInfo receiverInfo) implements StreamingListenerEvent {}
