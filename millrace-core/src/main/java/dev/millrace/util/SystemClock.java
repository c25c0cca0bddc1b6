package dev.millrace.util;

/** The wall clock: {@link System#currentTimeMillis()}. */
public final class SystemClock implements Clock {
  /** Longest single sleep while waiting, so a changed wall clock is noticed. */
  private static final long MAX_SLEEP_MS = 25;

  @Override
  public long getTimeMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public long waitTillTime(long targetTime) throws InterruptedException {
    long now = System.currentTimeMillis();
    while (now < targetTime) {
      Thread.sleep(Math.min(targetTime - now, MAX_SLEEP_MS));
      now = System.currentTimeMillis();
    }
    return now;
  }
}
