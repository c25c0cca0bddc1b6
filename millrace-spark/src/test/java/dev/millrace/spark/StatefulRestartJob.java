package dev.millrace.spark;

import dev.millrace.MillraceConf;
import dev.millrace.Tuple2;
import dev.millrace.api.java.Optional;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaPairDStream;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The driver that {@code SparkClusterIT} runs in a child JVM and kills: a word count kept with
 * {@code updateStateByKey} over the text files of a directory, on the master given, recovered with
 * {@code getOrCreate} (which always builds the graph with this code; the checkpoint supplies the
 * state and the inputs' progress). After each batch it writes the whole state to {@code OUT_DIR/state-<time>.txt}
 * (one {@code word count} line per key, written under a temporary name and renamed).
 *
 * <p>Arguments: {@code MASTER IN_DIR CK_DIR OUT_DIR BATCH_MS STATE_CHECKPOINT_MS}; Spark settings
 * come from {@code spark.*} system properties. Prints {@code CREATED} or {@code RECOVERED}, then
 * {@code STARTED}, and runs until killed.
 */
public final class StatefulRestartJob {
  private StatefulRestartJob() {}

  public static void main(String[] args) throws Exception {
    String master = args[0];
    String in = args[1];
    String ck = args[2];
    Path out = Path.of(args[3]);
    long batchMs = Long.parseLong(args[4]);
    long stateCheckpointMs = Long.parseLong(args[5]);
    boolean recovering = dev.millrace.streaming.internal.checkpoint.Checkpointing.readLatest(Path.of(ck)) != null;
    JavaStreamingContext ssc = JavaStreamingContext.getOrCreate(ck, () -> {
      MillraceConf conf = new MillraceConf().setMaster(master).setAppName("stateful restart");
      JavaStreamingContext c = new JavaStreamingContext(conf, Durations.milliseconds(batchMs));
      c.checkpoint(ck);
      JavaPairDStream<String, Long> totals = c.textFileStream(in)
          .flatMap(l -> Arrays.asList(l.split(" ")).iterator())
          .mapToPair(w -> new Tuple2<>(w, 1L))
          .updateStateByKey((List<Long> values, Optional<Long> state) -> {
            long sum = state.orElse(0L);
            for (long v : values) {
              sum += v;
            }
            return Optional.of(sum);
          });
      totals.checkpoint(Durations.milliseconds(stateCheckpointMs));
      totals.foreachRDD((rdd, time) -> {
        Map<String, Long> state = new TreeMap<>();
        for (Tuple2<String, Long> t : rdd.collect()) {
          state.put(t._1(), t._2());
        }
        StringBuilder text = new StringBuilder();
        state.forEach((w, n) -> text.append(w).append(' ').append(n).append('\n'));
        Path tmp = out.resolve(".state-" + time.milliseconds() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, out.resolve("state-" + time.milliseconds() + ".txt"), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      });
      return c;
    });
    System.out.println(recovering ? "RECOVERED" : "CREATED");
    ssc.start();
    System.out.println("STARTED");
    System.out.flush();
    ssc.awaitTermination();
  }
}
