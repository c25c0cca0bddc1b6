package dev.millrace.streaming.internal.receiver;

import dev.millrace.util.Clock;

/**
 * Admits at most {@code ratePerSecond} records per second of the given clock, smoothly: record k
 * after an idle period is due {@code k * 1000 / rate} ms after the first. Up to one second of
 * unused allowance is kept for a burst (as Guava's bursty limiter, which Spark uses), so a clock
 * that jumps by a whole batch interval admits a whole interval's worth of records.
 *
 * <p>{@link #reserve()} only computes when the caller may proceed; the caller waits on the clock,
 * so a stop can interrupt the wait. Thread-safe.
 */
public final class RateLimiter {
  private static final double MAX_BURST_MS = 1000;

  private final Clock clock;
  private final long ratePerSecond;
  private final double msPerRecord;
  private double nextFreeMs = Double.NEGATIVE_INFINITY;

  /** @throws IllegalArgumentException if the rate is not positive */
  public RateLimiter(Clock clock, long ratePerSecond) {
    if (ratePerSecond <= 0) {
      throw new IllegalArgumentException("rate must be positive, was " + ratePerSecond);
    }
    this.clock = clock;
    this.ratePerSecond = ratePerSecond;
    this.msPerRecord = 1000.0 / ratePerSecond;
  }

  public long ratePerSecond() {
    return ratePerSecond;
  }

  /**
   * Reserves the next record's slot.
   *
   * @return the clock time (ms) at which the record may be stored; at most now if it may be stored now
   */
  public synchronized long reserve() {
    long now = clock.getTimeMillis();
    if (nextFreeMs < now - MAX_BURST_MS) {
      nextFreeMs = now - MAX_BURST_MS;
    }
    double due = nextFreeMs;
    nextFreeMs += msPerRecord;
    return (long) Math.ceil(due);
  }
}
