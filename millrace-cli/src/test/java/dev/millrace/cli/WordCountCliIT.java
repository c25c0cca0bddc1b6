package dev.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code bin/millrace wordcount} as a user would: a real process, real sockets, real netcat. */
class WordCountCliIT {
  private static final Path ROOT = Paths.get("").toAbsolutePath().getParent();
  private static final Path SCRIPT = ROOT.resolve("bin/millrace");
  private static final Path JAR = ROOT.resolve("millrace-cli/target/millrace.jar");
  private static final Pattern COUNT = Pattern.compile("^\\((.+),(\\d+)\\)$");
  private static final String DASHES = "-------------------------------------------";

  @TempDir Path tmp;

  private Process start(List<String> args, Path stdin) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(SCRIPT.toString());
    command.add("wordcount");
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectOutput(tmp.resolve("out.txt").toFile())
        .redirectError(tmp.resolve("err.txt").toFile());
    // The jar was built by this build's package phase; run it without building again.
    pb.environment().put("MILLRACE_JAR", JAR.toString());
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    }
    return pb.start();
  }

  private int finish(Process p) throws InterruptedException {
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the command ended").isTrue();
    return p.exitValue();
  }

  private String out() throws IOException {
    return Files.readString(tmp.resolve("out.txt"));
  }

  private String err() throws IOException {
    return Files.readString(tmp.resolve("err.txt"));
  }

  /** Sums the printed counts of every batch, checking the print() format on the way. */
  private static Map<String, Long> totals(String printed) {
    Map<String, Long> totals = new TreeMap<>();
    String[] lines = printed.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith("Time: ")) {
        assertThat(lines[i - 1]).isEqualTo(DASHES);
        assertThat(lines[i]).matches("Time: \\d+ ms");
        assertThat(lines[i + 1]).isEqualTo(DASHES);
      }
      Matcher m = COUNT.matcher(lines[i]);
      if (m.matches()) {
        totals.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
      }
    }
    return totals;
  }

  /** Word counts of a text, computed independently of the engine. */
  private static Map<String, Long> expectedCounts(List<String> lines) {
    Map<String, Long> counts = new TreeMap<>();
    for (String line : lines) {
      for (String w : line.trim().split("\\s+")) {
        if (!w.isEmpty()) {
          counts.merge(w, 1L, Long::sum);
        }
      }
    }
    return counts;
  }

  private static List<String> text(int n) {
    String[] words = {"to", "be", "or", "not", "that", "is", "the", "question", "caf\u00e9"};
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(words[i % words.length] + " " + words[(i * 7) % words.length] + "  " + words[(i / 3) % words.length]);
    }
    return lines;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void netcatFeedingWordcountSocket_printsTheCountsOfEveryLine_inSparksFormat() throws Exception {
    List<String> lines = text(3000);
    Path input = tmp.resolve("input.txt");
    Files.write(input, lines, StandardCharsets.UTF_8);
    int port = freePort();
    // netcat-openbsd: listen once, send the file, close the connection at its end (-N).
    Process nc = new ProcessBuilder("nc", "-N", "-l", "127.0.0.1", String.valueOf(port))
        .redirectInput(input.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(tmp.resolve("nc-err.txt").toFile()).start();
    try {
      Process p = start(List.of("--socket", "127.0.0.1:" + port, "--batch", "500ms", "--duration", "4s",
          "--top", "100", "--conf", "millrace.streaming.receiverRestartDelay=200ms"), null);
      assertThat(finish(p)).as(err()).isZero();

      assertThat(totals(out())).isEqualTo(expectedCounts(lines));
      assertThat(err()).contains("3000 lines received");
    } finally {
      nc.destroy();
    }
  }

  @Test
  void noOptions_countsTheBundledSample_andDuration10s_exitsZeroAfterAGracefulStop() throws Exception {
    Process p = start(List.of("--duration", "10s"), null);
    assertThat(finish(p)).as(err()).isZero();

    String out = out();
    assertThat(out).startsWith(DASHES + "\nTime: ");
    assertThat(out.split("Time: ", -1).length - 1).isBetween(9, 12);
    assertThat(totals(out)).containsKeys("to", "be", "the");
    assertThat(err()).contains("serving a sample text on 127.0.0.1:").contains("lines received")
        .contains("millrace wordcount: web UI at http://127.0.0.1:");
    // standard output is a file, not a terminal: no progress line
    assertThat(err()).doesNotContain("batches |");
  }

  @Test
  void theWebUi_isServedWhileTheCommandRuns_andNoUiTurnsItOff() throws Exception {
    Process p = start(List.of("--duration", "5s", "--batch", "500ms"), null);
    awaitError("web UI at ");
    Matcher m = Pattern.compile("web UI at (http://127\\.0\\.0\\.1:\\d+/)").matcher(err());
    assertThat(m.find()).as(err()).isTrue();
    java.net.http.HttpResponse<String> apps = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(m.group(1) + "api/v1/applications")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(apps.statusCode()).isEqualTo(200);
    assertThat(apps.body()).contains("\"name\" : \"millrace wordcount\"");
    assertThat(finish(p)).as(err()).isZero();

    Process quiet = start(List.of("--no-ui", "--duration", "1s"), null);
    assertThat(finish(quiet)).as(err()).isZero();
    assertThat(err()).doesNotContain("web UI").contains("lines received");
  }

  @Test
  void stdin_countsEveryLine_andStopsAtTheEndOfTheInput() throws Exception {
    List<String> lines = text(500);
    Path input = tmp.resolve("input.txt");
    Files.write(input, lines, StandardCharsets.UTF_8);
    Path prefix = tmp.resolve("counts");
    Process p = start(List.of("--stdin", "--batch", "200ms", "--top", "3", "--output", prefix.toString()), input);
    assertThat(finish(p)).as(err()).isZero();

    // --top 3 prints the three most frequent words and "..." for the rest.
    assertThat(out()).contains("...\n");
    Map<String, Long> saved = new TreeMap<>();
    try (var dirs = Files.list(tmp)) {
      for (Path d : dirs.filter(x -> x.getFileName().toString().startsWith("counts-")).toList()) {
        try (var parts = Files.list(d)) {
          for (Path part : parts.filter(x -> x.getFileName().toString().startsWith("part-")).toList()) {
            for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
              Matcher m = COUNT.matcher(line);
              assertThat(m.matches()).as(line).isTrue();
              saved.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
            }
          }
        }
      }
    }
    assertThat(saved).isEqualTo(expectedCounts(lines));
  }

  @Test
  void dir_countsTheWordsOfFilesMovedIntoTheDirectory() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("in"));
    Path staging = Files.createDirectory(tmp.resolve("staging"));
    Process p = start(List.of("--dir", dir.toString(), "--batch", "500ms", "--duration", "4s", "--top", "100"), null);
    awaitOutput("Time: ");
    Files.write(staging.resolve("a.txt"), List.of("to be or", "not to be"), StandardCharsets.UTF_8);
    Files.move(staging.resolve("a.txt"), dir.resolve("a.txt"), StandardCopyOption.ATOMIC_MOVE);
    assertThat(finish(p)).as(err()).isZero();

    assertThat(totals(out())).isEqualTo(Map.of("to", 2L, "be", 2L, "or", 1L, "not", 1L));
  }

  @Test
  void sigterm_stopsGracefully_countingEveryLineAlreadyReceived() throws Exception {
    List<String> lines = text(2000);
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      // Batches of 10 s: the lines wait in the receiver until the graceful stop turns them into a batch.
      Process p = start(List.of("--socket", "127.0.0.1:" + server.getLocalPort(), "--batch", "10s", "--top", "100",
          "--conf", "millrace.streaming.receiverRestartDelay=60s"), null);
      try (Socket client = server.accept()) {
        OutputStream out = client.getOutputStream();
        out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      // The receiver logs the closed connection once it has stored every line before it.
      awaitError("Socket data stream had no more data");
      p.destroy();   // SIGTERM
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(totals(out())).isEqualTo(expectedCounts(lines));
      assertThat(err()).contains("2000 lines received");
    }
  }

  @Test
  void help_explainsEveryOption() throws Exception {
    Process p = start(List.of("--help"), null);
    assertThat(finish(p)).isZero();
    assertThat(out()).contains("--socket HOST:PORT", "--dir DIR", "--stdin", "--batch DURATION", "--master MASTER",
        "--duration DURATION", "--output PREFIX", "--top N", "--conf KEY=VALUE", "--no-ui", "--no-progress",
        "--help", "Ctrl-C");
  }

  @Test
  void badOptions_areRejectedWithStatus2AndAReason() throws Exception {
    Process p = start(List.of("--socket", "localhost"), null);
    assertThat(finish(p)).isEqualTo(2);
    assertThat(err()).contains("--socket wants HOST:PORT, got 'localhost'");

    Process both = start(List.of("--stdin", "--dir", "x"), null);
    assertThat(finish(both)).isEqualTo(2);
    assertThat(err()).contains("at most one of --socket, --dir and --stdin");
  }

  private void awaitOutput(String text) throws Exception {
    awaitFile(tmp.resolve("out.txt"), text);
  }

  private void awaitError(String text) throws Exception {
    awaitFile(tmp.resolve("err.txt"), text);
  }

  private static void awaitFile(Path file, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!(Files.exists(file) && Files.readString(file).contains(text))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for '" + text + "' in " + file + ":\n"
            + (Files.exists(file) ? Files.readString(file) : ""));
      }
      Thread.sleep(20);
    }
  }
}
