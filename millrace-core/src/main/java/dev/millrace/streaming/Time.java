package dev.millrace.streaming;

import java.io.Serializable;

/**
 * A point in time in milliseconds since the epoch: the time of a batch.
 *
 * <p>The port of Spark Streaming's {@code Time}; {@link #toString()} is {@code "<ms> ms"}, which is
 * what {@code print()} shows after {@code Time: }. Immutable.
 */
public final class Time implements Serializable, Comparable<Time> {
  private static final long serialVersionUID = 1L;

  private final long millis;

  public Time(long millis) {
    this.millis = millis;
  }

  public long milliseconds() {
    return millis;
  }

  public Time plus(Duration d) {
    return new Time(millis + d.milliseconds());
  }

  public Time minus(Duration d) {
    return new Time(millis - d.milliseconds());
  }

  /** The duration from {@code that} to this time. */
  public Duration minus(Time that) {
    return new Duration(millis - that.millis);
  }

  public boolean less(Time that) {
    return millis < that.millis;
  }

  public boolean lessEq(Time that) {
    return millis <= that.millis;
  }

  public boolean greater(Time that) {
    return millis > that.millis;
  }

  public boolean greaterEq(Time that) {
    return millis >= that.millis;
  }

  /** Whether this time is a whole multiple of {@code d}. */
  public boolean isMultipleOf(Duration d) {
    return millis % d.milliseconds() == 0;
  }

  /** The latest multiple of {@code d} not after this time. */
  public Time floor(Duration d) {
    long t = d.milliseconds();
    return new Time(Math.floorDiv(millis, t) * t);
  }

  /** The latest time {@code zeroTime + k * d} not after this time. */
  public Time floor(Duration d, Time zeroTime) {
    long t = d.milliseconds();
    return new Time(Math.floorDiv(millis - zeroTime.millis, t) * t + zeroTime.millis);
  }

  public Time min(Time that) {
    return less(that) ? this : that;
  }

  public Time max(Time that) {
    return greater(that) ? this : that;
  }

  /** Times from this one up to, and excluding, {@code that}, every {@code interval}. */
  public java.util.List<Time> until(Time that, Duration interval) {
    java.util.List<Time> out = new java.util.ArrayList<>();
    for (long t = millis; t < that.millis; t += interval.milliseconds()) {
      out.add(new Time(t));
    }
    return out;
  }

  /** Times from this one up to, and including, {@code that}, every {@code interval}. */
  public java.util.List<Time> to(Time that, Duration interval) {
    java.util.List<Time> out = new java.util.ArrayList<>();
    for (long t = millis; t <= that.millis; t += interval.milliseconds()) {
      out.add(new Time(t));
    }
    return out;
  }

  @Override
  public int compareTo(Time o) {
    return Long.compare(millis, o.millis);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Time && ((Time) o).millis == millis;
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
