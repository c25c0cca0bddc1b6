package dev.millrace.streaming.internal.checkpoint;

/**
 * One key's state as written to a state checkpoint.
 *
 * @param key the key (may be null, as Spark allows)
 * @param state the state (for windows: the key's reduced value over the window)
 * @param updateTime batch time in ms the state was last updated at ({@code mapWithState}, for
 *     timeouts), or {@link #NO_TIME}
 */
public record StateEntry(Object key, Object state, long updateTime) {
  /** {@code updateTime} of operators that do not track it. */
  public static final long NO_TIME = -1;
}
