package dev.millrace.examples;

import dev.millrace.MillraceConf;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.api.java.JavaStreamingContext;
import java.util.Arrays;

/**
 * A word count that survives being killed: the files moved into {@code IN} are counted per batch
 * into {@code OUT-<batch time>}; started again after a crash (even {@code kill -9}) with the same
 * arguments, it re-runs the batches that were in flight and continues, counting every word exactly
 * once. The program may change between runs (see docs/recovery.md); SIGTERM stops it gracefully.
 *
 * <pre>
 * java -cp millrace-examples.jar:millrace-core.jar dev.millrace.examples.RecoverableWordCount IN CK OUT
 * </pre>
 */
public final class RecoverableWordCount {
  private RecoverableWordCount() {}

  public static void main(String[] args) throws Exception {
    String in = args[0];
    String checkpoint = args[1];
    String out = args[2];
    JavaStreamingContext ssc = JavaStreamingContext.getOrCreate(checkpoint, () -> {
      MillraceConf conf = new MillraceConf().setMaster("local[2]").setAppName("RecoverableWordCount")
          .set("spark.streaming.stopGracefullyOnShutdown", "true");
      JavaStreamingContext c = new JavaStreamingContext(conf, Durations.seconds(1));
      c.checkpoint(checkpoint);
      c.textFileStream(in).name("lines")
          .flatMap(line -> Arrays.asList(line.trim().split("\\s+")).iterator())
          .countByValue()
          .saveAsTextFiles(out, null);
      return c;
    });
    ssc.start();
    ssc.awaitTermination();
  }
}
