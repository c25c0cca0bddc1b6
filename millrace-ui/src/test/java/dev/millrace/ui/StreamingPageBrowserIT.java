package dev.millrace.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.MillraceConf;
import dev.millrace.internal.rdd.ParallelCollectionRDD;
import dev.millrace.internal.rdd.RDD;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Time;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import dev.millrace.streaming.internal.StreamingEngine;
import dev.millrace.streaming.internal.dstream.InputDStream;
import dev.millrace.streaming.scheduler.StreamInputInfo;
import java.io.File;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium on the streaming page of a running job (system clock, 250 ms
 * batches of varying size): the charts draw, the page updates itself, and a batch page agrees
 * with the REST API. Needs Debian's {@code chromium} and {@code chromium-driver} ({@code .ci/run}
 * installs them). Screenshots go to {@code target/ui-streaming.png} and {@code target/ui-batch.png}.
 */
class StreamingPageBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private JavaStreamingContext jssc;

  /** The REST prefix of this job's streaming resources. */
  private String streamingApi() {
    return "api/v1/applications/" + jssc.ssc().engine().conf().getAppId() + "/streaming/";
  }
  private ChromeDriver driver;
  private Path profile;

  /** Each batch holds 200 + 150 * (k mod 7) numbers, k the batch's index; described in the metadata. */
  static final class NumbersInputDStream extends InputDStream<Integer> {
    private static final long serialVersionUID = 1L;

    NumbersInputDStream(StreamingEngine ssc) {
      super(ssc, "numbers");
    }

    @Override
    public void start() {}

    @Override
    public void stop() {}

    @Override
    protected RDD<Integer> compute(Time validTime) {
      int n = 200 + 150 * (int) ((validTime.milliseconds() / 250) % 7);
      List<Integer> data = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        data.add(i);
      }
      reportInput(validTime, n, Map.of(StreamInputInfo.METADATA_KEY_DESCRIPTION, "numbers 0.." + (n - 1)));
      return new ParallelCollectionRDD<>(context().engine(), data, 2);
    }
  }

  @BeforeEach
  void startJobAndBrowser() throws Exception {
    assertThat(CHROMIUM).as("Chromium is needed: apt-get install -y chromium chromium-driver (see .ci/run)").exists();
    assertThat(CHROMEDRIVER).as("chromedriver is needed: apt-get install -y chromium-driver (see .ci/run)").exists();
    MillraceConf conf = new MillraceConf(false).setMaster("local[2]").setAppName("browser-demo")
        .set("spark.ui.port", "0");
    jssc = new JavaStreamingContext(conf, Durations.milliseconds(250));
    JavaDStream<Integer> numbers = new JavaDStream<>(new NumbersInputDStream(jssc.ssc()));
    numbers.mapToPair(x -> new dev.millrace.Tuple2<>(x % 10, 1L)).reduceByKey(Long::sum).foreachRDD(rdd -> {
      rdd.collect();
    });
    numbers.count().foreachRDD(rdd -> {
      rdd.collect();
    });
    jssc.start();

  }

  private void startBrowser(boolean javascript) throws Exception {
    profile = Files.createTempDirectory("millrace-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--window-size=1500,1300");
    if (!javascript) {
      options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
    }
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
  }

  @AfterEach
  void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (jssc != null) {
      jssc.stop(true, false);
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private void screenshot(String name) throws Exception {
    Path out = Path.of("target", name);
    Files.createDirectories(out.getParent());
    Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), out,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** Non-transparent pixels of every chart canvas on the page. */
  @SuppressWarnings("unchecked")
  private List<Long> paintedPixels() {
    return (List<Long>) js("return Array.from(document.querySelectorAll('.chart canvas')).map(function (c) {"
        + "  var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, n = 0;"
        + "  for (var i = 3; i < d.length; i += 4) { if (d[i] !== 0) { n++; } }"
        + "  return n; });");
  }

  @Test
  void streamingPage_drawsLiveCharts_andBatchPageMatchesRestApi() throws Exception {
    startBrowser(true);
    MillraceUi ui = MillraceUi.of(jssc.ssc()).orElseThrow();
    URI base = ui.uri();
    driver.get(base.resolve("streaming/").toString());
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));

    // The charts hold data points: at least 6 completed batches in each timeline and histogram.
    wait.until(d -> Boolean.TRUE.equals(js("var c = window.millraceCharts; return !!c && ["
        + "'inputRate','schedulingDelay','processingTime','totalDelay'].every(function (k) {"
        + "  return c[k].data[0].length >= 6 && c[k + 'Histogram'].data[1].reduce(function (a, b) { return a + b; }, 0) >= 6; });")));
    List<Long> painted = paintedPixels();
    assertThat(painted).hasSize(8).allSatisfy(n -> assertThat(n).isGreaterThan(500L));
    // Input rate points are the records of each batch over 0.25 s: 800 + 600 * (k mod 7) per second.
    @SuppressWarnings("unchecked")
    List<Number> rates = (List<Number>) js("return window.millraceCharts.inputRate.data[1];");
    assertThat(rates).allSatisfy(r -> assertThat(((r.doubleValue() - 800) / 600)).isBetween(0.0, 6.0)
        .satisfies(k -> assertThat(k % 1).isZero()));

    // It updates itself: more refreshes and more completed batches come without reloading.
    long refreshes = Long.parseLong(driver.findElement(By.tagName("body")).getDomAttribute("data-refreshes"));
    long completed = Long.parseLong(driver.findElement(By.id("completed-count")).getText());
    wait.until(d -> Long.parseLong(d.findElement(By.tagName("body")).getDomAttribute("data-refreshes")) > refreshes + 1
        && Long.parseLong(d.findElement(By.id("completed-count")).getText()) > completed);
    assertThat(driver.findElement(By.id("live")).getText()).startsWith("Live: updated");
    screenshot("ui-streaming.png");

    // Through to a batch page.
    WebElement link = driver.findElement(By.cssSelector("#recent-batches tbody tr a"));
    String batchId = link.findElement(By.xpath("./ancestor::tr")).getDomAttribute("data-batch-id");
    link.click();
    wait.until(d -> d.getCurrentUrl().endsWith("/streaming/batch?id=" + batchId));
    Map<String, Object> rest = MiniJson.object(Http.get(base,
        streamingApi() + "batches/" + batchId).body());
    List<Object> ops = MiniJson.array(Http.get(base,
        streamingApi() + "batches/" + batchId + "/operations").body());
    long inputSize = ((BigDecimal) rest.get("inputSize")).longValue();
    assertThat(driver.findElement(By.id("batch-status")).getText()).isEqualTo(rest.get("status"));
    assertThat(driver.findElement(By.id("batch-input-size")).getText()).isEqualTo(inputSize + " records");
    assertThat(driver.findElement(By.cssSelector("#batch-inputs td.records")).getText())
        .isEqualTo(Long.toString(inputSize));
    assertThat(driver.findElement(By.id("batch-inputs")).getText()).contains("numbers 0.." + (inputSize - 1));
    assertThat(driver.findElement(By.id("batch-processing-time")).getText())
        .isEqualTo(Pages.duration(java.util.Optional.of(((BigDecimal) rest.get("processingTime")).longValue())));
    List<WebElement> rows = driver.findElements(By.cssSelector("#batch-operations tbody tr"));
    assertThat(rows).hasSize(ops.size()).hasSize(2);
    for (int i = 0; i < rows.size(); i++) {
      @SuppressWarnings("unchecked")
      Map<String, Object> op = (Map<String, Object>) ops.get(i);
      assertThat(rows.get(i).getDomAttribute("data-op-id")).isEqualTo(op.get("outputOpId").toString());
      assertThat(rows.get(i).findElement(By.cssSelector("td.duration")).getText())
          .isEqualTo(Pages.duration(java.util.Optional.of(((BigDecimal) op.get("duration")).longValue())));
      assertThat(rows.get(i).getText()).contains("succeeded");
    }
    screenshot("ui-batch.png");
  }

  @Test
  void withoutJavaScript_pagesStillShowTheNumbers() throws Exception {
    startBrowser(false);
    URI base = MillraceUi.of(jssc.ssc()).orElseThrow().uri();
    Http.Reply stats = Http.get(base, streamingApi() + "statistics");
    new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> {
      d.get(base.resolve("streaming/").toString());
      return d.findElements(By.cssSelector("#recent-batches tbody tr a")).size() >= 3;
    });
    // the page's script did not run: it would have added the live line and the chart canvases
    assertThat(driver.findElements(By.id("live"))).isEmpty();
    assertThat(driver.findElements(By.cssSelector(".chart canvas"))).isEmpty();
    assertThat(driver.findElement(By.id("stat-table")).getText()).contains("Input Rate", "records/sec",
        "Scheduling Delay", "Processing Time", "Total Delay");
    assertThat(driver.findElement(By.id("recent-batches")).getText()).contains(" records", " ms");
    assertThat(stats.status()).isEqualTo(200);
    screenshot("ui-streaming-nojs.png");
    driver.findElement(By.cssSelector("#recent-batches tbody tr a")).click();
    assertThat(driver.findElement(By.id("batch-operations")).getText()).contains("foreachRDD", "succeeded");
  }
}
