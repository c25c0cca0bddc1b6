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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/millrace wordcount --master local-cluster[2,1,1024]}: the command runs its batches on
 * Apache Spark, with a master and two workers in the driver's JVM and two executors in JVMs of their
 * own. The executors get Spark's jars but not Millrace's, which reach them only as the jars the
 * command ships ({@code spark.jars}), and they read the directory's files.
 */
@Tag("cluster")
class WordCountSparkCliIT {
  private static final Path ROOT = Paths.get("").toAbsolutePath().getParent();
  private static final Path SCRIPT = ROOT.resolve("bin/millrace");
  private static final Path JAR = ROOT.resolve("millrace-cli/target/millrace.jar");
  private static final Pattern COUNT = Pattern.compile("^\\((.+),(\\d+)\\)$");

  @TempDir Path tmp;

  @Test
  void wordcount_onALocalCluster_countsTheFilesOnTheExecutors_withTheJarShipped() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("in"));
    Path staging = Files.createDirectory(tmp.resolve("staging"));
    Path sparkHome = Files.createDirectories(tmp.resolve("spark-home"));
    Files.createDirectories(sparkHome.resolve("jars"));
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString(), "wordcount", "--master", "local-cluster[2,1,1024]",
        "--dir", dir.toString(), "--batch", "1s", "--top", "100", "--no-ui",
        "--conf", "spark.executor.memory=512m", "--conf", "spark.executor.extraJavaOptions=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.local.dir=" + tmp.resolve("local")));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
    // The jars were built by this build's package phase (this module's and millrace-spark's).
    pb.environment().put("MILLRACE_JAR", JAR.toString());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("MILLRACE_JAVA_OPTS", "-Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    Process p = pb.start();
    try {
      awaitFile(tmp.resolve("out.txt"), "Time: ", p);
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        lines.add("to be or not to be " + (i % 7 == 0 ? "question" : "answer"));
      }
      Files.write(staging.resolve("a.txt"), lines, StandardCharsets.UTF_8);
      Files.write(staging.resolve("b.txt"), List.of("whether tis nobler", "to suffer"), StandardCharsets.UTF_8);
      Files.move(staging.resolve("a.txt"), dir.resolve("a.txt"), StandardCopyOption.ATOMIC_MOVE);
      Files.move(staging.resolve("b.txt"), dir.resolve("b.txt"), StandardCopyOption.ATOMIC_MOVE);
      awaitFile(tmp.resolve("out.txt"), "(whether,1)", p);
      // The executors are JVMs started by the in-process workers: children of the command's JVM.
      assertThat(p.toHandle().descendants().count()).as("executor JVMs").isGreaterThanOrEqualTo(2);
      p.destroy();   // SIGTERM: a graceful stop
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the command ended").isTrue();
    } finally {
      p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    assertThat(totals(Files.readString(tmp.resolve("out.txt"))))
        .isEqualTo(Map.of("to", 601L, "be", 600L, "or", 300L, "not", 300L, "question", 43L, "answer", 257L,
            "whether", 1L, "tis", 1L, "nobler", 1L, "suffer", 1L));
    // The executors fetched the command's jar (and millrace-spark's) into their work directories.
    try (var files = Files.walk(sparkHome.resolve("work"))) {
      assertThat(files.map(f -> f.getFileName().toString()).toList()).contains("millrace.jar");
    }
  }

  /** Sums the printed counts of every batch. */
  private static Map<String, Long> totals(String printed) {
    Map<String, Long> totals = new TreeMap<>();
    for (String line : printed.split("\n")) {
      Matcher m = COUNT.matcher(line);
      if (m.matches()) {
        totals.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
      }
    }
    return totals;
  }

  private void awaitFile(Path file, String text, Process p) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!(Files.exists(file) && Files.readString(file).contains(text))) {
      if (System.nanoTime() > deadline || !p.isAlive()) {
        throw new AssertionError("no '" + text + "' in " + file + " (command " + (p.isAlive() ? "running" : "ended")
            + "):\n" + (Files.exists(file) ? Files.readString(file) : "") + "\nstderr:\n"
            + Files.readString(tmp.resolve("err.txt")));
      }
      // Polling another process's output: nothing to inject a clock into.
      Thread.sleep(50);
    }
  }
}
