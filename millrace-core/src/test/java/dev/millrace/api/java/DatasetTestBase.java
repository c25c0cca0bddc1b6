package dev.millrace.api.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.MillraceException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Shared set-up and checks of the dataset tests: one {@code local[2]} context per test class, and
 * the behaviour every operation must have (a user function that throws fails the action with a
 * {@link MillraceException} naming the operation; an empty dataset gives an empty result).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatasetTestBase {
  protected JavaMillraceContext sc;

  @BeforeAll
  void createContext() {
    sc = new JavaMillraceContext("local[2]", getClass().getSimpleName());
  }

  @AfterAll
  void stopContext() {
    sc.stop();
  }

  /** A failure a user function raises on purpose. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Boom() {
      super("boom");
    }
  }

  /** A user function body that always throws {@link Boom}. */
  static <T> T boom() {
    throw new Boom();
  }

  /**
   * Asserts that running {@code action} fails with a {@link MillraceException} whose message names
   * {@code operation} and whose cause chain holds the user's {@link Boom}.
   */
  static void assertUserFailure(String operation, Runnable action) {
    MillraceException e = assertThrows(MillraceException.class, action::run);
    assertThat(e.getMessage()).contains("'" + operation + "'");
    assertThat(rootCause(e)).isInstanceOf(Boom.class);
  }

  static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /** Asserts that the action throws Spark's {@code UnsupportedOperationException("empty collection")}. */
  static void assertEmptyCollection(Supplier<?> action) {
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, action::get);
    assertThat(e.getMessage()).isEqualTo("empty collection");
  }

  /** The iterables of grouped values as lists, for comparison. */
  static <K, V> Map<K, List<V>> asLists(Collection<dev.millrace.Tuple2<K, Iterable<V>>> groups) {
    Map<K, List<V>> out = new java.util.HashMap<>();
    for (dev.millrace.Tuple2<K, Iterable<V>> g : groups) {
      List<V> l = new ArrayList<>();
      g._2().forEach(l::add);
      if (out.put(g._1(), l) != null) {
        throw new AssertionError("key " + g._1() + " grouped twice");
      }
    }
    return out;
  }
}
