package dev.millrace.streaming.scheduler;

/** Event: a receiver started. */
public record StreamingListenerReceiverStarted(ReceiverInfo receiverInfo) implements StreamingListenerEvent {}
