package dev.millrace;

import dev.millrace.internal.config.ConfigKey;
import dev.millrace.internal.config.ConfigKeys;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The configuration of a Millrace application: master, application name and key/value settings.
 *
 * <p>The port of Spark's {@code SparkConf}. Keys may be given as {@code millrace.*} or as their
 * Spark names {@code spark.*}; both refer to the same setting, so {@code
 * set("spark.streaming.blockInterval", "100ms")} and {@code get("millrace.streaming.blockInterval")}
 * agree. Setters return {@code this} for chaining.
 *
 * <pre>{@code
 * MillraceConf conf = new MillraceConf().setMaster("local[2]").setAppName("NetworkWordCount");
 * }</pre>
 *
 * <p>Not thread-safe while being built; a context copies it when created.
 */
public final class MillraceConf implements Serializable, Cloneable {
  private static final long serialVersionUID = 1L;

  private final TreeMap<String, String> settings = new TreeMap<>();

  /** An empty configuration that also loads {@code millrace.*} and {@code spark.*} system properties. */
  public MillraceConf() {
    this(true);
  }

  /** An empty configuration; with {@code loadDefaults}, system properties named {@code millrace.*} / {@code spark.*} are loaded. */
  public MillraceConf(boolean loadDefaults) {
    if (loadDefaults) {
      for (String name : System.getProperties().stringPropertyNames()) {
        if (name.startsWith("millrace.") || name.startsWith("spark.")) {
          set(name, System.getProperty(name));
        }
      }
    }
  }

  /** The canonical form of a key: {@code spark.x} becomes {@code millrace.x}. */
  static String canonical(String key) {
    Objects.requireNonNull(key, "key");
    return key.startsWith("spark.") ? "millrace." + key.substring("spark.".length()) : key;
  }

  /**
   * Sets {@code key} to {@code value}.
   *
   * @throws NullPointerException if key or value is null
   */
  public MillraceConf set(String key, String value) {
    Objects.requireNonNull(value, () -> "null value for " + key);
    settings.put(canonical(key), value);
    return this;
  }

  /** Sets {@code key} only if it has no value yet. */
  public MillraceConf setIfMissing(String key, String value) {
    if (!contains(key)) {
      set(key, value);
    }
    return this;
  }

  /** Sets every pair. */
  public MillraceConf setAll(Map<String, String> values) {
    values.forEach(this::set);
    return this;
  }

  /** Where to run: {@code local}, {@code local[N]} or {@code local[*]}. */
  public MillraceConf setMaster(String master) {
    return set(ConfigKeys.MASTER.name(), master);
  }

  /** The application's name. */
  public MillraceConf setAppName(String name) {
    return set(ConfigKeys.APP_NAME.name(), name);
  }

  /** Removes {@code key}. */
  public MillraceConf remove(String key) {
    settings.remove(canonical(key));
    return this;
  }

  /** Whether {@code key} has a value. */
  public boolean contains(String key) {
    return settings.containsKey(canonical(key));
  }

  /**
   * The value of {@code key}.
   *
   * @throws java.util.NoSuchElementException if it has none
   */
  public String get(String key) {
    String v = settings.get(canonical(key));
    if (v == null) {
      throw new java.util.NoSuchElementException(key);
    }
    return v;
  }

  /** The value of {@code key}, or {@code defaultValue}. */
  public String get(String key, String defaultValue) {
    return settings.getOrDefault(canonical(key), defaultValue);
  }

  /** The value of {@code key} as an int, or {@code defaultValue}. */
  public int getInt(String key, int defaultValue) {
    String v = settings.get(canonical(key));
    return v == null ? defaultValue : ConfigKey.integer(canonical(key), defaultValue, "-").parse(v);
  }

  /** The value of {@code key} as a long, or {@code defaultValue}. */
  public long getLong(String key, long defaultValue) {
    String v = settings.get(canonical(key));
    return v == null ? defaultValue : ConfigKey.longValue(canonical(key), defaultValue, "-").parse(v);
  }

  /** The value of {@code key} as a boolean, or {@code defaultValue}. */
  public boolean getBoolean(String key, boolean defaultValue) {
    String v = settings.get(canonical(key));
    return v == null ? defaultValue : ConfigKey.bool(canonical(key), defaultValue, "-").parse(v);
  }

  /** The value of {@code key} as a double, or {@code defaultValue}. */
  public double getDouble(String key, double defaultValue) {
    String v = settings.get(canonical(key));
    return v == null ? defaultValue : ConfigKey.decimal(canonical(key), defaultValue, "-").parse(v);
  }

  /** The typed value of a known key, or its default (which may be null). */
  public <T> T get(ConfigKey<T> key) {
    String v = settings.get(key.name());
    return v == null ? key.defaultValue() : key.parse(v);
  }

  /** Every setting, by canonical name. */
  public List<Map.Entry<String, String>> getAll() {
    return new ArrayList<>(settings.entrySet());
  }

  /**
   * The application id ({@code spark.app.id}): set by the context when it starts, as in Spark
   * ({@code local-<start time in ms>} for a local application), unless configured; null before.
   */
  public String getAppId() {
    return get("millrace.app.id");
  }

  @Override
  public MillraceConf clone() {
    MillraceConf copy = new MillraceConf(false);
    copy.settings.putAll(settings);
    return copy;
  }

  /** Settings one per line, {@code key=value}, sorted by key. */
  public String toDebugString() {
    StringBuilder sb = new StringBuilder();
    settings.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return sb.toString();
  }
}
