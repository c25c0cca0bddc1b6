package dev.millrace;

/**
 * Root of every failure the engine raises while running a job: a user function that threw, a
 * batch that could not be processed, a checkpoint that could not be read.
 *
 * <p>The message names where it happened (the operation, and for streaming jobs the batch time and
 * the stream); the original failure is the {@linkplain #getCause() cause}. Misuse of the API is
 * reported with {@link IllegalArgumentException} or {@link IllegalStateException} instead, as in
 * Spark.
 */
public class MillraceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that says where the failure happened. */
  public MillraceException(String message) {
    super(message);
  }

  /** Creates an exception with a message that says where, wrapping the original failure. */
  public MillraceException(String message, Throwable cause) {
    super(message, cause);
  }
}
