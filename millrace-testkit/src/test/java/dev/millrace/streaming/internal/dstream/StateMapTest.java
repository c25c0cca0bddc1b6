package dev.millrace.streaming.internal.dstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The versioned state map of {@code mapWithState}, and the rules of {@link StateImpl}. */
class StateMapTest {

  record Op(int key, int value, boolean remove) {}

  /** A key whose hash collides with three others, to exercise the trie's collision buckets. */
  record Colliding(int id) {
    @Override
    public int hashCode() {
      return id / 4;
    }
  }

  @Provide
  Arbitrary<List<List<Op>>> versions() {
    Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 15),
        Arbitraries.integers().between(0, 100), Arbitraries.integers().between(0, 3)).as((k, v, r) -> new Op(k, v, r == 0));
    return op.list().ofMaxSize(10).list().ofMinSize(1).ofMaxSize(60);
  }

  @Provide
  Arbitrary<List<List<Op>>> manyKeys() {
    Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 5000),
        Arbitraries.integers().between(0, 100), Arbitraries.integers().between(0, 4)).as((k, v, r) -> new Op(k, v, r == 0));
    return op.list().ofMaxSize(400).list().ofMinSize(1).ofMaxSize(12);
  }

  /** With thousands of keys, so the trie grows several levels deep and shrinks again. */
  @Property(tries = 40)
  void everyVersion_equalsAPlainMapFold_withManyKeys(@ForAll("manyKeys") List<List<Op>> versions) {
    check(versions, k -> k);
  }

  /** Every version reads as a plain map folded to that point, also the older versions. */
  @Property(tries = 150)
  void everyVersion_equalsAPlainMapFold(@ForAll("versions") List<List<Op>> versions) {
    check(versions, k -> k);
  }

  /** The same with keys whose hashes collide. */
  @Property(tries = 100)
  void everyVersion_equalsAPlainMapFold_withCollidingHashes(@ForAll("versions") List<List<Op>> versions) {
    check(versions, Colliding::new);
  }

  private static <K> void check(List<List<Op>> versions, java.util.function.IntFunction<K> keyOf) {
    List<StateMap<K, Integer>> maps = new ArrayList<>();
    List<Map<K, Integer>> expected = new ArrayList<>();
    StateMap<K, Integer> current = new StateMap<>();
    Map<K, Integer> plain = new HashMap<>();
    for (List<Op> ops : versions) {
      current = current.copy();
      for (Op op : ops) {
        K key = keyOf.apply(op.key());
        if (op.remove()) {
          current.remove(key);
          plain.remove(key);
        } else {
          current.put(key, op.value(), op.value());
          plain.put(key, op.value());
        }
      }
      maps.add(current);
      expected.add(new HashMap<>(plain));
    }
    for (int i = 0; i < maps.size(); i++) {
      Map<K, Integer> read = new HashMap<>();
      maps.get(i).forEach((k, s, t) -> assertThat(read.put(k, s)).isNull());
      assertThat(read).as("version %d", i).isEqualTo(expected.get(i));
      assertThat(maps.get(i).size()).isEqualTo(expected.get(i).size());
      for (int k = 0; k <= 20; k++) {
        StateMap.Entry<Integer> e = maps.get(i).get(keyOf.apply(k));
        assertThat(e == null ? null : e.state).isEqualTo(expected.get(i).get(keyOf.apply(k)));
      }
      int threshold = 50;
      List<K> old = new ArrayList<>();
      maps.get(i).updatedBefore(threshold).forEach(en -> old.add(en.getKey()));
      assertThat(old).containsExactlyInAnyOrderElementsOf(
          expected.get(i).entrySet().stream().filter(en -> en.getValue() < threshold).map(Map.Entry::getKey)
              .toList());
    }
  }

  @Test
  void state_rulesMatchSpark() {
    StateImpl<Integer> s = new StateImpl<>();
    s.wrap(false, null);
    assertThat(s.exists()).isFalse();
    assertThat(s.getOption()).isEmpty();
    assertThatThrownBy(s::get).isInstanceOf(NoSuchElementException.class).hasMessage("State is not set");
    s.update(3);
    assertThat(s.get()).isEqualTo(3);
    assertThat(s.isUpdated()).isTrue();
    s.remove();
    assertThat(s.exists()).isFalse();
    assertThatThrownBy(() -> s.update(4)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("requirement failed: Cannot update the state after it has been removed");
    assertThatThrownBy(s::remove).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("requirement failed: Cannot remove the state that has already been removed");
    s.wrapTimingOut(9);
    assertThat(s.isTimingOut()).isTrue();
    assertThat(s.getOption()).contains(9);
    assertThatThrownBy(() -> s.update(1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("requirement failed: Cannot update the state that is timing out");
    assertThatThrownBy(s::remove).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("requirement failed: Cannot remove the state that is timing out");
  }
}
