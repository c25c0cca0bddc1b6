package dev.millrace.cli;

import dev.millrace.streaming.scheduler.BatchInfo;
import dev.millrace.streaming.scheduler.StreamingListener;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The one-line progress display of {@code millrace wordcount} on a terminal: batches done, the
 * last batch's input rate, its scheduling delay and processing time, on standard error.
 *
 * <p>Design: standard output and standard error usually go to the same terminal, so the line is
 * shown only <em>between</em> batches. When a batch completes the line is (re)drawn in place
 * ({@code \r}, the text, and spaces over what a longer previous text left), the cursor left at
 * the end of the text. Before a batch's output is printed, {@link #clear()} rubs
 * the line out ({@code \r}, spaces, {@code \r}), so the batch starts at column 0 of an empty
 * line and no progress text is ever mixed into it. Clearing, drawing and printing a batch all
 * hold one lock. Only {@code \r} and spaces are used (no ANSI escapes), and the line stays under
 * 80 columns so that {@code \r} returns to its start on any terminal. It is off when standard
 * input or output is not a terminal ({@code System.console() == null}) and with {@code
 * --no-progress}.
 *
 * <p>Thread-safe: batches complete on the listener thread, output is printed by job threads.
 */
final class ProgressLine implements StreamingListener {
  private final PrintStream err;
  private final long batchMs;
  private final String unit;
  private final Object lock;
  private int shownLength;
  private long batches;

  /**
   * @param lock the lock that printing a batch holds too
   * @param unit what a record is, in the rate ("lines")
   */
  ProgressLine(PrintStream err, long batchMs, String unit, Object lock) {
    this.err = err;
    this.batchMs = batchMs;
    this.unit = unit;
    this.lock = lock;
  }

  /** The progress text for a completed batch: under 80 columns for any realistic values. */
  static String format(long batches, double inputRate, long schedulingDelayMs, long processingMs, String unit) {
    return String.format(Locale.ROOT, "[%d batches | %.0f %s/s | scheduling delay %s | processing %s]",
        batches, inputRate, unit, duration(schedulingDelayMs), duration(processingMs));
  }

  /** 850 ms, 12.3 s, 61 s. */
  static String duration(long ms) {
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    return (ms / 1000) + " s";
  }

  @Override
  public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
    BatchInfo info = completed.batchInfo();
    synchronized (lock) {
      batches++;
      double rate = info.numRecords() * 1000.0 / batchMs;
      draw(format(batches, rate, info.schedulingDelay().orElse(0L), info.processingDelay().orElse(0L), unit));
    }
  }

  private void draw(String text) {
    StringBuilder sb = new StringBuilder(text.length() * 2 + 2).append('\r').append(text);
    int extra = shownLength - text.length();
    if (extra > 0) {
      // blank what the longer previous text left, then write the text again so the cursor ends after it
      sb.append(" ".repeat(extra)).append('\r').append(text);
    }
    err.print(sb);
    err.flush();
    shownLength = text.length();
  }

  /** Rubs the line out, if shown; call holding the lock, before printing a batch. */
  void clear() {
    synchronized (lock) {
      if (shownLength > 0) {
        err.print("\r" + " ".repeat(shownLength) + "\r");
        err.flush();
        shownLength = 0;
      }
    }
  }

  /** Ends the display: the last line is kept and the cursor moves to the next line. */
  void finish() {
    synchronized (lock) {
      if (shownLength > 0) {
        err.println();
        err.flush();
        shownLength = 0;
      }
    }
  }
}
