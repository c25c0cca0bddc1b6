package dev.millrace.internal.config;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One typed configuration key: its canonical name ({@code millrace.*}), its Spark alias
 * ({@code spark.*}), its default, a one-line description, and how its text value is parsed.
 *
 * <p>The CLI help, the docs and the UI read the same list ({@link ConfigKeys#all()}).
 *
 * @param <T> type of the parsed value
 */
public final class ConfigKey<T> {
  private final String name;
  private final String defaultText;
  private final String description;
  private final Function<String, T> parser;

  private ConfigKey(String name, String defaultText, String description, Function<String, T> parser) {
    if (!name.startsWith("millrace.")) {
      throw new IllegalArgumentException("config key must start with 'millrace.': " + name);
    }
    this.name = name;
    this.defaultText = defaultText;
    this.description = Objects.requireNonNull(description, "description");
    this.parser = parser;
  }

  /** A key whose value is text. */
  public static ConfigKey<String> string(String name, String defaultValue, String description) {
    return new ConfigKey<>(name, defaultValue, description, s -> s);
  }

  /** A key whose value is an integer. */
  public static ConfigKey<Integer> integer(String name, int defaultValue, String description) {
    return new ConfigKey<>(name, Integer.toString(defaultValue), description, s -> parseInt(name, s));
  }

  /** A key whose value is a long. */
  public static ConfigKey<Long> longValue(String name, long defaultValue, String description) {
    return new ConfigKey<>(name, Long.toString(defaultValue), description, s -> parseLong(name, s));
  }

  /** A key whose value is a decimal number. */
  public static ConfigKey<Double> decimal(String name, double defaultValue, String description) {
    return new ConfigKey<>(name, Double.toString(defaultValue), description, s -> {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " should be a number, but was " + s, e);
      }
    });
  }

  /** A key whose value is {@code true} or {@code false}. */
  public static ConfigKey<Boolean> bool(String name, boolean defaultValue, String description) {
    return new ConfigKey<>(name, Boolean.toString(defaultValue), description, s -> {
      String t = s.trim().toLowerCase(Locale.ROOT);
      if (!t.equals("true") && !t.equals("false")) {
        throw new IllegalArgumentException(name + " should be boolean, but was " + s);
      }
      return Boolean.parseBoolean(t);
    });
  }

  /**
   * A key whose value is a time in milliseconds; text may carry a unit ({@code 200ms}, {@code 2s},
   * {@code 1min}, {@code 1h}); a bare number is taken in {@code bareUnit} milliseconds per unit.
   * A null default means the key has no default and its user decides.
   */
  public static ConfigKey<Long> timeMs(String name, String defaultValue, String description) {
    return new ConfigKey<>(name, defaultValue, description, s -> parseTimeMs(name, s));
  }

  /** The canonical name, {@code millrace.*}. */
  public String name() {
    return name;
  }

  /** The Spark alias of this key, {@code spark.*}. */
  public String sparkAlias() {
    return "spark." + name.substring("millrace.".length());
  }

  /** The default as text, or null if the key has no fixed default. */
  public String defaultText() {
    return defaultText;
  }

  /** One line saying what the key does. */
  public String description() {
    return description;
  }

  /** Parses {@code text}, failing with the key's name in the message. */
  public T parse(String text) {
    return parser.apply(text);
  }

  /** The default, parsed; null if there is none. */
  public T defaultValue() {
    return defaultText == null ? null : parser.apply(defaultText);
  }

  static int parseInt(String name, String s) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " should be int, but was " + s, e);
    }
  }

  static long parseLong(String name, String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " should be long, but was " + s, e);
    }
  }

  /** Parses a time such as {@code 250ms}, {@code 2s}, {@code 3min}, {@code 1h}; bare numbers are milliseconds. */
  public static long parseTimeMs(String name, String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '-')) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException(name + " should be a time such as 200ms or 2s, but was " + text);
    }
    long n = parseLong(name, s.substring(0, i));
    String unit = s.substring(i).trim();
    switch (unit) {
      case "":
      case "ms":
        return n;
      case "s":
        return n * 1000;
      case "m":
      case "min":
        return n * 60_000;
      case "h":
        return n * 3_600_000;
      case "d":
        return n * 86_400_000;
      default:
        throw new IllegalArgumentException(
            name + " has an unknown time unit '" + unit + "' in " + text + " (use ms, s, min, h or d)");
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
