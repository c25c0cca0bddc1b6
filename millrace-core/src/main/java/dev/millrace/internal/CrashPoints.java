package dev.millrace.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Named places in the engine where a fault-injection test can make the process die as if killed
 * with SIGKILL: no shutdown hooks, no flushing. Off unless the system property {@code
 * millrace.test.crashAt} is {@code <point>:<n>}, which halts the JVM with status 137 the n-th time
 * {@code point} is reached.
 *
 * <p>Points: {@code checkpoint.beforeRename} (a metadata checkpoint's temporary file is written,
 * not yet renamed), {@code output.beforeRename} (a batch's output is written under its temporary
 * name), {@code wal.midRecord} (half of a write-ahead-log record is written).
 *
 * <p>Thread-safe; costs one static final read when off.
 */
public final class CrashPoints {
  private static final String SPEC = System.getProperty("millrace.test.crashAt");
  private static final boolean ENABLED = SPEC != null && SPEC.indexOf(':') > 0;
  private static final String POINT = ENABLED ? SPEC.substring(0, SPEC.indexOf(':')) : null;
  private static final long NTH = ENABLED ? Long.parseLong(SPEC.substring(SPEC.indexOf(':') + 1)) : -1;
  private static final AtomicLong HITS = new AtomicLong();

  private CrashPoints() {}

  /** Halts the JVM if this is the configured point and hit. */
  public static void reach(String point) {
    if (ENABLED && POINT.equals(point) && HITS.incrementAndGet() == NTH) {
      Runtime.getRuntime().halt(137);
    }
  }
}
