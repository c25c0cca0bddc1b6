package dev.millrace.bench.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StateKeysTest {

  @Test
  void key_isZeroPaddedToSevenDigits() {
    assertThat(StateKeys.key(0)).isEqualTo("k0000000");
    assertThat(StateKeys.key(42)).isEqualTo("k0000042");
    assertThat(StateKeys.key(999_999)).isEqualTo("k0999999");
    assertThat(StateKeys.key(12_345_678)).isEqualTo("k12345678");
    assertThrows(IllegalArgumentException.class, () -> StateKeys.key(-1));
  }

  @Test
  void fill_coversEveryKeyOnceInOrder_lastBatchShorter() {
    List<List<String>> batches = StateKeys.fill(10, 4);
    assertThat(batches).containsExactly(
        List.of("k0000000", "k0000001", "k0000002", "k0000003"),
        List.of("k0000004", "k0000005", "k0000006", "k0000007"),
        List.of("k0000008", "k0000009"));
  }

  @Test
  void random_isReproducible_differsByBatch_andStaysInTheKeySpace() {
    List<String> a = StateKeys.random(42, 1000, 500, 3);
    assertThat(a).hasSize(500).isEqualTo(StateKeys.random(42, 1000, 500, 3));
    assertThat(a).isNotEqualTo(StateKeys.random(42, 1000, 500, 4));
    Set<String> space = new HashSet<>(StateKeys.fill(1000, 1000).get(0));
    assertThat(space).containsAll(a);
    // 500 uniform draws from 1000 keys: about 1000 * (1 - e^-0.5) = 393 distinct; far from 1 or 500.
    assertThat(new HashSet<>(a).size()).isBetween(330, 450);
  }

  @Test
  void badSizes_areRejected() {
    assertThrows(IllegalArgumentException.class, () -> StateKeys.fill(0, 4));
    assertThrows(IllegalArgumentException.class, () -> StateKeys.fill(10, 0));
    assertThrows(IllegalArgumentException.class, () -> StateKeys.random(1, 0, 5, 0));
  }
}
