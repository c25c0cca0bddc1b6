package dev.millrace.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The comparison's table: one row per workload figure, with Spark's figure, Millrace's figure and
 * the ratio, rendered as a Markdown table whose columns line up in a terminal too.
 *
 * <p>The ratio always reads "how many times better Millrace is": Millrace / Spark for rates,
 * Spark / Millrace for times and memory. Above 1 Millrace is better. A missing figure shows as
 * {@code n/a}. Not thread-safe.
 */
public final class ResultTable {
  /** Which way a metric is better. */
  public enum Better {
    HIGHER, LOWER
  }

  /** One row of the table; all cells are already formatted. */
  public record Row(String workload, String spark, String millrace, String ratio) {}

  private final List<Row> rows = new ArrayList<>();

  public ResultTable add(Row row) {
    rows.add(row);
    return this;
  }

  /** Adds a row of two numbers of the same unit, with their ratio. */
  public ResultTable add(String workload, OptionalDouble spark, OptionalDouble millrace, Better better,
      java.util.function.DoubleFunction<String> format) {
    return add(new Row(workload, cell(spark, format), cell(millrace, format), ratio(spark, millrace, better)));
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  private static String cell(OptionalDouble v, java.util.function.DoubleFunction<String> format) {
    return v.isPresent() ? format.apply(v.getAsDouble()) : "n/a";
  }

  /** "4.2x": how many times better Millrace is, or n/a when a figure is missing or zero. */
  public static String ratio(OptionalDouble spark, OptionalDouble millrace, Better better) {
    if (spark.isEmpty() || millrace.isEmpty()) {
      return "n/a";
    }
    double s = spark.getAsDouble();
    double m = millrace.getAsDouble();
    double r = better == Better.HIGHER ? m / s : s / m;
    if (Double.isNaN(r) || Double.isInfinite(r) || r <= 0) {
      return "n/a";
    }
    return times(r);
  }

  /** A factor with two significant figures at least: 0.85x, 4.2x, 63x. */
  public static String times(double r) {
    if (r >= 10) {
      return String.format(Locale.ROOT, "%.0fx", r);
    }
    if (r >= 1) {
      return String.format(Locale.ROOT, "%.1fx", r);
    }
    return String.format(Locale.ROOT, "%.2fx", r);
  }

  /** A rate such as words per second: 21.3 M, 950 k, 12. */
  public static String rate(double v) {
    if (v >= 1e6) {
      return String.format(Locale.ROOT, "%.1f M", v / 1e6);
    }
    if (v >= 1e3) {
      return String.format(Locale.ROOT, "%.0f k", v / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", v);
  }

  /** A duration in milliseconds: 0.42 ms, 3.1 ms, 37 ms, 4200 ms. */
  public static String millis(double ms) {
    if (ms < 1) {
      return String.format(Locale.ROOT, "%.2f ms", ms);
    }
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.1f ms", ms);
    }
    return String.format(Locale.ROOT, "%.0f ms", ms);
  }

  /** A size in mebibytes, from kibibytes. */
  public static String mebibytesFromKib(double kib) {
    return String.format(Locale.ROOT, "%.0f MiB", kib / 1024);
  }

  /** The table in Markdown, columns padded to line up. */
  public String render() {
    String[] head = {"workload", "Spark Streaming", "Millrace", "ratio"};
    int[] width = new int[4];
    for (int c = 0; c < 4; c++) {
      width[c] = head[c].length();
    }
    for (Row r : rows) {
      String[] cells = cells(r);
      for (int c = 0; c < 4; c++) {
        width[c] = Math.max(width[c], cells[c].length());
      }
    }
    StringBuilder b = new StringBuilder();
    line(b, head, width);
    b.append('|');
    for (int c = 0; c < 4; c++) {
      b.append(c == 0 ? ":" : "-").append("-".repeat(width[c])).append(c == 0 ? "-" : ":").append('|');
    }
    b.append('\n');
    for (Row r : rows) {
      line(b, cells(r), width);
    }
    return b.toString();
  }

  private static String[] cells(Row r) {
    return new String[] {r.workload(), r.spark(), r.millrace(), r.ratio()};
  }

  private static void line(StringBuilder b, String[] cells, int[] width) {
    b.append('|');
    for (int c = 0; c < cells.length; c++) {
      String cell = cells[c];
      String pad = " ".repeat(width[c] - cell.length());
      b.append(' ').append(c == 0 ? cell + pad : pad + cell).append(" |");
    }
    b.append('\n');
  }
}
