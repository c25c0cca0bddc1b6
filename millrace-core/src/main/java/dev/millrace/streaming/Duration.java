package dev.millrace.streaming;

import java.io.Serializable;

/**
 * A length of time in milliseconds: a batch interval, a window length, a slide.
 *
 * <p>The port of Spark Streaming's {@code Duration}; {@link #toString()} is {@code "<ms> ms"}.
 * Immutable.
 *
 * <pre>{@code
 * Duration window = Durations.seconds(30);
 * window.isMultipleOf(Durations.seconds(1));   // true
 * }</pre>
 */
public final class Duration implements Serializable, Comparable<Duration> {
  private static final long serialVersionUID = 1L;

  private final long millis;

  public Duration(long millis) {
    this.millis = millis;
  }

  public long milliseconds() {
    return millis;
  }

  public Duration plus(Duration that) {
    return new Duration(millis + that.millis);
  }

  public Duration minus(Duration that) {
    return new Duration(millis - that.millis);
  }

  public Duration times(int times) {
    return new Duration(millis * times);
  }

  /** How many times {@code that} fits in this duration, as a decimal. */
  public double div(Duration that) {
    return (double) millis / that.millis;
  }

  /**
   * Whether this is a whole multiple of {@code that}.
   *
   * @throws IllegalArgumentException if {@code that} is zero, as division by zero would be
   */
  public boolean isMultipleOf(Duration that) {
    if (that.millis == 0) {
      throw new IllegalArgumentException("Cannot check multiple of a zero duration");
    }
    return millis % that.millis == 0;
  }

  public boolean less(Duration that) {
    return millis < that.millis;
  }

  public boolean lessEq(Duration that) {
    return millis <= that.millis;
  }

  public boolean greater(Duration that) {
    return millis > that.millis;
  }

  public boolean greaterEq(Duration that) {
    return millis >= that.millis;
  }

  public Duration min(Duration that) {
    return less(that) ? this : that;
  }

  public Duration max(Duration that) {
    return greater(that) ? this : that;
  }

  public boolean isZero() {
    return millis == 0;
  }

  /** A short human form: {@code 500 ms}, {@code 2.0 s}, {@code 1.5 m}, {@code 2.0 h}. */
  public String prettyPrint() {
    if (millis < 1000) {
      return millis + " ms";
    } else if (millis < 60_000) {
      return String.format("%.1f s", millis / 1000.0);
    } else if (millis < 3_600_000) {
      return String.format("%.1f m", millis / 60_000.0);
    }
    return String.format("%.2f h", millis / 3_600_000.0);
  }

  @Override
  public int compareTo(Duration o) {
    return Long.compare(millis, o.millis);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Duration && ((Duration) o).millis == millis;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(millis);
  }

  @Override
  public String toString() {
    return millis + " ms";
  }
}
