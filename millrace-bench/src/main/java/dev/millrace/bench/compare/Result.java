package dev.millrace.bench.compare;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One figure measured by a child JVM of the comparison, e.g. Millrace's words per second on the
 * word count. A child prints each figure as one line on its standard output:
 *
 * <pre>
 * &#64;result workload=wordcount engine=millrace metric=words_per_s value=2.1E7
 * </pre>
 *
 * and the runner reads them back with {@link #parse(String)}; all other output lines are ignored.
 * Immutable.
 *
 * @param workload workload id, e.g. {@code wordcount}, {@code overhead}
 * @param engine {@code millrace}, {@code spark} or {@code plain}
 * @param metric what was measured, with its unit, e.g. {@code words_per_s}, {@code p50_ms_20}
 * @param value the figure
 */
public record Result(String workload, String engine, String metric, double value) {
  static final String PREFIX = "@result ";
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final Pattern LINE = Pattern.compile(
      "@result workload=([A-Za-z0-9_.-]+) engine=([A-Za-z0-9_.-]+) metric=([A-Za-z0-9_.-]+) value=(\\S+)\\s*");

  /** @throws IllegalArgumentException if a name has characters other than letters, digits, _ . - */
  public Result {
    check("workload", workload);
    check("engine", engine);
    check("metric", metric);
  }

  private static void check(String what, String token) {
    Objects.requireNonNull(token, what);
    if (!TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException(what + " must match " + TOKEN + ", was '" + token + "'");
    }
  }

  /** The line a child prints for this figure. */
  public String format() {
    return PREFIX + "workload=" + workload + " engine=" + engine + " metric=" + metric + " value="
        + String.format(Locale.ROOT, "%s", value);
  }

  /**
   * The figure on a child's output line, or empty if the line is not a result line.
   *
   * @throws IllegalArgumentException if the line starts like a result line but is malformed
   */
  public static Optional<Result> parse(String line) {
    if (!line.startsWith(PREFIX)) {
      return Optional.empty();
    }
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      throw new IllegalArgumentException("malformed result line: " + line);
    }
    double value;
    try {
      value = Double.parseDouble(m.group(4));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed value in result line: " + line, e);
    }
    return Optional.of(new Result(m.group(1), m.group(2), m.group(3), value));
  }
}
