package dev.millrace.internal.rdd;

import java.util.function.Supplier;

/**
 * Names what is building datasets on this thread (e.g. {@code stream 3 (flatMap) at batch
 * 1000 ms}), so that a dataset created meanwhile can say where it came from when it fails.
 */
public final class CreationScope {
  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private CreationScope() {}

  /** The scope of the calling thread, or null. */
  public static String current() {
    return CURRENT.get();
  }

  /** Runs {@code body} with {@code scope} as the calling thread's scope, restoring the previous one. */
  public static <T> T with(String scope, Supplier<T> body) {
    String previous = CURRENT.get();
    CURRENT.set(scope);
    try {
      return body.get();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }
}
