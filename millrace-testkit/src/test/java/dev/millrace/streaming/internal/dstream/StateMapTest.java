package dev.millrace.streaming.internal.dstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

  /** A key whose hash collides with three others, to exercise long probe runs and deletion. */
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

  /** With thousands of keys, so the table grows several times and entries move on removal. */
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

  private static <K> Map<K, Integer> read(StateMap<K, Integer> map) {
    Map<K, Integer> out = new HashMap<>();
    map.forEach((k, s, t) -> assertThat(out.put(k, s)).as("key %s visited twice", k).isNull());
    return out;
  }

  /**
   * Hundreds of thousands of keys (several state chunks, table growth), written through the
   * batch writer as a batch does: every version still reads as a plain map folded to its point.
   */
  @Test
  void manyVersions_ofALargeMap_throughTheWriter_readAsTheirFold() {
    SplittableRandom random = new SplittableRandom(42);
    int keys = 300_000;
    StateMap<Integer, Integer> current = new StateMap<>();
    Map<Integer, Integer> plain = new HashMap<>();
    List<StateMap<Integer, Integer>> versions = new ArrayList<>();
    List<Map<Integer, Integer>> expected = new ArrayList<>();
    for (int v = 0; v < 6; v++) {
      current = current.copy();
      try (StateMap<Integer, Integer>.Updater w = current.updater()) {
        int ops = v == 0 ? keys : 40_000;
        for (int i = 0; i < ops; i++) {
          int k = v == 0 ? i : random.nextInt(keys + 1000);
          int op = random.nextInt(10);
          if (v > 0 && op == 0) {
            w.remove(k);
            plain.remove(k);
          } else {
            int slot = w.slot(k);
            Integer old = slot >= 0 ? w.stateAt(slot) : null;
            assertThat(old).isEqualTo(plain.get(k));
            int value = (old == null ? 0 : old) + 1 + op;
            if (slot >= 0 && op % 2 == 0) {
              w.putAt(slot, value, v);
            } else {
              w.put(k, value, v);
            }
            plain.put(k, value);
          }
        }
      }
      versions.add(current);
      expected.add(new HashMap<>(plain));
    }
    for (int v = versions.size() - 1; v >= 0; v--) {
      assertThat(read(versions.get(v))).as("version %d", v).isEqualTo(expected.get(v));
      assertThat(versions.get(v).size()).isEqualTo(expected.get(v).size());
      for (int k = 0; k < 2000; k += 7) {
        StateMap.Entry<Integer> e = versions.get(v).get(k);
        assertThat(e == null ? null : e.state).isEqualTo(expected.get(v).get(k));
      }
    }
  }

  @Test
  void removeThenPutAgain_inOneVersion_leavesTheFrozenVersionAsItWas() {
    StateMap<String, Integer> first = new StateMap<>();
    first.put("a", 1, 10);
    StateMap<String, Integer> second = first.copy();
    try (StateMap<String, Integer>.Updater w = second.updater()) {
      w.remove("a");
      w.put("a", 2, 20);
      w.remove("a");
      w.put("a", 3, 30);
      w.put("b", 4, 40);
    }
    assertThat(first.get("a").state).isEqualTo(1);
    assertThat(first.get("a").updateTime).isEqualTo(10);
    assertThat(first.get("b")).isNull();
    assertThat(read(first)).containsOnly(Map.entry("a", 1));
    assertThat(first.size()).isEqualTo(1);
    assertThat(read(second)).containsOnly(Map.entry("a", 3), Map.entry("b", 4));
    assertThat(second.get("a").updateTime).isEqualTo(30);
  }

  @Test
  void nullKey_isAKeyLikeAnyOther() {
    StateMap<String, Integer> first = new StateMap<>();
    first.put(null, 1, 1);
    StateMap<String, Integer> second = first.copy();
    second.put(null, 2, 2);
    assertThat(first.get(null).state).isEqualTo(1);
    assertThat(second.get(null).state).isEqualTo(2);
    Map<String, Integer> seen = new HashMap<>();
    second.forEach((k, s, t) -> seen.put(k, s));
    assertThat(seen).hasSize(1).containsKey(null);
    assertThat(seen.get(null)).isEqualTo(2);
    second.remove(null);
    assertThat(second.get(null)).isNull();
    assertThat(first.get(null).state).isEqualTo(1);
  }

  @Test
  void frozenVersion_refusesWrites_andCopiesIndependently() {
    StateMap<String, Integer> first = new StateMap<>();
    first.put("a", 1, 1);
    StateMap<String, Integer> second = first.copy();
    second.put("a", 2, 2);
    assertThatThrownBy(() -> first.put("a", 9, 9)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("frozen");
    assertThatThrownBy(() -> first.remove("a")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(first::updater).isInstanceOf(IllegalStateException.class);
    // A batch recomputed from the older version: an independent map with the older entries.
    StateMap<String, Integer> redo = first.copy();
    redo.put("b", 3, 3);
    assertThat(read(redo)).containsOnly(Map.entry("a", 1), Map.entry("b", 3));
    assertThat(read(first)).containsOnly(Map.entry("a", 1));
    assertThat(read(second)).containsOnly(Map.entry("a", 2));
    second.copy().put("c", 4, 4);
    assertThat(read(redo)).containsOnly(Map.entry("a", 1), Map.entry("b", 3));
  }

  @Test
  @SuppressWarnings("unchecked")
  void javaSerialization_shipsTheVersionsEntries() throws Exception {
    StateMap<String, Integer> first = new StateMap<>();
    first.put("a", 1, 5);
    first.put(null, 2, 6);
    StateMap<String, Integer> second = first.copy();
    second.put("a", 3, 7);
    second.remove(null);
    for (StateMap<String, Integer> original : List.of(first, second)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(original);
      }
      StateMap<String, Integer> copy;
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        copy = (StateMap<String, Integer>) in.readObject();
      }
      assertThat(read(copy)).isEqualTo(read(original));
      copy.put("z", 0, 0);
      assertThat(original.get("z")).isNull();
    }
    assertThat(first.get("a").updateTime).isEqualTo(5);
  }

  /** A reader of the previous version (a snapshot or checkpoint) while the next batch writes. */
  @Test
  void frozenVersion_readsConsistently_whileTheHeadIsWrittenFromAnotherThread() throws Exception {
    int keys = 50_000;
    StateMap<Integer, Integer> base = new StateMap<>();
    for (int k = 0; k < keys; k++) {
      base.put(k, k, 0);
    }
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      StateMap<Integer, Integer> head = base;
      for (int round = 1; round <= 5; round++) {
        StateMap<Integer, Integer> frozen = head;
        Map<Integer, Integer> expected = read(frozen);
        head = head.copy();
        StateMap<Integer, Integer> writing = head;
        int r = round;
        CountDownLatch started = new CountDownLatch(1);
        Future<?> writer = pool.submit(() -> {
          for (int chunk = 0; chunk < 20; chunk++) {
            try (StateMap<Integer, Integer>.Updater w = writing.updater()) {
              started.countDown();
              for (int k = chunk; k < keys + 500; k += 20) {
                if (k % 11 == r) {
                  w.remove(k);
                } else {
                  w.put(k, k * 10 + r, r);
                }
              }
            }
          }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 3; i++) {
          assertThat(read(frozen)).isEqualTo(expected);
          assertThat(frozen.get(r).state).isEqualTo(expected.get(r));
        }
        writer.get(30, TimeUnit.SECONDS);
        assertThat(read(frozen)).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
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
