package dev.millrace.streaming.sources;

import java.util.function.BooleanSupplier;

/** Waits for something another thread (a receiver, a server) does; never for time to pass. */
final class Await {
  private Await() {}

  static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }

  /** Checks that {@code condition} stays true while the threads involved get {@code ms} to act. */
  static void holds(String what, long ms, BooleanSupplier condition) {
    long deadline = System.nanoTime() + ms * 1_000_000L;
    while (System.nanoTime() < deadline) {
      if (!condition.getAsBoolean()) {
        throw new AssertionError("no longer true: " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
