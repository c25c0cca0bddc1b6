package dev.millrace.streaming.scheduler;

/** Event: a receiver stopped. */
public record StreamingListenerReceiverStopped(ReceiverInfo receiverInfo) implements StreamingListenerEvent {}
