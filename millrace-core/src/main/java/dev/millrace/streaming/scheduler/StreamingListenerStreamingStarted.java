package dev.millrace.streaming.scheduler;

/** Event: the streaming context started; {@code time} is when. */
public record StreamingListenerStreamingStarted(long time) implements StreamingListenerEvent {}
