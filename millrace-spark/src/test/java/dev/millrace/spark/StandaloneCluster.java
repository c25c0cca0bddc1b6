package dev.millrace.spark;

import dev.millrace.testkit.StreamingTestHarness;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * A real Apache Spark standalone cluster for tests: one Master and {@code n} Workers, each a
 * separate JVM started from the Maven classpath of this test, with an executor per worker launched
 * by Spark itself. Ports are free ones; logs and work directories live under {@code target/}.
 *
 * <p>{@link #close()} stops the workers, then the master, and kills any process they left behind
 * (recorded by PID while they ran). Not thread-safe: one test class drives it.
 */
final class StandaloneCluster implements AutoCloseable {
  /** JIT and GC settings that halve JVM start-up on a small machine. */
  static final List<String> FAST_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  private static final long START_TIMEOUT_MS = 60_000;

  private final Path dir;
  private final String classpath;
  private final int masterPort;
  private final Process master;
  private final List<Process> workers = new ArrayList<>();
  private final List<ProcessHandle> seen = new ArrayList<>();

  private StandaloneCluster(Path dir, int workerCount) throws IOException, InterruptedException {
    this.dir = dir;
    // Absolute, since the executors start in the workers' own directories.
    this.classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(e -> Paths.get(e).toAbsolutePath().toString()).collect(java.util.stream.Collectors.joining(File.pathSeparator));
    Files.createDirectories(sparkHome().resolve("jars"));
    Files.createDirectories(sparkHome().resolve("conf"));
    Files.writeString(sparkHome().resolve("conf/log4j2.properties"),
        "rootLogger.level = warn\nrootLogger.appenderRef.stderr.ref = console\n"
            + "appender.console.type = Console\nappender.console.name = console\n"
            + "appender.console.target = SYSTEM_ERR\nappender.console.layout.type = PatternLayout\n"
            + "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n%ex\n");
    try (ServerSocket s = new ServerSocket(0)) {
      masterPort = s.getLocalPort();
    }
    master = launch("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
        String.valueOf(masterPort), "--webui-port", "0");
    awaitLog("master", "elected leader", 1);
    for (int i = 0; i < workerCount; i++) {
      Path work = dir.resolve("worker-" + i);
      Files.createDirectories(work);
      workers.add(launch("worker-" + i, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0",
          "--webui-port", "0", "--cores", "1", "--memory", "1g", "--work-dir", work.toString(), masterUrl()));
    }
    awaitLog("master", "Registering worker", workerCount);
  }

  /** Starts a master and {@code workers} workers under {@code dir}, and waits until all registered. */
  static StandaloneCluster start(Path dir, int workers) throws IOException, InterruptedException {
    return new StandaloneCluster(dir, workers);
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  Path sparkHome() {
    return dir.resolve("spark-home");
  }

  /**
   * The settings a driver needs to run on this cluster: executors get this test's classpath (the
   * cluster shares the file system), the Scala version, fast-start JVM flags, and a small heap.
   */
  Map<String, String> driverSettings() {
    return Map.of(
        "spark.executor.extraClassPath", classpath,
        "spark.executorEnv.SPARK_SCALA_VERSION", "2.13",
        "spark.executor.extraJavaOptions", String.join(" ", FAST_JVM),
        "spark.executor.memory", "512m",
        "spark.driver.host", "127.0.0.1",
        "spark.driver.bindAddress", "127.0.0.1",
        "spark.ui.enabled", "false",
        "spark.local.dir", dir.resolve("local").toString());
  }

  /** A test harness whose batches run on this cluster. */
  StreamingTestHarness.Builder harness(dev.millrace.streaming.Duration batch) {
    StreamingTestHarness.Builder b = StreamingTestHarness.builder(batch).master(masterUrl());
    driverSettings().forEach(b::set);
    return b;
  }

  /**
   * Kills (SIGKILL) the worker whose descendants include process {@code executorPid}, and those
   * descendants, as when a node dies.
   *
   * @return the worker's index, or -1 if no worker runs that process
   */
  int killWorkerRunning(long executorPid) {
    for (int i = 0; i < workers.size(); i++) {
      Process w = workers.get(i);
      List<ProcessHandle> children = w.toHandle().descendants().toList();
      if (children.stream().anyMatch(h -> h.pid() == executorPid)) {
        seen.addAll(children);
        w.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        return i;
      }
    }
    return -1;
  }

  /** The worker processes, for tests that kill one. */
  List<Process> workers() {
    return workers;
  }

  /**
   * Starts {@code mainClass} as a driver JVM of this cluster: this test's classpath, Spark's JVM
   * options and {@link #driverSettings()} as {@code -D} system properties; output to {@code
   * <name>.log}. The process is recorded, so {@link #close()} kills it if still alive.
   */
  Process startDriver(String name, String mainClass, String... args) throws IOException {
    List<String> jvm = new ArrayList<>();
    driverSettings().forEach((k, v) -> jvm.add("-D" + k + "=" + v));
    return launch(name, "-Xmx512m", jvm, mainClass, args);
  }

  private Process launch(String name, String mainClass, String... args) throws IOException {
    return launch(name, "-Xmx256m", List.of(), mainClass, args);
  }

  private Process launch(String name, String heap, List<String> jvmOptions, String mainClass, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(heap);
    cmd.addAll(jvmOptions);
    cmd.addAll(FAST_JVM);
    cmd.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
    cmd.add("-Dspark.master.rest.enabled=false");
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile()).directory(dir.toFile());
    pb.environment().put("SPARK_HOME", sparkHome().toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_LOCAL_DIRS", dir.resolve("local").toString());
    Process p = pb.start();
    seen.add(p.toHandle());
    return p;
  }

  /** Waits until the log of {@code name} holds {@code text} at least {@code times} times. */
  void awaitLog(String name, String text, int times) throws IOException, InterruptedException {
    Path log = dir.resolve(name + ".log");
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && count(Files.readString(log, StandardCharsets.UTF_8), text) >= times) {
        return;
      }
      // Polling a child process's log: the process runs on its own clock, nothing to inject.
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("'" + text + "' x" + times + " not in " + log + " within " + START_TIMEOUT_MS
        + " ms:\n" + (Files.exists(log) ? Files.readString(log) : "(no log)"));
  }

  private static int count(String s, String text) {
    int n = 0;
    for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + 1)) {
      n++;
    }
    return n;
  }

  /** Records every live descendant (executors), so that none outlives the cluster. */
  private void recordDescendants() {
    for (ProcessHandle h : List.copyOf(seen)) {
      h.descendants().forEach(seen::add);
    }
  }

  @Override
  public void close() {
    recordDescendants();
    try {
      for (Process w : workers) {
        w.destroy();
      }
      for (Process w : workers) {
        if (!w.waitFor(10, TimeUnit.SECONDS)) {
          w.destroyForcibly();
        }
      }
      master.destroy();
      if (!master.waitFor(10, TimeUnit.SECONDS)) {
        master.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // Whatever is still alive (also after an interrupt) is killed, so no test leaves a JVM behind.
      for (Process w : workers) {
        w.destroyForcibly();
      }
      master.destroyForcibly();
      for (ProcessHandle h : seen) {
        if (h.isAlive()) {
          h.destroyForcibly();
        }
      }
    }
  }

  /**
   * Stops {@code cluster} (if it started) and returns every process it started or saw started,
   * once each has exited; a test's cleanup then checks that none is left.
   */
  static List<ProcessHandle> closeAndAwaitExit(StandaloneCluster cluster) throws Exception {
    if (cluster == null) {
      return List.of();
    }
    List<ProcessHandle> started = cluster.processes();
    cluster.close();
    for (ProcessHandle h : started) {
      h.onExit().get();
    }
    return started;
  }

  /** Every process this cluster started or saw started, for a leak check. */
  List<ProcessHandle> processes() {
    recordDescendants();
    return List.copyOf(seen);
  }

  static Path targetDir(String name) throws IOException {
    Path d = Paths.get("target", name).toAbsolutePath();
    if (Files.exists(d)) {
      try (var walk = Files.walk(d)) {
        walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
    return Files.createDirectories(d);
  }
}
