package dev.millrace.streaming;

import java.util.NoSuchElementException;

/**
 * The state of one key in {@code mapWithState}: read it, update it or remove it from inside the
 * mapping function.
 *
 * <p>The port of Spark's {@code State}. The engine passes one instance per call; it is only valid
 * during that call and must not be kept. When the key's state is timing out ({@link
 * #isTimingOut()}), the function is called once more without a value and may read the state but
 * neither update nor remove it: the state is removed after the call.
 *
 * <pre>{@code
 * Function3<String, Optional<Integer>, State<Integer>, Tuple2<String, Integer>> count =
 *     (word, one, state) -> {
 *       int sum = one.orElse(0) + state.getOption().orElse(0);
 *       if (!state.isTimingOut()) {
 *         state.update(sum);
 *       }
 *       return new Tuple2<>(word, sum);
 *     };
 * }</pre>
 *
 * <p>Not thread-safe; used by one task thread at a time.
 *
 * @param <S> type of the state
 */
public abstract class State<S> {

  /** For the engine's implementation only. */
  protected State() {}

  /** Whether the key has a state. */
  public abstract boolean exists();

  /**
   * The state.
   *
   * @throws NoSuchElementException with Spark's message {@code State is not set} if there is none
   */
  public abstract S get();

  /**
   * Sets the key's state, kept for the next batches.
   *
   * @throws IllegalArgumentException after {@link #remove()}, or while the state is timing out
   */
  public abstract void update(S newState);

  /**
   * Removes the key's state.
   *
   * @throws IllegalArgumentException if already removed, or while the state is timing out
   */
  public abstract void remove();

  /** Whether this call is the last one for a key whose state timed out; it is removed afterwards. */
  public abstract boolean isTimingOut();

  /**
   * The state if there is one. Spark returns a Scala {@code Option}; Java code gets a {@link
   * java.util.Optional} (empty also when the state exists but is null).
   */
  public final java.util.Optional<S> getOption() {
    return exists() ? java.util.Optional.ofNullable(get()) : java.util.Optional.empty();
  }

  @Override
  public String toString() {
    return exists() ? String.valueOf(get()) : "<state not set>";
  }
}
