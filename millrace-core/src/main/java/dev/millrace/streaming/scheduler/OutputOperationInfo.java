package dev.millrace.streaming.scheduler;

import dev.millrace.streaming.Time;
import java.util.Optional;

/**
 * One output operation ({@code print}, {@code foreachRDD}, ...) of one batch. Immutable.
 *
 * @param batchTime the batch's time
 * @param id the output operation's id: its position among the context's output operations
 * @param name short name, e.g. {@code print}
 * @param description where it was defined
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
