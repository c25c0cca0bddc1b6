package dev.millrace.api.java;

import java.io.Serializable;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A value that may be absent, as used by Spark's Java API for outer joins and per-key state.
 *
 * <p>The same methods as Spark's {@code org.apache.spark.api.java.Optional}: {@link #of}, {@link
 * #ofNullable}, {@link #empty}, {@link #get}, {@link #orElse}, {@link #isPresent}, and the Guava-style
 * aliases {@link #absent}, {@link #fromNullable}, {@link #or}, {@link #orNull}. Immutable.
 *
 * <pre>{@code
 * Optional<Integer> state = Optional.of(1);
 * int next = state.orElse(0) + 1;
 * }</pre>
 *
 * @param <T> type of the value
 */
public final class Optional<T> implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Optional<?> EMPTY = new Optional<>(null);

  private final T value;

  private Optional(T value) {
    this.value = value;
  }

  /** The empty optional. */
  @SuppressWarnings("unchecked")
  public static <T> Optional<T> empty() {
    return (Optional<T>) EMPTY;
  }

  /** Alias of {@link #empty()}. */
  public static <T> Optional<T> absent() {
    return empty();
  }

  /**
   * An optional holding {@code value}.
   *
   * @throws NullPointerException if {@code value} is null
   */
  public static <T> Optional<T> of(T value) {
    return new Optional<>(Objects.requireNonNull(value, "value"));
  }

  /** An optional holding {@code value}, or the empty optional if it is null. */
  public static <T> Optional<T> ofNullable(T value) {
    return value == null ? empty() : new Optional<>(value);
  }

  /** Alias of {@link #ofNullable(Object)}. */
  public static <T> Optional<T> fromNullable(T value) {
    return ofNullable(value);
  }

  /**
   * The value.
   *
   * @throws NoSuchElementException if there is none
   */
  public T get() {
    if (value == null) {
      throw new NoSuchElementException("value is not present");
    }
    return value;
  }

  /** The value, or {@code other} if there is none. */
  public T orElse(T other) {
    return value == null ? other : value;
  }

  /** Alias of {@link #orElse(Object)}. */
  public T or(T other) {
    return orElse(other);
  }

  /** The value, or null if there is none. */
  public T orNull() {
    return value;
  }

  /** Whether a value is present. */
  public boolean isPresent() {
    return value != null;
  }

  /** Whether no value is present. */
  public boolean isEmpty() {
    return value == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Optional && Objects.equals(value, ((Optional<?>) o).value);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(value);
  }

  /** {@code Optional[value]} or {@code Optional.empty}, as Spark renders it. */
  @Override
  public String toString() {
    return value == null ? "Optional.empty" : "Optional[" + value + "]";
  }
}
