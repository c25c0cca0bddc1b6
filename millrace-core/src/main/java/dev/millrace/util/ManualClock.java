package dev.millrace.util;

/**
 * A clock that only moves when told to: {@link #advance(long)} or {@link #setTime(long)}. Threads
 * waiting for a time wake when the clock reaches it.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock(0);
 * clock.advance(1000);   // the batch at 1000 ms is generated
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ManualClock implements Clock {
  private long time;
  private final java.util.Map<Thread, Long> waiters = new java.util.HashMap<>();

  /** A clock at time 0. */
  public ManualClock() {
    this(0);
  }

  public ManualClock(long startTime) {
    this.time = startTime;
  }

  @Override
  public synchronized long getTimeMillis() {
    return time;
  }

  /** Moves the clock to {@code timeToSet} and wakes waiters. */
  public synchronized void setTime(long timeToSet) {
    time = timeToSet;
    notifyAll();
  }

  /**
   * Moves the clock forward by {@code timeToAdd} milliseconds and wakes waiters.
   *
   * @throws IllegalArgumentException if {@code timeToAdd} is negative
   */
  public synchronized void advance(long timeToAdd) {
    if (timeToAdd < 0) {
      throw new IllegalArgumentException("cannot move a clock backwards: " + timeToAdd);
    }
    time += timeToAdd;
    notifyAll();
  }

  @Override
  public synchronized long waitTillTime(long targetTime) throws InterruptedException {
    Thread me = Thread.currentThread();
    Long outer = waiters.put(me, targetTime);
    try {
      while (time < targetTime) {
        wait(100);
      }
      return time;
    } finally {
      if (outer == null) {
        waiters.remove(me);
      } else {
        waiters.put(me, outer);
      }
    }
  }

  /**
   * Whether {@code thread} is waiting in {@link #waitTillTime} for a time the clock has not reached:
   * the thread can make no progress until the clock moves. Tests use it to move the clock only once
   * a thread driven by it (a receiver, say) has done everything due at the current time, as Spark's
   * tests use its {@code ManualClock.isWaiting}.
   */
  public synchronized boolean isWaiting(Thread thread) {
    Long target = waiters.get(thread);
    return target != null && target > time;
  }
}
