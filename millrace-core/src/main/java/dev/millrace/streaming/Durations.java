package dev.millrace.streaming;

/** Factory methods for {@link Duration}, as Spark's {@code Durations}. */
public final class Durations {
  private Durations() {}

  public static Duration milliseconds(long milliseconds) {
    return new Duration(milliseconds);
  }

  public static Duration seconds(long seconds) {
    return new Duration(seconds * 1000);
  }

  public static Duration minutes(long minutes) {
    return new Duration(minutes * 60_000);
  }
}
