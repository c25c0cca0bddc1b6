package dev.millrace.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.MillraceConf;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.scheduler.BatchInfo;
import dev.millrace.streaming.scheduler.OutputOperationInfo;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import dev.millrace.streaming.scheduler.StreamingListenerBatchCompleted;
import dev.millrace.streaming.scheduler.StreamingListenerBatchSubmitted;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PagesTest {
  private final StreamingProgress progress = new StreamingProgress(1000, 1000);
  private final RestApi.AppInfo app = new RestApi.AppInfo("app", "demo <app>", "me", 0, "v");
  private final MillraceConf conf = new MillraceConf(false).set("spark.streaming.blockInterval", "50ms")
      .set("my.db.password", "hunter2").set("my.setting", "<b>x</b>");
  private final Pages pages = new Pages(app, progress, conf, Map.of(0, "queueStream"), new RestApi(app, progress));

  private void completeBatches(int n) {
    for (int i = 1; i <= n; i++) {
      long t = i * 1000L;
      OutputOperationInfo op = new OutputOperationInfo(new Time(t), 0, "print", "print at Job.java:12",
          Optional.of(t), Optional.of(t + 5), i == 7 ? Optional.of("java.lang.RuntimeException: bad <record>\n\tat X")
          : Optional.empty());
      BatchInfo info = new BatchInfo(new Time(t), Map.of(0, new StreamInputInfo(0, i, Map.of("offsets", "0-" + i))), t,
          Optional.of(t), Optional.of(t + 5), Map.of(0, op));
      progress.onBatchSubmitted(new StreamingListenerBatchSubmitted(info));
      progress.onBatchCompleted(new StreamingListenerBatchCompleted(info));
    }
  }

  private static List<Long> batchIds(String html) {
    List<Long> ids = new ArrayList<>();
    Matcher m = Pattern.compile("<tr data-batch-id=\"(\\d+)\"").matcher(html);
    while (m.find()) {
      ids.add(Long.parseLong(m.group(1)));
    }
    return ids;
  }

  @Test
  void completedBatches_pagedFiftyNewestFirst() {
    completeBatches(120);
    String first = pages.batches(1);
    assertThat(batchIds(first)).hasSize(50).startsWith(120_000L, 119_000L).endsWith(71_000L);
    assertThat(first).contains("Page 1 of 3", "href=\"/streaming/batches?page=2\"").doesNotContain("rel=\"prev\"");
    String last = pages.batches(3);
    assertThat(batchIds(last)).hasSize(20).startsWith(20_000L).endsWith(1_000L);
    assertThat(last).contains("Page 3 of 3", "href=\"/streaming/batches?page=2\"").doesNotContain("rel=\"next\"");
    assertThat(batchIds(pages.batches(99))).isEqualTo(batchIds(last));
    assertThat(batchIds(pages.batches(-5))).isEqualTo(batchIds(first));
  }

  @Test
  void batchPage_showsInputPerStreamAndFailureReason_escaped() {
    completeBatches(7);
    String html = pages.batch(7000).orElseThrow();
    assertThat(html).contains("queueStream", "<td class=\"records\">7</td>", "offsets", "0-7", "print at Job.java:12",
        "5 ms", "failed", "bad &lt;record&gt;").doesNotContain("bad <record>");
    assertThat(pages.batch(8000)).isEmpty();
    // 1 + 2 + ... + 7 = 28 records over seven 1 s batches
    assertThat(pages.streaming()).contains("failed: java.lang.RuntimeException: bad &lt;record&gt;",
        "<td data-avg=\"inputRate\">4.00 records/sec</td>", "<td data-avg=\"processingTime\">5 ms</td>",
        "Last 7 records/sec, min 1 records/sec, max 7 records/sec over 7 batches.");
  }

  @Test
  void environment_listsKeysWithDescriptions_andHidesSecrets() {
    String html = pages.environment();
    assertThat(html).contains("millrace.streaming.blockInterval</code></td><td><code>spark.streaming.blockInterval"
        + "</code></td><td>50ms</td>", "millrace.ui.port", "4040 <em>(default)</em>", "&lt;b&gt;x&lt;/b&gt;",
        "*********(redacted)").doesNotContain("hunter2").contains("demo &lt;app&gt;");
  }
}
