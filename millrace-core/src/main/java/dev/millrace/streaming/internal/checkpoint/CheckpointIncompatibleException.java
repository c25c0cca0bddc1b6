package dev.millrace.streaming.internal.checkpoint;

import dev.millrace.MillraceException;

/**
 * A checkpoint that the rebuilt graph cannot take over: a stateful operator was removed or changed
 * kind, an input's progress is of another kind, or the batch interval changed. The message names
 * the operator, what changed, and how to start fresh.
 */
public final class CheckpointIncompatibleException extends MillraceException {
  private static final long serialVersionUID = 1L;

  CheckpointIncompatibleException(String message) {
    super(message);
  }
}
