package dev.millrace.streaming.recovery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Starting, killing and reading the output of {@link FaultInjectionJob} in child JVMs. */
final class FaultInjection {
  private FaultInjection() {}

  /** One fault-injection run, driven by a seeded random source. */
  interface SeededRun {
    void run(long seed) throws Exception;
  }

  /**
   * Runs {@code run} with the seed given by {@code -Dmillrace.faultSeed}, or a fresh one; a failure
   * names the seed and how to rerun it.
   */
  static void withSeed(SeededRun run) {
    long seed = Long.getLong("millrace.faultSeed", System.nanoTime());
    try {
      run.run(seed);
    } catch (Throwable e) {
      throw new AssertionError("fault-injection run with seed " + seed + " failed (rerun with -Dmillrace.faultSeed="
          + seed + "): " + e.getMessage(), e);
    }
  }

  /** Starts the job in a child JVM on this JVM's class path; its output goes to {@code log}. */
  static Process start(List<String> jvmProps, Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Xshare:auto");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.addAll(jvmProps);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(FaultInjectionJob.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  /** SIGKILL and wait. */
  static void kill(Process p) throws InterruptedException {
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  /** Sums the counts of every complete batch directory {@code out-<ms>} under {@code outParent}. */
  static Map<String, Long> readCounts(Path outParent, String prefix) throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(outParent)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        if (!d.getFileName().toString().startsWith(prefix + "-") || !Files.exists(d.resolve("_SUCCESS"))) {
          continue;
        }
        try (Stream<Path> parts = Files.list(d)) {
          for (Path part : (Iterable<Path>) parts::iterator) {
            if (!part.getFileName().toString().startsWith("part-")) {
              continue;
            }
            for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
              // (word,count)
              int comma = line.lastIndexOf(',');
              counts.merge(line.substring(1, comma), Long.parseLong(line.substring(comma + 1, line.length() - 1)),
                  Long::sum);
            }
          }
        }
      }
    }
    return counts;
  }

  static long total(Map<String, Long> counts) {
    long n = 0;
    for (long c : counts.values()) {
      n += c;
    }
    return n;
  }

  /** The last lines of a log, for failure messages. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Waits until the child printed {@code marker} (or died). */
  static boolean awaitLine(Path log, String marker, long timeoutMs) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(log),
            StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            if (line.contains(marker)) {
              return true;
            }
          }
        }
      }
      Thread.sleep(20);
    }
    return false;
  }
}
