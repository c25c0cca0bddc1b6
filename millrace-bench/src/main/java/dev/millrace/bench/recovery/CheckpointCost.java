package dev.millrace.bench.recovery;

import dev.millrace.bench.state.BatchDriver;
import dev.millrace.storage.StorageLevel;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaDStream;
import dev.millrace.streaming.receiver.Receiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What checkpointing costs per batch: a word count over 10,000 words a batch (countByValue, then
 * an output counting the result), driven by a manual clock as fast as batches complete, so the
 * figure is the engine's whole per-batch time: generation, the metadata checkpoints (two fsync'ed
 * files per batch: after generation and after completion), the jobs, and for receivers the
 * write-ahead log appends made while the data is stored.
 *
 * <pre>
 * mvn -q -pl millrace-bench -am package -DskipTests
 * mvn -q -pl millrace-bench dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xms1g -Xmx1g -cp "millrace-bench/target/classes:$(cat millrace-bench/target/cp.txt)" \
 *     dev.millrace.bench.recovery.CheckpointCost [checkpointParentDir]
 * </pre>
 */
public final class CheckpointCost {
  private static final int WORDS_PER_BATCH = 10_000;
  private static final int WARMUP = 200;
  private static final int MEASURED = 300;
  private static final int ROUNDS = 5;

  private static final String[] WORDS = new String[WORDS_PER_BATCH];

  static {
    for (int i = 0; i < WORDS_PER_BATCH; i++) {
      WORDS[i] = "w" + (i % 1000);
    }
  }

  private CheckpointCost() {}

  /** A receiver the benchmark thread stores into directly. */
  static final class PushReceiver extends Receiver<String> {
    private static final long serialVersionUID = 1L;

    PushReceiver() {
      super(StorageLevel.MEMORY_ONLY());
    }

    @Override
    public void onStart() {}

    @Override
    public void onStop() {}
  }

  enum Source { SCRIPTED, RECEIVER_RECORDS, RECEIVER_BLOCKS }

  public static void main(String[] args) throws Exception {
    Path parent = args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("java.io.tmpdir"));
    List<String> words = new ArrayList<>();
    for (int i = 0; i < WORDS_PER_BATCH; i++) {
      words.add("w" + (i % 1000));
    }
    String line = String.join(" ", words.subList(0, 100));
    System.out.printf(Locale.ROOT, "%-62s %12s %12s%n", "workload (local[2], 10,000 words a batch)", "median ms",
        "min ms");
    for (Source source : Source.values()) {
      for (int mode = 0; mode < (source == Source.SCRIPTED ? 2 : 3); mode++) {
        double[] perBatch = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
          perBatch[r] = run(source, mode, parent, line);
        }
        Arrays.sort(perBatch);
        String name = switch (source) {
          case SCRIPTED -> "in-memory input";
          case RECEIVER_RECORDS -> "receiver, 10,000 x store(word)";
          case RECEIVER_BLOCKS -> "receiver, store(list of 10,000 words)";
        } + switch (mode) {
          case 0 -> ", no checkpoint";
          case 1 -> ", metadata checkpoints";
          default -> ", checkpoints + write-ahead log";
        };
        System.out.printf(Locale.ROOT, "%-62s %12.3f %12.3f%n", name, perBatch[ROUNDS / 2], perBatch[0]);
      }
    }
  }

  /** Mean wall-clock ms per batch of one run. */
  private static double run(Source source, int mode, Path parent, String line) throws Exception {
    Path dir = mode == 0 ? null : Files.createTempDirectory(parent, "millrace-ck-cost");
    try (BatchDriver driver = new BatchDriver(2, Durations.milliseconds(100), dir == null ? null : dir.toString())) {
      if (mode == 2) {
        driver.context().ssc().engine().conf().set("spark.streaming.receiver.writeAheadLog.enable", "true");
      }
      JavaDStream<String> lines;
      PushReceiver receiver = null;
      if (source == Source.SCRIPTED) {
        List<List<String>> batches = new ArrayList<>();
        batches.add(java.util.Collections.nCopies(WORDS_PER_BATCH / 100, line));
        lines = driver.input(batches, 2);
      } else {
        receiver = new PushReceiver();
        lines = driver.context().receiverStream(receiver);
      }
      long[] sink = new long[1];
      lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator()).countByValue()
          .foreachRDD(rdd -> {
            sink[0] += rdd.count();
          });
      double result = 0;
      driver.run(1);
      if (receiver != null) {
        while (!receiver.isStarted()) {
          Thread.onSpinWait();
        }
      }
      for (int phase = 0; phase < 2; phase++) {
        int n = phase == 0 ? WARMUP : MEASURED;
        long nanos = 0;
        for (int i = 0; i < n; i++) {
          long start = System.nanoTime();
          if (receiver != null) {
            store(receiver, source, line);
          }
          driver.run(1);
          nanos += System.nanoTime() - start;
        }
        result = nanos / 1e6 / n;
      }
      return result;
    } finally {
      if (dir != null) {
        try (var walk = Files.walk(dir)) {
          walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private static void store(PushReceiver receiver, Source source, String line) {
    // Records of one word each, so the log gets 10,000 records a batch.
    if (source == Source.RECEIVER_RECORDS) {
      for (int i = 0; i < WORDS_PER_BATCH; i++) {
        receiver.store(WORDS[i]);
      }
    } else {
      receiver.store(new ArrayList<>(Arrays.asList(WORDS)));
    }
  }
}
