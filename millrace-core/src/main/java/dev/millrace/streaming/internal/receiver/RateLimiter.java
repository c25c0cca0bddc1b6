package dev.millrace.streaming.internal.receiver;

import dev.millrace.util.Clock;

/**
 * Admits at most {@code ratePerSecond} records per second of the given clock, smoothly: record k
 * after an idle period is due {@code k * 1000 / rate} ms after the first. Up to one second of
 * unused allowance is kept for a burst (as Guava's bursty limiter, which Spark uses), so a clock
 * that jumps by a whole batch interval admits a whole interval's worth of records.
 *
 * <p>The rate may change while records flow ({@link #setRate}, driven by backpressure): records
 * reserved afterwards are spaced by the new rate; a reservation already handed out keeps its
 * time. A limiter may also be unlimited ({@link #unlimited}), admitting everything at once until
 * it is given a rate.
 *
 * <p>{@link #reserve()} only computes when the caller may proceed; the caller waits on the clock,
 * so a stop can interrupt the wait. Thread-safe.
 */
public final class RateLimiter {
  private static final double MAX_BURST_MS = 1000;

  private final Clock clock;
  private long ratePerSecond;
  private double msPerRecord;
  private double nextFreeMs = Double.NEGATIVE_INFINITY;

  /** @throws IllegalArgumentException if the rate is not positive */
  public RateLimiter(Clock clock, long ratePerSecond) {
    if (ratePerSecond <= 0) {
      throw new IllegalArgumentException("rate must be positive, was " + ratePerSecond);
    }
    this.clock = clock;
    setRate(ratePerSecond);
  }

  private RateLimiter(Clock clock) {
    this.clock = clock;
    this.ratePerSecond = 0;
    this.msPerRecord = 0;
  }

  /** A limiter that admits everything until {@link #setRate} gives it a rate. */
  public static RateLimiter unlimited(Clock clock) {
    return new RateLimiter(clock);
  }

  /** The rate in records per second; 0 when unlimited. */
  public synchronized long ratePerSecond() {
    return ratePerSecond;
  }

  /**
   * Changes the rate; 0, a negative value or {@code Long.MAX_VALUE} means no limit. The allowance
   * already built up is kept (at most one second's worth of the new rate).
   */
  public synchronized void setRate(long newRatePerSecond) {
    if (newRatePerSecond <= 0 || newRatePerSecond == Long.MAX_VALUE) {
      ratePerSecond = 0;
      msPerRecord = 0;
    } else {
      ratePerSecond = newRatePerSecond;
      msPerRecord = 1000.0 / newRatePerSecond;
    }
  }

  /**
   * Reserves the next record's slot.
   *
   * @return the clock time (ms) at which the record may be stored; at most now if it may be stored now
   */
  public synchronized long reserve() {
    long now = clock.getTimeMillis();
    if (ratePerSecond == 0) {
      // Unlimited: no allowance is saved up, so a later limit starts from its own one-second burst.
      nextFreeMs = Double.NEGATIVE_INFINITY;
      return now;
    }
    if (nextFreeMs < now - MAX_BURST_MS) {
      nextFreeMs = now - MAX_BURST_MS;
    }
    double due = nextFreeMs;
    nextFreeMs += msPerRecord;
    return (long) Math.ceil(due);
  }
}
