package dev.millrace.streaming.internal.dstream;

import dev.millrace.streaming.State;
import java.util.NoSuchElementException;

/**
 * The {@link State} handed to a {@code mapWithState} function: one instance per task, re-aimed at
 * each key before each call, with Spark's rules for what may be called when.
 */
final class StateImpl<S> extends State<S> {
  private S state;
  private boolean defined;
  private boolean timingOut;
  private boolean updated;
  private boolean removed;

  @Override
  public boolean exists() {
    return defined;
  }

  @Override
  public S get() {
    if (!defined) {
      throw new NoSuchElementException("State is not set");
    }
    return state;
  }

  @Override
  public void update(S newState) {
    if (removed) {
      throw new IllegalArgumentException("requirement failed: Cannot update the state after it has been removed");
    }
    if (timingOut) {
      throw new IllegalArgumentException("requirement failed: Cannot update the state that is timing out");
    }
    state = newState;
    defined = true;
    updated = true;
  }

  @Override
  public void remove() {
    if (timingOut) {
      throw new IllegalArgumentException("requirement failed: Cannot remove the state that is timing out");
    }
    if (removed) {
      throw new IllegalArgumentException(
          "requirement failed: Cannot remove the state that has already been removed");
    }
    defined = false;
    updated = false;
    removed = true;
    state = null;
  }

  @Override
  public boolean isTimingOut() {
    return timingOut;
  }

  boolean isRemoved() {
    return removed;
  }

  boolean isUpdated() {
    return updated;
  }

  /** Aims at a key's current state ({@code present} false when the key has none). */
  void wrap(boolean present, S current) {
    state = present ? current : null;
    defined = present;
    timingOut = false;
    removed = false;
    updated = false;
  }

  /** Aims at a key whose state is timing out. */
  void wrapTimingOut(S current) {
    state = current;
    defined = true;
    timingOut = true;
    removed = false;
    updated = false;
  }
}
