package dev.millrace;

import java.io.Serializable;
import java.util.Objects;

/**
 * An immutable pair, the element type of every key/value dataset and stream.
 *
 * <p>Mirrors {@code scala.Tuple2} as seen from Spark's Java API: the accessors are {@code _1()} and
 * {@code _2()}, and {@link #toString()} renders {@code (a,b)} exactly as Spark prints a pair, so
 * printed and saved output of a ported program is byte-for-byte the same.
 *
 * <pre>{@code
 * Tuple2<String, Integer> pair = new Tuple2<>("word", 1);
 * pair._1();   // "word"
 * }</pre>
 *
 * <p>Instances are immutable and safe to share between threads if their elements are.
 *
 * @param <A> type of the first element
 * @param <B> type of the second element
 */
public final class Tuple2<A, B> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final A first;
  private final B second;

  /** Creates the pair {@code (first, second)}; either element may be {@code null}. */
  public Tuple2(A first, B second) {
    this.first = first;
    this.second = second;
  }

  /** Creates the pair {@code (first, second)}. */
  public static <A, B> Tuple2<A, B> apply(A first, B second) {
    return new Tuple2<>(first, second);
  }

  /** The first element. */
  public A _1() {
    return first;
  }

  /** The second element. */
  public B _2() {
    return second;
  }

  /** The pair with its elements exchanged. */
  public Tuple2<B, A> swap() {
    return new Tuple2<>(second, first);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Tuple2)) {
      return false;
    }
    Tuple2<?, ?> other = (Tuple2<?, ?>) o;
    return Objects.equals(first, other.first) && Objects.equals(second, other.second);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hashCode(first) + Objects.hashCode(second);
  }

  /** Renders {@code (first,second)}, with no space, as Scala does. */
  @Override
  public String toString() {
    return "(" + first + "," + second + ")";
  }
}
