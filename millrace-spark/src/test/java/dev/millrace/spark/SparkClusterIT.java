package dev.millrace.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.MillraceException;
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
    List<ProcessHandle> started = cluster == null ? List.of() : cluster.processes();
    if (cluster != null) {
      cluster.close();
    }
    for (ProcessHandle h : started) {
      h.onExit().get();
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

  /**
   * Kills one worker and its executor while the batch's tasks run (each task waits for a release
   * file after announcing itself): Spark re-runs the lost tasks on the other executor and the
   * batch's results are still exact. Runs last, as it leaves the cluster with one worker.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void killingAWorkerDuringABatch_stillGivesExactResults() throws Exception {
    Path signals = Files.createDirectories(dir.resolve("signals"));
    String signalDir = signals.toString();
    Program program = h -> {
      JavaDStream<String> lines = h.input(LINES).mapPartitions(it -> {
        List<String> records = new ArrayList<>();
        it.forEachRemaining(records::add);
        Path d = Path.of(signalDir);
        if (Files.exists(d)) {
          Files.createFile(d.resolve("started-" + ProcessHandle.current().pid() + "-" + java.util.UUID.randomUUID()));
          while (!Files.exists(d.resolve("release"))) {
            Thread.sleep(20);
          }
        }
        return records.iterator();
      });
      return Map.of("counts", h.collect(wordCounts(lines)));
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
    for (int b = 0; b < BATCHES; b++) {
      assertThat(sorted(result.get("counts").get(b))).as("batch %d", b + 1)
          .isEqualTo(sorted(local.get("counts").get(b)));
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
