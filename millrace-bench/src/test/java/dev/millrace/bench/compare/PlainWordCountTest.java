package dev.millrace.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.bench.input.ZipfLines;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class PlainWordCountTest {

  @Test
  void countsEveryWord_onOneAndTwoThreads() throws Exception {
    List<String> lines = List.of("to be or not to be", "be quick", "to");
    ExecutorService helper = Executors.newSingleThreadExecutor();
    try {
      Map<String, Integer> expected = Map.of("to", 3, "be", 3, "or", 1, "not", 1, "quick", 1);
      assertThat(BenchChild.PlainWordCount.count(lines, 1, helper)).isEqualTo(expected);
      assertThat(BenchChild.PlainWordCount.count(lines, 2, helper)).isEqualTo(expected);
    } finally {
      helper.shutdownNow();
    }
  }

  @Test
  void totalCount_isTenWordsPerLine() throws Exception {
    List<String> lines = ZipfLines.standard(11).lines(5000);
    ExecutorService helper = Executors.newSingleThreadExecutor();
    try {
      Map<String, Integer> counts = BenchChild.PlainWordCount.count(lines, 2, helper);
      assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(50_000);
    } finally {
      helper.shutdownNow();
    }
  }
}
