package dev.millrace.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ResultTableTest {

  @Test
  void ratio_readsHowManyTimesBetterMillraceIs() {
    assertThat(ResultTable.ratio(OptionalDouble.of(5e6), OptionalDouble.of(2e7), ResultTable.Better.HIGHER))
        .isEqualTo("4.0x");
    assertThat(ResultTable.ratio(OptionalDouble.of(40), OptionalDouble.of(0.5), ResultTable.Better.LOWER))
        .isEqualTo("80x");
    assertThat(ResultTable.ratio(OptionalDouble.of(10), OptionalDouble.of(8.5), ResultTable.Better.HIGHER))
        .isEqualTo("0.85x");
  }

  @Test
  void missingOrZeroFigure_givesNotAvailable() {
    assertThat(ResultTable.ratio(OptionalDouble.empty(), OptionalDouble.of(1), ResultTable.Better.HIGHER))
        .isEqualTo("n/a");
    assertThat(ResultTable.ratio(OptionalDouble.of(3), OptionalDouble.of(0), ResultTable.Better.LOWER))
        .isEqualTo("n/a");
  }

  @Test
  void units_areFormattedForPeople() {
    assertThat(ResultTable.rate(21_340_000)).isEqualTo("21.3 M");
    assertThat(ResultTable.rate(950_400)).isEqualTo("950 k");
    assertThat(ResultTable.millis(0.423)).isEqualTo("0.42 ms");
    assertThat(ResultTable.millis(3.14)).isEqualTo("3.1 ms");
    assertThat(ResultTable.millis(4210)).isEqualTo("4210 ms");
    assertThat(ResultTable.mebibytesFromKib(312 * 1024)).isEqualTo("312 MiB");
  }

  @Test
  void render_padsColumnsIntoAMarkdownTable() {
    String out = new ResultTable()
        .add(new ResultTable.Row("1 word count", "7.5 M", "21.0 M", "2.8x"))
        .add(new ResultTable.Row("4 start-up to first batch", "4100 ms", "180 ms", "23x"))
        .render();
    assertThat(out).isEqualTo(""
        + "| workload                  | Spark Streaming | Millrace | ratio |\n"
        + "|:--------------------------|----------------:|---------:|------:|\n"
        + "| 1 word count              |           7.5 M |   21.0 M |  2.8x |\n"
        + "| 4 start-up to first batch |         4100 ms |   180 ms |   23x |\n");
  }

  @Test
  void table_takesMediansOverRuns_andFillsEveryWorkloadRow() {
    Results r = new Results();
    for (double v : new double[] {7e6, 6e6, 9e6}) {
      r.add(new Result("wordcount", "spark", "words_per_s", v));
    }
    for (double v : new double[] {20e6, 22e6, 21e6}) {
      r.add(new Result("wordcount", "millrace", "words_per_s", v));
    }
    r.add(new Result("plainloop", "plain", "words_per_s_t1", 14e6));
    r.add(new Result("plainloop", "plain", "words_per_s_t2", 25e6));
    r.add(new Result("overhead", "spark", "p50_ms_10", 30));
    r.add(new Result("overhead", "spark", "p99_ms_10", 60));
    r.add(new Result("overhead", "spark", "mean_ms_10", 33));
    r.add(new Result("overhead", "spark", "keeps_up_10", 0));
    r.add(new Result("overhead", "millrace", "p50_ms_10", 0.5));
    r.add(new Result("overhead", "millrace", "p99_ms_10", 2));
    r.add(new Result("overhead", "millrace", "mean_ms_10", 0.55));
    r.add(new Result("overhead", "millrace", "keeps_up_10", 1));
    r.add(new Result("startup", "spark", "startup_ms", 4000));
    r.add(new Result("startup", "millrace", "startup_ms", 200));
    r.add(new Result("startup", "spark", "peak_rss_kib", 300 * 1024));
    r.add(new Result("startup", "millrace", "peak_rss_kib", 60 * 1024));

    List<ResultTable.Row> rows = CompareRunner.table(r, EnumSet.of(Workload.WORD_COUNT, Workload.OVERHEAD,
        Workload.STARTUP, Workload.PLAIN_LOOP), List.of(10L)).rows();

    assertThat(rows).hasSize(6);
    assertThat(rows.get(0)).isEqualTo(new ResultTable.Row(
        "1 word count, 1 s batches: largest batch within the interval (words/s)", "7.0 M", "21.0 M", "3.0x"));
    assertThat(rows.get(1)).isEqualTo(new ResultTable.Row(
        "3 tiny batches every 10 ms: processing delay p50 / p99 (mean), keeps up?",
        "30 ms / 60 ms (33 ms), no", "0.50 ms / 2.0 ms (0.55 ms), yes", "60x"));
    assertThat(rows.get(2).ratio()).isEqualTo("20x");
    assertThat(rows.get(3)).isEqualTo(new ResultTable.Row(
        "4 peak RSS of a 2 s run (default JVM flags)", "300 MiB", "60 MiB", "5.0x"));
    assertThat(rows.get(4).workload()).startsWith("7 plain Java loop, 1 thread: 14.0 M words/s");
    assertThat(rows.get(4).millrace()).isEqualTo("150%");
    assertThat(rows.get(5).spark()).isEqualTo("28%");
    assertThat(rows.get(5).millrace()).isEqualTo("84%");
  }

  @Test
  void table_stateAndWindowRows_compareMedianProcessingTimes_withTheWindowLengthInTheLabel() {
    Results r = new Results();
    r.add(new Result("state", "spark", "updateStateByKey_p50_ms", 2000));
    r.add(new Result("state", "spark", "updateStateByKey_p50_ms", 3000));
    r.add(new Result("state", "spark", "updateStateByKey_p50_ms", 2600));
    r.add(new Result("state", "millrace", "updateStateByKey_p50_ms", 130));
    r.add(new Result("state", "spark", "mapWithState_p50_ms", 900));
    r.add(new Result("state", "millrace", "mapWithState_p50_ms", 45));
    r.add(new Result("window", "spark", "plain_p50_ms", 1500));
    r.add(new Result("window", "millrace", "plain_p50_ms", 300));
    r.add(new Result("window", "spark", "inverse_p50_ms", 400));

    List<ResultTable.Row> rows =
        CompareRunner.table(r, EnumSet.of(Workload.STATE, Workload.WINDOW), List.of(), 5).rows();

    assertThat(rows).containsExactly(
        new ResultTable.Row("5 updateStateByKey, 1 M keys, 100 k records per batch: processing time per batch (median)",
            "2600 ms", "130 ms", "20x"),
        new ResultTable.Row("5 mapWithState, 1 M keys, 100 k records per batch: processing time per batch (median)",
            "900 ms", "45 ms", "20x"),
        new ResultTable.Row("6 reduceByKeyAndWindow 5 s / 1 s, no inverse, 200 k words per batch: "
            + "processing time per batch, window full (median)", "1500 ms", "300 ms", "5.0x"),
        new ResultTable.Row("6 reduceByKeyAndWindow 5 s / 1 s, with inverse, 200 k words per batch: "
            + "processing time per batch, window full (median)", "400 ms", "n/a", "n/a"));
  }

  @Test
  void childParameter_isReadFromKeyValueList_orDefaults() {
    List<String> params = List.of("windowMs=5000", "wordsPerBatch=200000");
    assertThat(CompareRunner.longParam(params, "windowMs", 30_000)).isEqualTo(5000);
    assertThat(CompareRunner.longParam(params, "measuredBatches", 10)).isEqualTo(10);
    assertThat(CompareRunner.longParam(List.of("window=7"), "windowMs", 30_000)).isEqualTo(30_000);
  }

  @Test
  void table_showsMissingEngineAsNotAvailable() {
    Results r = new Results();
    r.add(new Result("wordcount", "millrace", "words_per_s", 2e7));
    List<ResultTable.Row> rows = CompareRunner.table(r, EnumSet.of(Workload.WORD_COUNT), List.of()).rows();
    assertThat(rows.get(0).spark()).isEqualTo("n/a");
    assertThat(rows.get(0).ratio()).isEqualTo("n/a");
  }

  @Test
  void table_socketRows_compareSustainedLinesAndMegabytesPerSecond_andShowTheGenerator() {
    Results r = new Results();
    r.add(new Result("socket", "spark", "lines_per_s", 150_000));
    r.add(new Result("socket", "spark", "mb_per_s", 10.4));
    r.add(new Result("socket", "spark", "generator_loopback_lines_per_s", 3.0e7));
    r.add(new Result("socket", "millrace", "lines_per_s", 600_000));
    r.add(new Result("socket", "millrace", "mb_per_s", 41.7));
    r.add(new Result("socket", "millrace", "generator_loopback_lines_per_s", 3.2e7));
    r.add(new Result("socket", "spark", "bracketed", 1));
    r.add(new Result("socket", "millrace", "bracketed", 1));

    List<ResultTable.Row> rows = CompareRunner.table(r, EnumSet.of(Workload.SOCKET), List.of()).rows();

    assertThat(rows).containsExactly(
        new ResultTable.Row("2 socket word count (countByValue), 1 s batches: highest offered rate sustained (lines/s)",
            "150 k", "600 k", "4.0x"),
        new ResultTable.Row("2 the same in MB/s of text received", "10 MB/s", "42 MB/s", "4.0x"),
        new ResultTable.Row("2 the line generator alone, unlimited, into a discarding loopback reader (lines/s)",
            "30.0 M", "32.0 M", ""));
  }

  @Test
  void table_socketFigureThatIsOnlyALowerBound_isMarked() {
    Results r = new Results();
    r.add(new Result("socket", "spark", "lines_per_s", 150_000));
    r.add(new Result("socket", "spark", "mb_per_s", 10.4));
    r.add(new Result("socket", "spark", "bracketed", 1));
    r.add(new Result("socket", "millrace", "lines_per_s", 900_000));
    r.add(new Result("socket", "millrace", "mb_per_s", 62.5));
    r.add(new Result("socket", "millrace", "bracketed", 0));

    List<ResultTable.Row> rows = CompareRunner.table(r, EnumSet.of(Workload.SOCKET), List.of()).rows();

    assertThat(rows.get(0)).isEqualTo(new ResultTable.Row(
        "2 socket word count (countByValue), 1 s batches: highest offered rate sustained (lines/s)"
            + " (>=: a run ran out of steps still passing)", "150 k", ">= 900 k", "6.0x"));
    assertThat(rows.get(1)).isEqualTo(new ResultTable.Row("2 the same in MB/s of text received", "10 MB/s",
        ">= 63 MB/s", "6.0x"));
  }
}
