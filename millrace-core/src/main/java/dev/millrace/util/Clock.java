package dev.millrace.util;

/**
 * The source of time for the engine. Batches, block intervals, rate limits and timeouts all ask
 * the clock, never the system directly, so a test can drive time with a {@link ManualClock}.
 *
 * <p>Implementations are thread-safe.
 */
public interface Clock {

  /** The current time in milliseconds. */
  long getTimeMillis();

  /**
   * Blocks until the clock reaches {@code targetTime}.
   *
   * @return the time when it returned, at least {@code targetTime}
   * @throws InterruptedException if the waiting thread is interrupted
   */
  long waitTillTime(long targetTime) throws InterruptedException;
}
