package dev.millrace.streaming.internal.dstream;

import dev.millrace.streaming.Time;
import java.io.PrintStream;
import java.util.List;

/**
 * Spark's {@code print()} format for one batch: a line of 43 dashes, {@code Time: <ms> ms}, another
 * dashed line, up to {@code num} records one per line, {@code ...} when there were more, and a
 * blank line.
 */
public final class BatchPrinter {
  private static final String DASHES = "-------------------------------------------\n";

  private BatchPrinter() {}

  /**
   * Prints the batch in one write, so concurrent output operations do not interleave lines.
   *
   * @param first the batch's first {@code num + 1} records (or fewer, if it has fewer)
   */
  public static void print(PrintStream out, Time time, List<?> first, int num) {
    StringBuilder sb = new StringBuilder();
    sb.append(DASHES).append("Time: ").append(time).append('\n').append(DASHES);
    for (int i = 0; i < Math.min(num, first.size()); i++) {
      sb.append(first.get(i)).append('\n');
    }
    if (first.size() > num) {
      sb.append("...\n");
    }
    sb.append('\n');
    out.print(sb);
    out.flush();
  }
}
