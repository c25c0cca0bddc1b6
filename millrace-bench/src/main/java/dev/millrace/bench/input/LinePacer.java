package dev.millrace.bench.input;

/**
 * How many lines a paced generator may write at a given moment, for an offered rate in lines per
 * second: line k after the rate was set is due {@code k / rate} seconds later. A writer that was
 * held up (a full socket, a pause of its JVM) catches up with a burst, but by at most one
 * second's worth of lines: a longer hold-up is forgotten beyond that, so the offered rate never
 * turns into an unbounded burst.
 *
 * <p>The rate {@link LineServer#UNLIMITED} admits any number of lines at once; 0 admits none
 * (paused). Times are in nanoseconds from any fixed origin ({@code System.nanoTime()} in use,
 * given values in tests). Not thread-safe: one pacer per writing thread.
 */
final class LinePacer {
  private long rate;
  private long anchorNanos;
  private long sentSinceAnchor;

  /** A paused pacer. */
  LinePacer() {
    this.rate = 0;
  }

  long rate() {
    return rate;
  }

  /**
   * Sets the offered rate from {@code nowNanos} on; lines due under the old rate and not yet
   * written are dropped from the account.
   *
   * @throws IllegalArgumentException if the rate is negative
   */
  void setRate(long linesPerSecond, long nowNanos) {
    if (linesPerSecond < 0) {
      throw new IllegalArgumentException("rate must be >= 0 lines/s, was " + linesPerSecond);
    }
    rate = linesPerSecond;
    anchorNanos = nowNanos;
    sentSinceAnchor = 0;
  }

  /** Lines that may be written at {@code nowNanos}, at most {@code max}. */
  long allowance(long nowNanos, long max) {
    if (rate == 0) {
      return 0;
    }
    if (rate == LineServer.UNLIMITED) {
      return max;
    }
    long due = due(nowNanos);
    long owed = due - sentSinceAnchor;
    if (owed > rate) {
      // More than a second behind: keep one second's worth, forget the rest.
      sentSinceAnchor = due - rate;
      owed = rate;
    }
    return Math.max(0, Math.min(owed, max));
  }

  /** Records that {@code lines} lines were written. */
  void sent(long lines) {
    sentSinceAnchor += lines;
  }

  /** Nanoseconds from {@code nowNanos} until the next line is due; 0 if one is due now or unlimited. */
  long nanosUntilNext(long nowNanos) {
    if (rate == LineServer.UNLIMITED) {
      return 0;
    }
    if (rate == 0) {
      return Long.MAX_VALUE;
    }
    long nextLine = sentSinceAnchor + 1;
    // Smallest t with floor(t * rate / 1e9) >= nextLine.
    long at = anchorNanos + (long) Math.ceil(nextLine * 1e9 / rate);
    return Math.max(0, at - nowNanos);
  }

  private long due(long nowNanos) {
    double elapsed = Math.max(0, nowNanos - anchorNanos);
    return (long) (elapsed * 1e-9 * rate);
  }
}
