package dev.millrace.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void median_ofOddCount_isMiddleValue_ofEvenCount_isMeanOfMiddleTwo() {
    assertThat(Stats.median(List.of(5, 1, 3))).isEqualTo(3.0);
    assertThat(Stats.median(List.of(4, 1, 3, 2))).isEqualTo(2.5);
    assertThat(Stats.median(List.of(7L))).isEqualTo(7.0);
  }

  @Test
  void percentile_interpolatesBetweenRanks() {
    List<Integer> oneToHundredOne = new ArrayList<>();
    for (int i = 1; i <= 101; i++) {
      oneToHundredOne.add(i);
    }
    assertThat(Stats.percentile(oneToHundredOne, 99)).isEqualTo(100.0);
    assertThat(Stats.percentile(oneToHundredOne, 0)).isEqualTo(1.0);
    assertThat(Stats.percentile(oneToHundredOne, 100)).isEqualTo(101.0);
    assertThat(Stats.percentile(List.of(10, 20), 25)).isEqualTo(12.5);
  }

  @Test
  void noValues_orBadPercentile_areErrors() {
    assertThrows(IllegalArgumentException.class, () -> Stats.median(List.of()));
    assertThrows(IllegalArgumentException.class, () -> Stats.percentile(List.of(1), 101));
  }
}
