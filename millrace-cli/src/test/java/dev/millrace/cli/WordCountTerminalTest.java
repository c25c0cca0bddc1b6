package dev.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The word count in this JVM with standard output and error on one simulated terminal: the UI
 * address is printed at the start, the progress line appears between batches, and every batch's
 * output stays intact.
 */
class WordCountTerminalTest {
  private static final String DASHES = "-------------------------------------------";

  @Test
  void onATerminal_printsTheUiAddress_andAProgressLine_withoutGarblingTheBatches() {
    Screen screen = new Screen();
    int status = WordCount.main(new String[] {"--duration", "3s", "--batch", "500ms", "--top", "3",
        "--conf", "millrace.ui.port=0"}, screen.stream, screen.stream, true);
    List<String> rows = screen.rows();
    assertThat(status).as(String.join("\n", rows)).isZero();

    assertThat(rows).anySatisfy(r -> assertThat(r).matches("millrace wordcount: web UI at http://127\\.0\\.0\\.1:\\d+/"));
    Pattern progress = Pattern.compile("\\[\\d+ batches \\| \\d+ lines/s \\| scheduling delay [0-9.]+ m?s \\| processing [0-9.]+ m?s\\]");
    // the last progress line is kept when the command ends, followed by the summary
    int summary = rows.size() - 2;
    assertThat(rows.get(summary)).startsWith("millrace wordcount: ").contains("lines received");
    assertThat(rows.get(summary - 1)).matches(progress);
    // every batch block is whole: dashes, time, dashes, counts or "...", then an empty row
    int blocks = 0;
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).startsWith("Time: ")) {
        blocks++;
        assertThat(rows.get(i - 1)).isEqualTo(DASHES);
        assertThat(rows.get(i)).matches("Time: \\d+ ms");
        assertThat(rows.get(i + 1)).isEqualTo(DASHES);
        int j = i + 2;
        while (!rows.get(j).isEmpty()) {
          assertThat(rows.get(j)).matches("\\(.+,\\d+\\)|\\.\\.\\.");
          j++;
        }
      }
    }
    assertThat(blocks).isBetween(4, 8);
    // nothing but batch rows, progress, and the command's own messages
    assertThat(rows).allSatisfy(r -> assertThat(r).matches(
        "|" + DASHES + "|Time: \\d+ ms|\\(.+,\\d+\\)|\\.\\.\\.|" + progress.pattern() + "|millrace wordcount: .*|.*WARN.*"));
  }

  @Test
  void noProgress_andNoUi_turnBothOff() {
    Screen screen = new Screen();
    int status = WordCount.main(new String[] {"--duration", "1500ms", "--batch", "500ms", "--no-ui", "--no-progress"},
        screen.stream, screen.stream, true);
    assertThat(status).isZero();
    assertThat(screen.rows()).noneSatisfy(r -> assertThat(r).contains("batches |"))
        .noneSatisfy(r -> assertThat(r).contains("web UI"));
  }
}
