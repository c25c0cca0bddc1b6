package dev.millrace.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs the seed pipeline example and checks what it prints, in Spark's {@code print()} format. */
class QueueStreamWordCountTest {
  private static final String DASHES = "-------------------------------------------";
  private static final Pattern BLOCK = Pattern.compile(
      DASHES + "\nTime: (\\d+) ms\n" + DASHES + "\n((?:[^\n]+\n)*)\n");

  @Test
  void printsTheWordCountsOfEachQueuedBatch() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      QueueStreamWordCount.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);

    // The output is nothing but print() blocks, one per batch, 500 ms apart.
    Matcher m = BLOCK.matcher(out);
    List<Long> times = new ArrayList<>();
    List<List<String>> records = new ArrayList<>();
    int end = 0;
    while (m.find()) {
      assertThat(m.start()).as("only print blocks in:%n%s", out).isEqualTo(end);
      end = m.end();
      times.add(Long.parseLong(m.group(1)));
      records.add(m.group(2).isEmpty() ? List.of() : Arrays.asList(m.group(2).split("\n")));
    }
    assertThat(end).as("only print blocks in:%n%s", out).isEqualTo(out.length());
    assertThat(times).hasSizeGreaterThanOrEqualTo(3);
    for (int i = 1; i < times.size(); i++) {
      assertThat(times.get(i) - times.get(i - 1)).isEqualTo(500);
    }
    assertThat(times.get(0) % 500).isZero();

    // One queued dataset per batch.
    assertThat(records.get(0)).containsExactlyInAnyOrder(
        "(to,2)", "(be,2)", "(or,1)", "(not,1)", "(that,1)", "(is,1)", "(the,1)", "(question,1)");
    assertThat(records.get(1)).containsExactlyInAnyOrder(
        "(whether,1)", "(tis,1)", "(nobler,1)", "(in,1)", "(the,1)", "(mind,1)", "(to,1)", "(suffer,1)");
    assertThat(records.get(2)).containsExactlyInAnyOrder(
        "(the,1)", "(slings,1)", "(and,1)", "(arrows,1)", "(of,1)", "(outrageous,1)", "(fortune,1)");
    for (List<String> later : records.subList(3, records.size())) {
      assertThat(later).isEmpty();
    }
  }
}
