package dev.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/millrace wordcount --dir IN --checkpoint CK --output OUT} killed with SIGKILL and
 * started again counts every word once; {@code bin/millrace checkpoint inspect CK} shows the
 * checkpoint.
 */
class CheckpointCliIT {
  private static final Path ROOT = Paths.get("").toAbsolutePath().getParent();
  private static final Path SCRIPT = ROOT.resolve("bin/millrace");
  private static final Path JAR = ROOT.resolve("millrace-cli/target/millrace.jar");

  @TempDir
  Path tmp;

  private Process millrace(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(SCRIPT.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("MILLRACE_JAR", JAR.toString());
    return pb.start();
  }

  private Process wordcount(Path log) throws IOException {
    return millrace(log, "wordcount", "--dir", tmp.resolve("in").toString(), "--checkpoint",
        tmp.resolve("ck").toString(), "--output", tmp.resolve("out").resolve("counts").toString(), "--batch", "200ms",
        "--no-ui", "--no-progress");
  }

  private void moveIn(String name, String text) throws IOException {
    Path staged = tmp.resolve(name);
    Files.writeString(staged, text, StandardCharsets.UTF_8);
    Files.move(staged, tmp.resolve("in").resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private Map<String, Long> counts() throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    Path out = tmp.resolve("out");
    try (Stream<Path> dirs = Files.list(out)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        if (!d.getFileName().toString().startsWith("counts-") || !Files.exists(d.resolve("_SUCCESS"))) {
          continue;
        }
        try (Stream<Path> parts = Files.list(d)) {
          for (Path p : (Iterable<Path>) parts::iterator) {
            if (p.getFileName().toString().startsWith("part-")) {
              for (String line : Files.readAllLines(p)) {
                int comma = line.lastIndexOf(',');
                counts.merge(line.substring(1, comma), Long.parseLong(line.substring(comma + 1, line.length() - 1)),
                    Long::sum);
              }
            }
          }
        }
      }
    }
    return counts;
  }

  private void awaitCounts(Map<String, Long> expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!counts().equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private static void awaitText(Path log, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while ((!Files.exists(log) || !Files.readString(log).contains(text)) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  @Test
  void wordcountWithCheckpoint_killedAndRestarted_countsEveryWordOnce_andInspectShowsTheCheckpoint() throws Exception {
    Files.createDirectories(tmp.resolve("in"));
    Files.createDirectories(tmp.resolve("out"));
    Path log1 = tmp.resolve("run1.log");
    Process first = wordcount(log1);
    awaitText(log1, "Time: ");
    moveIn("a.txt", "to be or not to be\n");
    awaitCounts(Map.of("to", 2L, "be", 2L, "or", 1L, "not", 1L));
    first.destroyForcibly();
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

    moveIn("b.txt", "to sleep\n"); // arrives while the job is down
    Path log2 = tmp.resolve("run2.log");
    Process second = wordcount(log2);
    Map<String, Long> expected = Map.of("to", 3L, "be", 2L, "or", 1L, "not", 1L, "sleep", 1L);
    awaitCounts(expected);
    second.destroy();
    assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(counts()).as("run 2 log:%n%s", Files.readString(log2)).isEqualTo(expected);

    Path inspectLog = tmp.resolve("inspect.log");
    Process inspect = millrace(inspectLog, "checkpoint", "inspect", tmp.resolve("ck").toString());
    assertThat(inspect.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String printed = Files.readString(inspectLog);
    assertThat(inspect.exitValue()).as(printed).isEqualTo(0);
    assertThat(printed).contains("batch interval:        200 ms", "pending batches:       none",
        "input-textFileStream-0 (textFileStream, files progress v1", "1 file(s): a.txt", "1 file(s): b.txt");
  }
}
