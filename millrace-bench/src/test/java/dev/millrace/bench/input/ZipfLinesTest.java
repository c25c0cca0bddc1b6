package dev.millrace.bench.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ZipfLinesTest {

  @Test
  void sameSeed_givesSameLines_otherSeed_givesOtherLines() {
    List<String> a = ZipfLines.standard(7).lines(1000);
    List<String> b = ZipfLines.standard(7).lines(1000);
    List<String> c = ZipfLines.standard(8).lines(1000);
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void everyLine_hasTenWordsSeparatedBySingleSpaces() {
    for (String line : ZipfLines.standard(1).lines(2000)) {
      String[] words = line.split(" ");
      assertThat(words).hasSize(10);
      assertThat(line.split("\\s+")).containsExactly(words);
      for (String w : words) {
        assertThat(w).matches("[a-z]{4,8}");
      }
    }
  }

  @Test
  void vocabularyWords_areDistinct() {
    Set<String> seen = new HashSet<>();
    for (int r = 1; r <= ZipfLines.STANDARD_VOCABULARY; r++) {
      assertThat(seen.add(ZipfLines.word(r))).as("rank %d", r).isTrue();
    }
  }

  @Test
  void word_encodesRankInFirstFourLetters() {
    assertThat(ZipfLines.word(1)).startsWith("aaaa").hasSize(5);
    assertThat(ZipfLines.word(27)).startsWith("aaba").hasSize(6);
    assertThat(ZipfLines.word(5)).isEqualTo("aaae");
  }

  @Test
  void frequencies_followZipfLaw() {
    // Exponent 1: P(rank r) = (1/r) / H(V), with H(V) the V-th harmonic number.
    int vocabulary = 1000;
    double harmonic = 0;
    for (int r = 1; r <= vocabulary; r++) {
      harmonic += 1.0 / r;
    }
    ZipfLines gen = new ZipfLines(vocabulary, 1.0, 10, 3);
    int samples = 400_000;
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < samples; i++) {
      counts.merge(gen.nextRank(), 1, Integer::sum);
    }
    for (int r : new int[] {1, 2, 10}) {
      double expected = samples / (r * harmonic);
      assertThat((double) counts.get(r)).as("rank %d", r).isBetween(expected * 0.95, expected * 1.05);
    }
    assertThat(counts.keySet()).allMatch(r -> r >= 1 && r <= vocabulary);
  }

  @Test
  void exponentZero_isUniform() {
    ZipfLines gen = new ZipfLines(4, 0.0, 1, 5);
    int[] counts = new int[5];
    for (int i = 0; i < 40_000; i++) {
      counts[gen.nextRank()]++;
    }
    for (int r = 1; r <= 4; r++) {
      assertThat(counts[r]).isBetween(9_500, 10_500);
    }
  }

  @Test
  void cycle_repeatsPoolFromItsStart() {
    List<String> c = ZipfLines.cycle(List.of("a", "b", "c"), 7);
    assertThat(c).containsExactly("a", "b", "c", "a", "b", "c", "a");
    assertThat(ZipfLines.cycle(List.of("a"), 0)).isEmpty();
    assertThrows(IndexOutOfBoundsException.class, () -> c.get(7));
    assertThrows(IllegalArgumentException.class, () -> ZipfLines.cycle(List.of(), 1));
  }

  @Test
  void badArguments_areRejectedWithTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ZipfLines(0, 1, 10, 1));
    assertThat(e).hasMessageContaining("was 0");
    assertThrows(IllegalArgumentException.class, () -> new ZipfLines(10, -1, 10, 1));
    assertThrows(IllegalArgumentException.class, () -> new ZipfLines(10, Double.NaN, 10, 1));
    assertThrows(IllegalArgumentException.class, () -> new ZipfLines(10, 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> ZipfLines.word(0));
  }
}
