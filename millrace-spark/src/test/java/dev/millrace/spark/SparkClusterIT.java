package dev.millrace.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.MillraceException;
import dev.millrace.spark.internal.SparkRuntime;
import dev.millrace.Tuple2;
import dev.millrace.api.java.JavaRDD;
import dev.millrace.api.java.Optional;
import dev.millrace.streaming.State;
import dev.millrace.streaming.StateSpec;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.api.java.JavaMapWithStateDStream;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.testkit.BatchCollector;
import dev.millrace.testkit.StreamingTestHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The same streaming programs on the local runtime and on a real Spark standalone cluster (a
 * master and two workers in their own JVMs, executors launched by the workers) give the same
 * results, batch by batch; and the tasks run in the executors.
 *
 * <p>Records of a batch that went through a shuffle come in no defined order (on Spark as on
 * Millrace's local runtime), so such batches are compared as sorted lists; batches that only went
 * through narrow steps are compared in order.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkClusterIT {
  private static final int BATCHES = 5;

  private StandaloneCluster cluster;
  private Path dir;

  @BeforeAll
  void startCluster() throws Exception {
    dir = StandaloneCluster.targetDir("spark-cluster-it");
    cluster = StandaloneCluster.start(dir, 2);
  }

  @AfterAll
  void stopCluster() throws Exception {
    for (ProcessHandle h : StandaloneCluster.closeAndAwaitExit(cluster)) {
      assertThat(h.isAlive()).as("process %s still running", h.pid()).isFalse();
    }
  }

  /** Builds a program on a harness and registers the outputs to compare. */
  @FunctionalInterface
  interface Program {
    Map<String, BatchCollector<?>> build(StreamingTestHarness h) throws Exception;
  }

  private static final List<List<String>> LINES = List.of(
      List.of("the quick brown fox", "jumps over the lazy dog", "the end"),
      List.of("a b c", "a b", "a"),
      List.of(),
      List.of("fox dog fox", "dog", "quick quick quick", "the the"),
      List.of("z y x w v u t s r q p o n m l k j i h g f e d c b a"));

  /** Runs {@code program} for {@link #BATCHES} batches; returns each output's batches. */
  private Map<String, List<List<?>>> run(StreamingTestHarness.Builder builder, Program program, String name)
      throws Exception {
    Path checkpoint = Files.createDirectories(dir.resolve("checkpoint-" + name));
    try (StreamingTestHarness h = builder.build()) {
      h.context().checkpoint(checkpoint.toString());
      Map<String, BatchCollector<?>> outputs = program.build(h);
      h.runBatches(BATCHES);
      Map<String, List<List<?>>> result = new LinkedHashMap<>();
      outputs.forEach((k, c) -> {
        List<List<?>> batches = new ArrayList<>();
        batches.addAll(c.batches());
        result.put(k, batches);
      });
      return result;
    }
  }

  private void assertSameOnClusterAsLocally(Program program, Set<String> ordered) throws Exception {
    Map<String, List<List<?>>> local =
        run(StreamingTestHarness.builder(Durations.seconds(1)).master("local[2]"), program, "local");
    Map<String, List<List<?>>> onCluster = run(cluster.harness(Durations.seconds(1)), program, "cluster");
    assertThat(onCluster.keySet()).isEqualTo(local.keySet());
    for (String output : local.keySet()) {
      assertThat(onCluster.get(output)).as(output).hasSize(BATCHES);
      for (int b = 0; b < BATCHES; b++) {
        List<Object> expected = new ArrayList<>(local.get(output).get(b));
        List<Object> actual = new ArrayList<>(onCluster.get(output).get(b));
        if (ordered.contains(output)) {
          assertThat(actual).as("%s, batch %d", output, b + 1).containsExactlyElementsOf(expected);
        } else {
          assertThat(sorted(actual)).as("%s, batch %d", output, b + 1).isEqualTo(sorted(expected));
        }
      }
    }
  }

  /** A canonical form: groups' value lists sorted, then records sorted by their text. */
  private static List<String> sorted(List<?> records) {
    return records.stream().map(SparkClusterIT::canonical).sorted().collect(Collectors.toList());
  }

  private static String canonical(Object o) {
    if (o instanceof Tuple2) {
      Tuple2<?, ?> t = (Tuple2<?, ?>) o;
      return "(" + canonical(t._1()) + "," + canonical(t._2()) + ")";
    }
    if (o instanceof Iterable) {
      List<String> items = new ArrayList<>();
      ((Iterable<?>) o).forEach(x -> items.add(canonical(x)));
      items.sort(Comparator.naturalOrder());
      return items.toString();
    }
    return String.valueOf(o);
  }

  private static JavaPairDStream<String, Integer> wordCounts(JavaDStream<String> lines) {
    return lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator())
        .mapToPair(w -> new Tuple2<>(w, 1))
        .reduceByKey(Integer::sum);
  }

  @Test
  void wordCount_givesTheLocalResultsBatchByBatch() throws Exception {
    assertSameOnClusterAsLocally(h -> Map.of("counts", h.collect(wordCounts(h.input(LINES)))), Set.of());
  }

  @Test
  void statelessOperations_giveTheLocalResultsBatchByBatch() throws Exception {
    assertSameOnClusterAsLocally(h -> {
      JavaDStream<String> lines = h.input(LINES);
      JavaDStream<String> words = lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator());
      JavaPairDStream<String, Integer> lengths = words.mapToPair(w -> new Tuple2<>(w, w.length()));
      JavaPairDStream<String, Integer> counts = wordCounts(lines);
      Map<String, BatchCollector<?>> out = new LinkedHashMap<>();
      out.put("map", h.collect(lines.map(String::toUpperCase)));
      out.put("filter", h.collect(words.filter(w -> w.length() > 3)));
      out.put("mapPartitions", h.collect(words.mapPartitions(it -> {
        int n = 0;
        while (it.hasNext()) {
          it.next();
          n++;
        }
        return List.of(n).iterator();
      })));
      out.put("union", h.collect(lines.union(words)));
      out.put("count", h.collect(words.count()));
      out.put("groupByKey", h.collect(lengths.groupByKey(3)));
      out.put("join", h.collect(counts.join(lengths.reduceByKey(Math::max))));
      out.put("leftOuterJoin", h.collect(counts.leftOuterJoin(lengths.filter(t -> t._2() > 3))));
      out.put("repartition", h.collect(words.repartition(3)));
      out.put("transform-sortByKey", h.collect(counts.transformToPair(rdd -> rdd.sortByKey())));
      out.put("countByValue", h.collect(words.countByValue()));
      return out;
    }, Set.of("map", "filter", "mapPartitions", "union", "count", "transform-sortByKey"));
  }

  @Test
  void windows_giveTheLocalResultsBatchByBatch() throws Exception {
    assertSameOnClusterAsLocally(h -> {
      JavaDStream<String> lines = h.input(LINES);
      JavaPairDStream<String, Integer> pairs = lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator())
          .mapToPair(w -> new Tuple2<>(w, 1));
      Map<String, BatchCollector<?>> out = new LinkedHashMap<>();
      out.put("window", h.collect(lines.window(Durations.seconds(3), Durations.seconds(1))));
      out.put("reduceByKeyAndWindow", h.collect(
          pairs.reduceByKeyAndWindow(Integer::sum, Durations.seconds(3), Durations.seconds(1))));
      out.put("reduceByKeyAndWindow-inverse", h.collect(pairs.reduceByKeyAndWindow(Integer::sum,
          (a, b) -> a - b, Durations.seconds(3), Durations.seconds(1))));
      out.put("countByWindow", h.collect(lines.countByWindow(Durations.seconds(2), Durations.seconds(1))));
      return out;
    }, Set.of("window", "countByWindow"));
  }

  @Test
  void updateStateByKey_givesTheLocalResultsBatchByBatch() throws Exception {
    assertSameOnClusterAsLocally(h -> {
      JavaPairDStream<String, Integer> pairs = h.input(LINES)
          .flatMap(l -> Arrays.asList(l.split(" ")).iterator())
          .mapToPair(w -> new Tuple2<>(w, 1));
      JavaPairDStream<String, Integer> totals = pairs.updateStateByKey((List<Integer> values, Optional<Integer> s) -> {
        int sum = s.orElse(0);
        for (int v : values) {
          sum += v;
        }
        return Optional.of(sum);
      });
      return Map.of("totals", h.collect(totals));
    }, Set.of());
  }

  @Test
  void mapWithState_givesTheLocalResultsBatchByBatch() throws Exception {
    assertSameOnClusterAsLocally(h -> {
      JavaPairDStream<String, Integer> pairs = h.input(LINES)
          .flatMap(l -> Arrays.asList(l.split(" ")).iterator())
          .mapToPair(w -> new Tuple2<>(w, 1));
      JavaMapWithStateDStream<String, Integer, Integer, String> mapped = pairs.mapWithState(
          StateSpec.function((String word, Optional<Integer> one, State<Integer> state) -> {
            int total = (state.exists() ? state.get() : 0) + one.orElse(0);
            state.update(total);
            return word + "=" + total;
          }));
      Map<String, BatchCollector<?>> out = new LinkedHashMap<>();
      out.put("mapped", h.collect(mapped));
      out.put("snapshots", h.collect(mapped.stateSnapshots()));
      return out;
    }, Set.of());
  }

  /** Batch b brings 20,000 words over keys k0..k39999: 20,000 distinct keys at first, 40,000 by batch 5. */
  private static final List<List<String>> MANY_KEYS = manyKeys();

  private static List<List<String>> manyKeys() {
    List<List<String>> batches = new ArrayList<>();
    for (int b = 0; b < BATCHES; b++) {
      List<String> lines = new ArrayList<>();
      for (int l = 0; l < 2_000; l++) {
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < 10; w++) {
          sb.append(w == 0 ? "" : " ").append('k').append((b * 5_000 + l * 10 + w) % 40_000);
        }
        lines.add(sb.toString());
      }
      batches.add(lines);
    }
    return batches;
  }

  /**
   * A state's size and an order-free checksum of its pairs, computed on the executors: one short
   * string per batch reaches the driver.
   */
  private static JavaDStream<String> summary(JavaPairDStream<String, Integer> state) {
    return state.mapPartitions(it -> {
      long n = 0;
      long sum = 0;
      while (it.hasNext()) {
        Tuple2<String, Integer> t = it.next();
        n++;
        sum += (long) (t._1() + "=" + t._2()).hashCode() * 2654435761L;
      }
      return List.of(new long[] {n, sum}).iterator();
    }).reduce((a, b) -> new long[] {a[0] + b[0], a[1] + b[1]}).map(a -> a[0] + " keys, checksum " + a[1]);
  }

  /**
   * Keyed state (updateStateByKey, mapWithState, reduceByKeyAndWindow with an inverse) of up to
   * 40,000 keys per stream stays on the executors: each batch's state is persisted there, the
   * previous one unpersisted, checkpointed at the stream's interval, and never brought to the
   * driver (all the tasks' results together are a small fraction of one state); its size and
   * checksum are those of local[2], batch by batch.
   */
  @Test
  void keyedState_staysOnTheExecutors_andGivesTheLocalResultsBatchByBatch() throws Exception {
    java.util.concurrent.atomic.AtomicReference<JavaPairDStream<String, Integer>> totalsStream =
        new java.util.concurrent.atomic.AtomicReference<>();
    Program program = h -> {
      JavaPairDStream<String, Integer> pairs = h.input(MANY_KEYS)
          .flatMap(l -> Arrays.asList(l.split(" ")).iterator())
          .mapToPair(w -> new Tuple2<>(w, 1));
      JavaPairDStream<String, Integer> totals = pairs.updateStateByKey((List<Integer> values, Optional<Integer> s) -> {
        int sum = s.orElse(0);
        for (int v : values) {
          sum += v;
        }
        return Optional.of(sum);
      });
      totals.checkpoint(Durations.seconds(2));
      totalsStream.set(totals);
      JavaMapWithStateDStream<String, Integer, Integer, Integer> mapped = pairs.mapWithState(
          StateSpec.function((String word, Optional<Integer> one, State<Integer> state) -> {
            int total = (state.exists() ? state.get() : 0) + one.orElse(0);
            state.update(total);
            return total;
          }));
      JavaPairDStream<String, Integer> windowed = pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b,
          Durations.seconds(3), Durations.seconds(1));
      Map<String, BatchCollector<?>> out = new LinkedHashMap<>();
      out.put("updateStateByKey", h.collect(summary(totals)));
      out.put("mapWithState snapshots", h.collect(summary(mapped.stateSnapshots())));
      out.put("mapWithState values", h.collect(mapped.count()));
      out.put("reduceByKeyAndWindow-inverse", h.collect(summary(windowed)));
      return out;
    };
    Map<String, List<List<?>>> local =
        run(StreamingTestHarness.builder(Durations.seconds(1)).master("local[2]"), program, "state-local");
    assertThat(local.get("updateStateByKey").get(BATCHES - 1)).singleElement().asString().startsWith("40000 keys");

    Path checkpoint = Files.createDirectories(dir.resolve("checkpoint-state-cluster"));
    Map<String, List<List<?>>> onCluster = new LinkedHashMap<>();
    SparkRuntime.StateStats stats;
    java.util.OptionalLong stateSize;
    java.util.concurrent.atomic.AtomicLong resultBytes = new java.util.concurrent.atomic.AtomicLong();
    List<String> persisted = new ArrayList<>();
    try (StreamingTestHarness h = cluster.harness(Durations.seconds(1)).inputPartitions(4).build()) {
      h.context().checkpoint(checkpoint.toString());
      SparkRuntime runtime = (SparkRuntime) h.context().sparkContext().engine().runtime();
      // As in Spark, the application id is the one the cluster manager gave (shown in the UI and REST).
      assertThat(h.context().sparkContext().engine().conf().getAppId())
          .isEqualTo(runtime.sparkContext().sc().applicationId()).matches("app-\\d{14}-\\d{4}");
      runtime.sparkContext().sc().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
        @Override
        public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
          if (end.taskMetrics() != null) {
            resultBytes.addAndGet(end.taskMetrics().resultSize());
          }
        }
      });
      Map<String, BatchCollector<?>> outputs = program.build(h);
      h.runBatches(BATCHES);
      outputs.forEach((k, c) -> onCluster.put(k, new ArrayList<>(c.batches())));
      // The key count the UI and /metrics show: a Spark job over the kept partitions.
      stateSize = totalsStream.get().dstream().stateSize();
      // The last batch's clean-up runs after its outputs: wait for it (it is on the driver's clock).
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
      do {
        stats = runtime.stateStats();
        persisted.clear();
        runtime.sparkContext().getPersistentRDDs().values().forEach(r -> persisted.add(r.rdd().getClass().getSimpleName()));
        if (stats.released() == 3L * (BATCHES - 1) && persisted.size() <= 7) {
          break;
        }
        Thread.sleep(50);
      } while (System.nanoTime() < deadline);
    }
    for (String output : local.keySet()) {
      assertThat(onCluster.get(output)).as(output).isEqualTo(local.get(output));
    }
    assertThat(stateSize).hasValue(40_000);
    // Three stateful streams, one kept dataset each per batch; all but the newest unpersisted.
    assertThat(stats.kept()).isEqualTo(3L * BATCHES);
    assertThat(stats.released()).isEqualTo(3L * (BATCHES - 1));
    assertThat(stats.partitionsFetched()).as("state partitions brought to the driver").isZero();
    // updateStateByKey checkpoints every 2 s: batches 2 and 4, written by Spark under spark-rdd/.
    assertThat(stats.checkpointed()).isEqualTo(2);
    try (var files = Files.walk(checkpoint.resolve("spark-rdd"))) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith("part-")).count()).isPositive();
    }
    // The Millrace state checkpoint of batch 4, written by the executors, holds batch 4's state.
    dev.millrace.streaming.internal.checkpoint.StateCheckpoint written =
        dev.millrace.streaming.internal.checkpoint.StateCheckpointFiles.read(checkpoint, "updateStateByKey-0", 4000);
    assertThat(written.size() + " keys").isEqualTo(
        local.get("updateStateByKey").get(3).get(0).toString().split(",")[0]);
    // Cached in Spark now: the newest state of each stream, and the window's reduced batches that
    // the window still needs (4 s: the window and one slide); older ones were unpersisted.
    assertThat(persisted.stream().filter(n -> n.equals("KeptRDD")).count()).as("persisted: %s", persisted)
        .isEqualTo(3);
    assertThat(persisted).as("persisted").hasSizeLessThanOrEqualTo(7);
    // Each state is at least 20,000 keys of 8+ bytes: 15 states moved to the driver would be
    // over 2.4 MB. Everything the tasks sent back (counts, checksums, metrics) is far less.
    assertThat(resultBytes.get()).as("bytes of task results").isLessThan(600_000);
  }

  /**
   * A stateful word count over a directory runs as a child driver JVM on the cluster; it is killed
   * with SIGKILL while it works, restarted with getOrCreate (which restores the state from the
   * checkpoint the executors wrote), and the final state counts every word of every file exactly
   * once. The first driver's executors end with it.
   */
  @Test
  @Order(Integer.MAX_VALUE - 1)
  void killingTheDriver_thenGetOrCreate_recoversTheStateOnTheCluster() throws Exception {
    Path base = Files.createDirectories(dir.resolve("restart"));
    Path in = Files.createDirectories(base.resolve("in"));
    Path staging = Files.createDirectories(base.resolve("staging"));
    Path out = Files.createDirectories(base.resolve("out"));
    Path ck = base.resolve("ck");
    String[] args = {cluster.masterUrl(), in.toString(), ck.toString(), out.toString(), "1000", "3000"};
    Map<String, Long> expected = new java.util.TreeMap<>();
    java.util.Random random = new java.util.Random(20261124);
    int[] files = {0};
    Runnable addFile = () -> {
      try {
        StringBuilder text = new StringBuilder();
        for (int line = 0; line < 100; line++) {
          for (int w = 0; w < 5; w++) {
            String word = "w" + random.nextInt(30);
            expected.merge(word, 1L, Long::sum);
            text.append(w == 0 ? "" : " ").append(word);
          }
          text.append('\n');
        }
        Path staged = staging.resolve("input-" + (++files[0]) + ".txt");
        Files.writeString(staged, text);
        Files.move(staged, in.resolve(staged.getFileName()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    Process first = cluster.startDriver("driver-1", StatefulRestartJob.class.getName(), args);
    Process second = null;
    try {
      cluster.awaitLog("driver-1", "CREATED", 1);
      cluster.awaitLog("driver-1", "STARTED", 1);
      // Files whose modification time is not after the stream's start are ignored (as in Spark),
      // and the file system's clock is coarser than the JVM's: add files once a batch has run.
      awaitFirstBatch(out);
      for (int i = 0; i < 3; i++) {
        addFile.run();
      }
      Map<String, Long> afterThree = new java.util.TreeMap<>(expected);
      assertThat(awaitState(out, afterThree)).as("state after 3 files").isEqualTo(afterThree);
      for (int i = 0; i < 3; i++) {
        addFile.run();
      }
      // Killed while it works on the new files: as soon as a batch with some of them is out.
      awaitStateChange(out, afterThree);
      List<ProcessHandle> firstExecutors = new ArrayList<>();
      for (Process w : cluster.workers()) {
        w.toHandle().descendants().forEach(firstExecutors::add);
      }
      first.destroyForcibly();
      first.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);

      second = cluster.startDriver("driver-2", StatefulRestartJob.class.getName(), args);
      cluster.awaitLog("driver-2", "RECOVERED", 1);
      cluster.awaitLog("driver-2", "STARTED", 1);
      // The state came from the state checkpoint (not from re-reading every file).
      assertThat(Files.readString(dir.resolve("driver-2.log"))).contains("Restored the state of updateStateByKey-0");
      for (int i = 0; i < 2; i++) {
        addFile.run();
      }
      assertThat(awaitState(out, expected)).as("state after %d files", files[0]).isEqualTo(expected);
      for (ProcessHandle e : firstExecutors) {
        e.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      first.destroyForcibly();
      if (second != null) {
        second.destroyForcibly();
        second.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
    assertThat(first.isAlive()).isFalse();
    assertThat(second.isAlive()).isFalse();
  }

  /** The newest state the job wrote, as word -> count; empty if none yet. */
  private static Map<String, Long> newestState(Path out) throws java.io.IOException {
    java.util.Optional<Path> newest;
    try (var list = Files.list(out)) {
      newest = list.filter(p -> p.getFileName().toString().startsWith("state-"))
          .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().replaceAll("\\D", ""))));
    }
    Map<String, Long> state = new java.util.TreeMap<>();
    if (newest.isPresent()) {
      for (String line : Files.readAllLines(newest.get())) {
        String[] f = line.split(" ");
        state.put(f[0], Long.parseLong(f[1]));
      }
    }
    return state;
  }

  /** Waits (up to 120 s) until the newest state equals {@code expected}; returns the newest state. */
  private static Map<String, Long> awaitState(Path out, Map<String, Long> expected) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
    Map<String, Long> state = newestState(out);
    while (!state.equals(expected) && System.nanoTime() < deadline) {
      // Waiting on a driver in another process: nothing to inject a clock into.
      Thread.sleep(100);
      state = newestState(out);
    }
    return state;
  }

  /** Waits (up to 60 s) until the job has written the state of its first batch. */
  private static void awaitFirstBatch(Path out) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try (var list = Files.list(out)) {
        if (list.anyMatch(p -> p.getFileName().toString().startsWith("state-"))) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the job wrote no state within 60 s");
  }

  /** Waits (up to 60 s) until the newest state is no longer {@code before}. */
  private static void awaitStateChange(Path out, Map<String, Long> before) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (newestState(out).equals(before) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  /**
   * Kills one worker and its executor while the tasks of batch 4 run (each task waits for a release
   * file after announcing itself): Spark re-runs the lost tasks on the other executor, and
   * recomputes the state partitions that were cached on the lost executor from their lineage; every
   * batch's results, the kept state's included, are still exact. Runs last, as it leaves the
   * cluster with one worker.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void killingAWorkerDuringABatch_stillGivesExactResults() throws Exception {
    Path signals = Files.createDirectories(dir.resolve("signals"));
    String signalDir = signals.toString();
    Program program = h -> {
      JavaDStream<String> lines = h.input(LINES).transform((rdd, time) -> {
        boolean gated = time.milliseconds() == 4000;
        return rdd.mapPartitions(it -> {
        List<String> records = new ArrayList<>();
        it.forEachRemaining(records::add);
        Path d = Path.of(signalDir);
        if (gated && Files.exists(d)) {
          Files.createFile(d.resolve("started-" + ProcessHandle.current().pid() + "-" + java.util.UUID.randomUUID()));
          while (!Files.exists(d.resolve("release"))) {
            Thread.sleep(20);
          }
        }
        return records.iterator();
      });
      });
      JavaPairDStream<String, Integer> totals = lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator())
          .mapToPair(w -> new Tuple2<>(w, 1))
          .updateStateByKey((List<Integer> values, Optional<Integer> s) -> {
            int sum = s.orElse(0);
            for (int v : values) {
              sum += v;
            }
            return Optional.of(sum);
          });
      return Map.of("counts", h.collect(wordCounts(lines)), "totals", h.collect(totals));
    };
    // The expected results, computed locally before the signal directory gates the tasks.
    Files.delete(signals);
    Map<String, List<List<?>>> local =
        run(StreamingTestHarness.builder(Durations.seconds(1)).master("local[2]"), program, "kill-local");
    Files.createDirectories(signals);
    java.util.concurrent.CompletableFuture<Map<String, List<List<?>>>> onCluster =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            return run(cluster.harness(Durations.seconds(1)).inputPartitions(4), program, "kill-cluster");
          } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        });
    long victim = awaitFirstStartedTask(signals);
    int killed = cluster.killWorkerRunning(victim);
    assertThat(killed).as("worker whose executor is %d", victim).isNotNegative();
    Files.createFile(signals.resolve("release"));
    Map<String, List<List<?>>> result = onCluster.get(3, java.util.concurrent.TimeUnit.MINUTES);
    for (String output : List.of("counts", "totals")) {
      for (int b = 0; b < BATCHES; b++) {
        assertThat(sorted(result.get(output).get(b))).as("%s, batch %d", output, b + 1)
            .isEqualTo(sorted(local.get(output).get(b)));
      }
    }
    java.util.Optional<ProcessHandle> killedExecutor = ProcessHandle.of(victim);
    if (killedExecutor.isPresent()) {
      killedExecutor.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private static long awaitFirstStartedTask(Path signals) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      try (var files = Files.list(signals)) {
        java.util.Optional<String> first = files.map(p -> p.getFileName().toString())
            .filter(n -> n.startsWith("started-")).findFirst();
        if (first.isPresent()) {
          return Long.parseLong(first.get().split("-")[1]);
        }
      }
      // Waiting on tasks in other processes: nothing to inject a clock into.
      Thread.sleep(20);
    }
    throw new AssertionError("no task started within 120 s");
  }

  @Test
  void tasksRunInExecutorProcessesStartedByTheWorkers() throws Exception {
    long driver = ProcessHandle.current().pid();
    List<List<Long>> pids;
    List<Long> sourcePids = new ArrayList<>();
    Set<Long> workerDescendants;
    try (StreamingTestHarness h = cluster.harness(Durations.seconds(1)).inputPartitions(4).build()) {
      h.context().checkpoint(Files.createDirectories(dir.resolve("checkpoint-pids")).toString());
      BatchCollector<Long> c = h.collect(h.input(LINES).map(l -> ProcessHandle.current().pid()));
      // A source that reads its own partitions is computed on the executors, not on the driver.
      BatchCollector<String> sourced = h.collect(h.input(LINES).transform(
          rdd -> new JavaRDD<>(new ProcessIdRDD(rdd.rdd().context(), 3))));
      // A state update runs on the executors too.
      BatchCollector<Tuple2<String, Long>> statePids = h.collect(h.input(LINES)
          .mapToPair(l -> new Tuple2<>(l, 1))
          .updateStateByKey((List<Integer> vs, Optional<Long> s) -> Optional.of(ProcessHandle.current().pid())));
      h.runBatches(2);
      pids = c.batches();
      for (List<Tuple2<String, Long>> batch : statePids.batches()) {
        assertThat(batch).isNotEmpty();
        batch.forEach(t -> sourcePids.add(t._2()));
      }
      // While the application runs: its executors end when it stops.
      workerDescendants = cluster.processes().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
      for (List<String> batch : sourced.batches()) {
        assertThat(batch).hasSize(3);
        for (int p = 0; p < 3; p++) {
          assertThat(batch.get(p)).startsWith(p + ":");
          sourcePids.add(Long.parseLong(batch.get(p).substring(2)));
        }
      }
    }
    assertThat(pids.get(0)).hasSize(3).doesNotContain(driver);
    assertThat(pids.get(1)).hasSize(3).doesNotContain(driver);
    assertThat(workerDescendants).containsAll(pids.get(0)).containsAll(pids.get(1)).containsAll(sourcePids);
    assertThat(sourcePids).hasSizeGreaterThan(6).doesNotContain(driver);
  }

  @Test
  void aFunctionThatCannotBeSerialized_failsTheBatchNamingItsOperation() throws Exception {
    Object notSerializable = new Object();
    try (StreamingTestHarness h = cluster.harness(Durations.seconds(1)).build()) {
      h.collect(h.input(LINES).filter(l -> l.hashCode() != notSerializable.hashCode()));
      MillraceException e = assertThrows(MillraceException.class, () -> h.runBatches(1));
      assertThat(e).hasMessageContaining("filter").hasMessageContaining("java.lang.Object is not serializable");
    }
  }

  @Test
  void aUserFunctionThatThrowsOnAnExecutor_failsTheBatchNamingItsOperationAndBatch() throws Exception {
    try (StreamingTestHarness h = cluster.harness(Durations.seconds(1)).set("spark.task.maxFailures", "1").build()) {
      h.collect(wordCounts(h.input(LINES)).mapValues(n -> {
        if (n > 2) {
          throw new IllegalStateException("too many: " + n);
        }
        return n;
      }));
      MillraceException e = assertThrows(MillraceException.class, () -> h.runBatches(1));
      assertThat(e).hasMessageContaining("Batch 1000 ms").hasMessageContaining("'mapValues'")
          .hasMessageContaining("too many: 3");
    }
  }
}
