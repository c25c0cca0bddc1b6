package dev.millrace.streaming.scheduler;

import dev.millrace.streaming.Time;
import java.util.Optional;

/**
 * One output operation ({@code print}, {@code foreachRDD}, ...) of one batch. Immutable.
 *
 * @param batchTime the batch's time
 * @param id the output operation's id: its position among the context's output operations
 * @param name Spark's short call site: the operation and where the user's code defined it, e.g.
 *     {@code foreachRDD at WordCount.java:42}
 * @param description Spark's long call site: the stack where it was defined, one frame per line
 * @param startTime when it started, if it has
 * @param endTime when it ended, if it has
 * @param failureReason why it failed, if it did
 */
public record OutputOperationInfo(
    Time batchTime,
    int id,
    String name,
    String description,
    Optional<Long> startTime,
    Optional<Long> endTime,
    Optional<String> failureReason) {

  /** How long it ran, once it ended. */
  public Optional<Long> duration() {
    return endTime.flatMap(end -> startTime.map(start -> end - start));
  }
}
